/**
 * The Durable settings of an app: `host.json` `extensions.durableTask` with the `AOS_TASK_HUB`
 * override. Settings real apps carry for the Azure extension but that mean nothing here are
 * accepted and named once in the log.
 */
import { HostStartError } from '../../config/host-config-error.js';
import type { HostJson } from '../../config/host-json.js';

export interface DurableSettings {
  hubName: string;
  partitionCount: number;
  maxConcurrentActivityFunctions: number;
  maxConcurrentOrchestratorFunctions: number;
  defaultVersion: string | undefined;
  versionMatchStrategy: 'None' | 'Strict' | 'CurrentOrOlder';
  versionFailureStrategy: 'Reject' | 'Fail';
  /** Keys of `extensions.durableTask` this host does not use. */
  ignoredKeys: string[];
}

const USED_KEYS = new Set([
  'hubName', 'maxConcurrentActivityFunctions', 'maxConcurrentOrchestratorFunctions', 'storageProvider',
  'defaultVersion', 'versionMatchStrategy', 'versionFailureStrategy',
]);

/** The extension's default hub when none is configured (WEBSITE_SITE_NAME in Azure). */
export const DEFAULT_HUB_NAME = 'TestHubName';

export function durableSettings(hostJson: HostJson, env: NodeJS.ProcessEnv, cores: number): DurableSettings {
  const dt = hostJson.extensions?.durableTask ?? {};
  const hubName = env.AOS_TASK_HUB ?? dt.hubName ?? DEFAULT_HUB_NAME;
  if (!/^[A-Za-z][A-Za-z0-9]{2,44}$/.test(hubName)) {
    throw new HostStartError(`task hub name "${hubName}" is invalid: use 3-45 letters and digits, starting with a letter`, 'HUB_NAME_INVALID');
  }
  if (hubName.toLowerCase() === 'durabletask') {
    throw new HostStartError('task hub name "DurableTask" is reserved (Durable Functions Monitor reads it as a Netherite hub)', 'HUB_NAME_INVALID');
  }
  const ignoredKeys = Object.keys(dt).filter((k) => !USED_KEYS.has(k));
  return {
    hubName,
    partitionCount: dt.storageProvider?.partitionCount ?? 4,
    // the extension's defaults: 10 x processor count
    maxConcurrentActivityFunctions: dt.maxConcurrentActivityFunctions ?? 10 * cores,
    maxConcurrentOrchestratorFunctions: dt.maxConcurrentOrchestratorFunctions ?? 10 * cores,
    defaultVersion: dt.defaultVersion,
    versionMatchStrategy: dt.versionMatchStrategy ?? 'CurrentOrOlder',
    versionFailureStrategy: dt.versionFailureStrategy ?? 'Reject',
    ignoredKeys,
  };
}
