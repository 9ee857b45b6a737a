/**
 * Resource names of a task hub (DTFx Azure Storage provider): tables keep the hub's case,
 * queues and containers use it lower-cased.
 * @see taskhub-layout.md section 1
 */
import { InvalidHubNameError } from './errors.js';

const HUB_NAME = /^[A-Za-z][A-Za-z0-9]{2,44}$/;

export interface TaskHubNames {
  hub: string;
  instancesTable: string;
  historyTable: string;
  workTable: string;
  timersTable: string;
  controlQueues: string[];
  workItemQueue: string;
  largeMessagesContainer: string;
  leasesContainer: string;
}

/** Throws {@link InvalidHubNameError} unless `hub` is alphanumeric, starts with a letter, is 3-45 chars, and is not `DurableTask`. */
export function validateHubName(hub: string): void {
  if (!HUB_NAME.test(hub)) throw new InvalidHubNameError(hub, 'use 3-45 letters and digits, starting with a letter');
  // A DTFx hub named DurableTask creates `DurableTaskPartitions`, which DfMon's VS Code extension takes for Netherite.
  if (hub.toLowerCase() === 'durabletask') throw new InvalidHubNameError(hub, 'DurableTask is reserved');
}

/** @param partitionCount number of control queues, 1-16 (DTFx default 4). */
export function taskHubNames(hub: string, partitionCount: number): TaskHubNames {
  validateHubName(hub);
  if (!Number.isInteger(partitionCount) || partitionCount < 1 || partitionCount > 16) throw new RangeError(`partitionCount must be 1-16, got ${partitionCount}`);
  const lower = hub.toLowerCase();
  return {
    hub,
    instancesTable: `${hub}Instances`,
    historyTable: `${hub}History`,
    workTable: `${hub}Work`,
    timersTable: `${hub}Timers`,
    controlQueues: Array.from({ length: partitionCount }, (_, i) => `${lower}-control-${String(i).padStart(2, '0')}`),
    workItemQueue: `${lower}-workitems`,
    largeMessagesContainer: `${lower}-largemessages`,
    leasesContainer: `${lower}-leases`,
  };
}
