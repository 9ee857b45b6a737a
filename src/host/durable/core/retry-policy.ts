/**
 * When the retry timer after a failed attempt fires, as DTFx's RetryInterceptor computes it.
 * @see https://github.com/Azure/durabletask/blob/main/src/DurableTask.Core/RetryInterceptor.cs
 */
import type { RetryOptions } from '../wire/orchestrator-state.js';

/** Inputs of {@link retryTimerFireAt}. */
export interface RetryTimerRequest {
  options: RetryOptions;
  /** 1-based number of the attempt that just failed. */
  failedAttempt: number;
  /** Orchestration time when the failure is processed (the episode's OrchestratorStarted time). */
  now: Date;
  /** Orchestration time when the first attempt was scheduled; needed for `retryTimeoutInMilliseconds`. */
  firstAttemptAt: Date;
}

/**
 * Delay before the next attempt: `first * coefficient^(failedAttempt-1)`, capped at
 * `maxRetryIntervalInMilliseconds`. Zero after the last attempt: DTFx then creates a timer at
 * the current time ("dummy timer for back-compat") and the JS waits for it before surfacing the
 * last failure (durable-protocol.md B.9).
 *
 * `retryTimeoutInMilliseconds`: DTFx stops retrying without a timer once it has elapsed, which
 * leaves the JS waiting forever for that timer; the JS (which decides on further attempts itself)
 * ignores the timeout. The closest non-hanging behaviour is an immediate timer, so an elapsed
 * timeout yields delay 0 and the JS goes on until `maxNumberOfAttempts`.
 */
export function retryDelayMs(request: RetryTimerRequest): number {
  const { options, failedAttempt, now, firstAttemptAt } = request;
  if (failedAttempt >= options.maxNumberOfAttempts) return 0;
  const timeout = options.retryTimeoutInMilliseconds;
  if (timeout !== undefined && timeout > 0 && timeout < Number.MAX_SAFE_INTEGER) {
    if (now.getTime() - firstAttemptAt.getTime() >= timeout) return 0;
  }
  const coefficient = options.backoffCoefficient && options.backoffCoefficient > 0 ? options.backoffCoefficient : 1;
  let delay = options.firstRetryIntervalInMilliseconds * Math.pow(coefficient, failedAttempt - 1);
  const cap = options.maxRetryIntervalInMilliseconds;
  if (cap !== undefined && cap > 0 && delay > cap) delay = cap;
  if (!Number.isFinite(delay) || delay < 0) return 0;
  return Math.round(delay);
}

/** The retry timer's `FireAt` (ISO text) for {@link retryDelayMs}. */
export function retryTimerFireAt(request: RetryTimerRequest): string {
  return new Date(request.now.getTime() + retryDelayMs(request)).toISOString();
}
