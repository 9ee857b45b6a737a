import { describe, expect, it } from 'vitest';
import { retryDelayMs, retryTimerFireAt } from './retry-policy.js';

const t0 = new Date('2024-03-18T17:44:50.000Z');

describe('retryDelayMs', () => {
  it('waits the first interval after the first failure', () => {
    expect(retryDelayMs({ options: { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 3 }, failedAttempt: 1, now: t0, firstAttemptAt: t0 })).toBe(1000);
  });

  it('multiplies by the backoff coefficient per failed attempt and caps at the max interval', () => {
    const options = { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 10, backoffCoefficient: 2, maxRetryIntervalInMilliseconds: 5000 };
    const delays = [1, 2, 3, 4].map((failedAttempt) => retryDelayMs({ options, failedAttempt, now: t0, firstAttemptAt: t0 }));
    expect(delays).toEqual([1000, 2000, 4000, 5000]);
  });

  it('fires at once after the last attempt', () => {
    const options = { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 2 };
    expect(retryTimerFireAt({ options, failedAttempt: 2, now: t0, firstAttemptAt: t0 })).toBe(t0.toISOString());
  });

  it('fires at once when the retry timeout has elapsed', () => {
    const options = { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 5, retryTimeoutInMilliseconds: 3000 };
    const later = new Date(t0.getTime() + 3000);
    expect(retryDelayMs({ options, failedAttempt: 2, now: later, firstAttemptAt: t0 })).toBe(0);
  });
});
