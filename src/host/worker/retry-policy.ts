/**
 * Function-level retry policies (`retry` in `app.timer(...)` etc.), run by the host as the Functions
 * runtime does: a failed invocation is run again in place, with `retryContext` telling the function
 * which attempt it is. The runtime applies these only to timer, Event Hubs, Kafka and Cosmos DB
 * triggers; storage queues retry through their own dequeue count and ignore the policy.
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-error-pages#retry-policies
 */
import { z } from 'zod';
import type { RpcRetryOptions } from './rpc-types.js';

export const RetryStrategy = { FixedDelay: 'fixedDelay', ExponentialBackoff: 'exponentialBackoff' } as const;
export type RetryStrategy = (typeof RetryStrategy)[keyof typeof RetryStrategy];

/** `maxRetryCount: -1` means "retry until it succeeds" (documented); the host's stop ends it. */
export const UNLIMITED_RETRIES = -1;

/** Node timers hold at most 2^31-1 ms; a longer interval is clamped rather than overflowing to 1 ms. */
const MAX_DELAY_MS = 2_147_483_647;

export interface RetryPolicy {
  strategy: RetryStrategy;
  /** Retries after the first attempt; -1 for no limit. */
  maxRetryCount: number;
  /** The wait before retry number `retry` (1-based). */
  delayMs(retry: number): number;
}

/** What the worker receives as `RpcInvocationRequest.retryContext` (retryCount 0 on the first attempt). */
export interface RetryContext {
  retryCount: number;
  maxRetryCount: number;
}

export class RetryPolicyError extends Error {
  override name = 'RetryPolicyError';
}

// google.protobuf.Duration as @azure/functions writes it ({ seconds }); protobufjs may give a string or Long.
const DurationSchema = z
  .object({ seconds: z.union([z.number(), z.string(), z.object({ toNumber: z.unknown() })]).optional(), nanos: z.number().optional() })
  .transform((d, ctx) => {
    const seconds = typeof d.seconds === 'object' ? Number(String(d.seconds)) : Number(d.seconds ?? 0);
    const ms = seconds * 1000 + Math.round((d.nanos ?? 0) / 1e6);
    if (!Number.isFinite(ms) || ms < 0) {
      ctx.addIssue({ code: 'custom', message: 'must be a non-negative duration' });
      return z.NEVER;
    }
    return Math.min(ms, MAX_DELAY_MS);
  });

const RetryOptionsSchema = z.object({
  retryStrategy: z.enum([RetryStrategy.FixedDelay, RetryStrategy.ExponentialBackoff], { message: "strategy must be 'fixedDelay' or 'exponentialBackoff'" }),
  maxRetryCount: z.number().int().min(UNLIMITED_RETRIES, { message: 'maxRetryCount must be -1 (unlimited) or more' }),
  delayInterval: DurationSchema.nullish(),
  minimumInterval: DurationSchema.nullish(),
  maximumInterval: DurationSchema.nullish(),
});

/** The policy a function registered, or undefined when it has none; throws RetryPolicyError when malformed. */
export function parseRetryPolicy(options: RpcRetryOptions | undefined | null): RetryPolicy | undefined {
  if (!options) return undefined;
  const parsed = RetryOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new RetryPolicyError(`invalid retry policy: ${where}${issue?.message ?? 'malformed'}`);
  }
  const o = parsed.data;
  if (o.retryStrategy === RetryStrategy.FixedDelay) {
    const delay = o.delayInterval;
    if (delay == null) throw new RetryPolicyError("invalid retry policy: 'fixedDelay' needs delayInterval");
    return { strategy: o.retryStrategy, maxRetryCount: o.maxRetryCount, delayMs: () => delay };
  }
  const min = o.minimumInterval;
  const max = o.maximumInterval;
  if (min == null || max == null) throw new RetryPolicyError("invalid retry policy: 'exponentialBackoff' needs minimumInterval and maximumInterval");
  if (min > max) throw new RetryPolicyError('invalid retry policy: minimumInterval is greater than maximumInterval');
  return { strategy: o.retryStrategy, maxRetryCount: o.maxRetryCount, delayMs: (retry) => exponentialDelayMs(retry, min, max) };
}

/**
 * As documented for the runtime: the first retry waits the minimum interval, and each later one
 * doubles it, up to the maximum (min, 2·min, 4·min, ... ≤ max). No jitter, so tests can predict it.
 */
export function exponentialDelayMs(retry: number, minMs: number, maxMs: number): number {
  const doublings = Math.max(0, retry - 1);
  // 2^31 already exceeds any interval a timer can hold; stop growing before the number does.
  if (doublings >= 31) return maxMs;
  return Math.min(minMs * 2 ** doublings, maxMs);
}

export interface RunWithRetriesOptions {
  /** Aborting stops further retries (the host is stopping); the attempt in progress is awaited. */
  signal?: AbortSignal;
  /** Told about each failure that will be retried, before the wait. */
  onRetry?(info: { error: unknown; retryCount: number; delayMs: number }): void;
}

/**
 * Runs `attempt` until it resolves, the policy's retries are spent, or `signal` aborts; then the
 * last error is thrown. Without a policy this is one attempt (and no retryContext, as the host).
 */
export async function runWithRetries<T>(
  policy: RetryPolicy | undefined,
  attempt: (retryContext: RetryContext | undefined) => Promise<T>,
  options: RunWithRetriesOptions = {},
): Promise<T> {
  if (!policy) return attempt(undefined);
  for (let retryCount = 0; ; retryCount++) {
    try {
      return await attempt({ retryCount, maxRetryCount: policy.maxRetryCount });
    } catch (error) {
      const spent = policy.maxRetryCount !== UNLIMITED_RETRIES && retryCount >= policy.maxRetryCount;
      if (spent || options.signal?.aborted) throw error;
      const delayMs = policy.delayMs(retryCount + 1);
      options.onRetry?.({ error, retryCount: retryCount + 1, delayMs });
      if (!(await wait(delayMs, options.signal))) throw error;
    }
  }
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function wait(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
