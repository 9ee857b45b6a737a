/**
 * The queue trigger's polling delay, as the host's randomized exponential back-off: poll again
 * at once while messages come, and on an empty queue wait about twice as long as last time (±20%),
 * up to `maxPollingInterval`.
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger#polling-algorithm
 */
import { MIN_POLLING_INTERVAL_MS } from './queue-options.js';

export function nextPollDelay(previousMs: number, foundMessages: boolean, maxMs: number, random: () => number = Math.random): number {
  if (foundMessages) return 0;
  const base = Math.max(previousMs, MIN_POLLING_INTERVAL_MS) * 2;
  const jittered = base * (0.8 + 0.4 * random());
  return Math.round(Math.min(maxMs, Math.max(MIN_POLLING_INTERVAL_MS, jittered)));
}
