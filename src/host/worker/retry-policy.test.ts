import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exponentialDelayMs, parseRetryPolicy, RetryPolicyError, runWithRetries, type RetryContext } from './retry-policy.js';

const fixed = (maxRetryCount: number, seconds: number) => parseRetryPolicy({ retryStrategy: 'fixedDelay', maxRetryCount, delayInterval: { seconds } });

describe('parseRetryPolicy', () => {
  it('reads a fixed-delay policy as @azure/functions registers it', () => {
    const policy = parseRetryPolicy({ retryStrategy: 'fixedDelay', maxRetryCount: 3, delayInterval: { seconds: 2 }, strategy: 'fixedDelay' } as never);
    expect(policy?.strategy).toBe('fixedDelay');
    expect(policy?.maxRetryCount).toBe(3);
    expect([1, 2, 3].map((n) => policy?.delayMs(n))).toEqual([2000, 2000, 2000]);
  });

  it('doubles an exponential backoff from the minimum up to the maximum', () => {
    const policy = parseRetryPolicy({ retryStrategy: 'exponentialBackoff', maxRetryCount: 6, minimumInterval: { seconds: 1 }, maximumInterval: { seconds: '10' } });
    expect([1, 2, 3, 4, 5, 6].map((n) => policy?.delayMs(n))).toEqual([1000, 2000, 4000, 8000, 10000, 10000]);
    expect(exponentialDelayMs(10_000, 1000, 60_000)).toBe(60_000);
  });

  it('returns undefined when the function has no policy', () => {
    expect(parseRetryPolicy(undefined)).toBeUndefined();
  });

  it('rejects malformed policies with a message naming the problem', () => {
    expect(() => parseRetryPolicy({ retryStrategy: 'linear', maxRetryCount: 1 })).toThrow(/strategy must be/);
    expect(() => parseRetryPolicy({ retryStrategy: 'fixedDelay', maxRetryCount: -2, delayInterval: { seconds: 1 } })).toThrow(/maxRetryCount/);
    expect(() => parseRetryPolicy({ retryStrategy: 'fixedDelay', maxRetryCount: 1 })).toThrow(/needs delayInterval/);
    expect(() => parseRetryPolicy({ retryStrategy: 'exponentialBackoff', maxRetryCount: 1, minimumInterval: { seconds: 5 }, maximumInterval: { seconds: 1 } })).toThrow(RetryPolicyError);
  });
});

describe('runWithRetries', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function failing(failures: number) {
    const seen: { ctx: RetryContext | undefined; at: number }[] = [];
    const attempt = async (ctx: RetryContext | undefined) => {
      seen.push({ ctx, at: Date.now() });
      if (seen.length <= failures) throw new Error(`failure ${seen.length}`);
      return 'ok';
    };
    return { seen, attempt };
  }

  it('retries after the delay and passes retryCount 0, 1, ... to each attempt', async () => {
    const { seen, attempt } = failing(2);
    const start = Date.now();
    const result = runWithRetries(fixed(3, 5), attempt);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(result).resolves.toBe('ok');
    expect(seen.map((s) => s.ctx)).toEqual([0, 1, 2].map((retryCount) => ({ retryCount, maxRetryCount: 3 })));
    expect(seen.map((s) => s.at - start)).toEqual([0, 5_000, 10_000]);
  });

  it('gives up after maxRetryCount retries with the last error', async () => {
    const { seen, attempt } = failing(10);
    const result = runWithRetries(fixed(2, 1), attempt);
    const settled = expect(result).rejects.toThrow('failure 3');
    await vi.advanceTimersByTimeAsync(10_000);
    await settled;
    expect(seen).toHaveLength(3);
  });

  it('waits the exponential intervals between attempts', async () => {
    const { seen, attempt } = failing(4);
    const policy = parseRetryPolicy({ retryStrategy: 'exponentialBackoff', maxRetryCount: 5, minimumInterval: { seconds: 1 }, maximumInterval: { seconds: 3 } });
    const start = Date.now();
    const result = runWithRetries(policy, attempt);
    await vi.advanceTimersByTimeAsync(20_000);
    await expect(result).resolves.toBe('ok');
    expect(seen.map((s) => s.at - start)).toEqual([0, 1_000, 3_000, 6_000, 9_000]);
  });

  it('keeps retrying without limit for -1 until the signal aborts', async () => {
    const { seen, attempt } = failing(Number.POSITIVE_INFINITY);
    const stop = new AbortController();
    const result = runWithRetries(fixed(-1, 1), attempt, { signal: stop.signal });
    const settled = expect(result).rejects.toThrow('failure 51');
    await vi.advanceTimersByTimeAsync(50_000);
    expect(seen).toHaveLength(51);
    expect(seen[50]?.ctx).toEqual({ retryCount: 50, maxRetryCount: -1 });
    stop.abort();
    await settled;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(seen).toHaveLength(51);
  });

  it('runs once without a retryContext when there is no policy', async () => {
    const { seen, attempt } = failing(1);
    await expect(runWithRetries(undefined, attempt)).rejects.toThrow('failure 1');
    expect(seen).toEqual([{ ctx: undefined, at: expect.any(Number) }]);
  });
});
