/**
 * `extensions.queues` of host.json with the host's defaults.
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue#host-json
 */
import { HostStartError } from '../config/host-config-error.js';
import type { HostJson } from '../config/host-json.js';
import { durationMs } from './timespan.js';

export const MessageEncoding = { Base64: 'base64', None: 'none' } as const;
export type MessageEncoding = (typeof MessageEncoding)[keyof typeof MessageEncoding];

export interface QueueOptions {
  /** Messages one queue's function runs at the same time. @default 16 */
  batchSize: number;
  /** The longest wait between polls of an empty queue. @default 60000 */
  maxPollingIntervalMs: number;
  /** How long a failed message stays invisible before its next attempt. @default 0 */
  visibilityTimeoutMs: number;
  /** Attempts before a message moves to `<queue>-poison`. @default 5 */
  maxDequeueCount: number;
  /** @default 'base64' */
  messageEncoding: MessageEncoding;
}

/** The host's floor for the polling interval. */
export const MIN_POLLING_INTERVAL_MS = 100;

export function queueOptionsFrom(hostJson: HostJson): QueueOptions {
  const q = hostJson.extensions?.queues ?? {};
  return {
    batchSize: q.batchSize ?? 16,
    maxPollingIntervalMs: Math.max(MIN_POLLING_INTERVAL_MS, duration('maxPollingInterval', q.maxPollingInterval, 60_000)),
    visibilityTimeoutMs: Math.max(0, duration('visibilityTimeout', q.visibilityTimeout, 0)),
    maxDequeueCount: q.maxDequeueCount ?? 5,
    messageEncoding: q.messageEncoding ?? MessageEncoding.Base64,
  };
}

function duration(key: string, value: string | number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = durationMs(value);
  if (ms === undefined) {
    throw new HostStartError(`invalid host.json: extensions.queues.${key}: '${value}' is neither a TimeSpan ("00:00:02") nor milliseconds`, 'HOST_JSON_INVALID');
  }
  return ms;
}
