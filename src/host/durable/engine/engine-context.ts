/** What the turn runners share: storage, the function runner, the clock and the ways to hand work on. */
import type { InstanceMessage, OutboundWork } from '../core/work.js';
import type { TaskHubStore } from '../store/task-hub-store.js';
import type { StoredMessage } from '../wire/work-row.js';
import type { FunctionRunner } from '../../worker/function-runner.js';
import type { RegisteredFunction } from '../../worker/function-registry.js';
import type { Logger } from '../../log/logger.js';
import type { ActivityRunner } from './activity-runner.js';
import type { DurableSettings } from './durable-settings.js';
import type { HotInstances } from './hot-instances.js';
import type { InstanceRowWriter } from './instance-row-writer.js';
import type { MessageHandover } from './message-handover.js';
import type { TimerService } from './timer-service.js';
import type { UnseenWork } from './unseen-work.js';

export interface EngineContext {
  store: TaskHubStore;
  runner: FunctionRunner;
  settings: DurableSettings;
  cache: HotInstances;
  activities: ActivityRunner;
  timers: TimerService;
  log: Logger;
  now(): Date;
  /** A function of the given trigger type by case-insensitive name. */
  find(triggerType: 'orchestrationTrigger' | 'activityTrigger' | 'entityTrigger', name: string): RegisteredFunction | undefined;
  /** Instances rows of orchestration turns: serialised per instance, deferred when they may lag. */
  rows: InstanceRowWriter;
  /** Messages to instances of this process: written as Work rows, then handed over in memory. */
  handover: MessageHandover;
  /** Which instances' Work partitions a cold load must read (the rest hold nothing memory does not know). */
  unseen: UnseenWork;
  /** Ask for a turn of an instance in this process. */
  notify(instanceId: string, messages?: StoredMessage[] | InstanceMessage[], checkStorage?: boolean): void;
}

/** The outbound work of a committed turn, as stored with it for recovery. */
export type Outbox = OutboundWork[];
