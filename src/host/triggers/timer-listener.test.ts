import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../log/logger.js';
import { parseRetryPolicy, type RetryContext, type RetryPolicy } from '../worker/retry-policy.js';
import type { RpcTypedData } from '../worker/rpc-types.js';
import type { ScheduleMonitor } from './schedule-monitor.js';
import type { ScheduleStatus } from './schedule-status.js';
import { TimerListener } from './timer-listener.js';
import { parseSchedule } from './timer-schedule.js';

class MemoryMonitor implements ScheduleMonitor {
  readonly statuses = new Map<string, ScheduleStatus>();
  async read(name: string) {
    return this.statuses.get(name);
  }
  async write(name: string, status: ScheduleStatus) {
    this.statuses.set(name, status);
  }
}

type Payload = { Schedule: { AdjustForDST: boolean }; ScheduleStatus: { Last: string; Next: string } | null; IsPastDue: boolean };

function listener(
  schedule: string,
  options: { runOnStartup?: boolean; monitor?: ScheduleMonitor; retry?: RetryPolicy; invoke?: (d: RpcTypedData) => Promise<unknown> } = {},
) {
  const calls: Payload[] = [];
  const attempts: { retryContext: RetryContext | undefined; at: Date }[] = [];
  const l = new TimerListener({
    functionName: 'tick',
    timerName: 'Host.Functions.tick',
    schedule: parseSchedule(schedule),
    runOnStartup: options.runOnStartup ?? false,
    monitor: options.monitor,
    retry: options.retry,
    invoke: async (data, retryContext) => {
      attempts.push({ retryContext, at: new Date() });
      calls.push(JSON.parse(data.json ?? 'null') as Payload);
      await options.invoke?.(data);
    },
    log: silentLogger,
  });
  return { l, calls, attempts };
}

describe('TimerListener', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date(2024, 2, 1, 10, 0, 0) });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs on each occurrence with the trigger data the host sends', async () => {
    const { l, calls } = listener('*/10 * * * * *');
    await l.start();
    await vi.advanceTimersByTimeAsync(25_000);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toEqual({ Schedule: { AdjustForDST: true }, ScheduleStatus: null, IsPastDue: false });
    await l.stop();
  });

  it('runs once at start with runOnStartup, then on schedule', async () => {
    const { l, calls } = listener('0 0 * * * *', { runOnStartup: true });
    await l.start();
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(calls).toHaveLength(2);
    await l.stop();
  });

  it('runs a missed occurrence once at start with IsPastDue and stores the new status', async () => {
    const monitor = new MemoryMonitor();
    monitor.statuses.set('Host.Functions.tick', { last: new Date(2024, 2, 1, 8), next: new Date(2024, 2, 1, 9), lastUpdated: new Date(2024, 2, 1, 8) });
    const { l, calls } = listener('0 0 * * * *', { monitor });
    await l.start();
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.IsPastDue).toBe(true);
    expect(new Date(calls[0]?.ScheduleStatus?.Next ?? '')).toEqual(new Date(2024, 2, 1, 9));
    expect(monitor.statuses.get('Host.Functions.tick')).toEqual({ last: new Date(2024, 2, 1, 10), next: new Date(2024, 2, 1, 11), lastUpdated: new Date(2024, 2, 1, 10) });
    await l.stop();
  });

  it('never overlaps itself: occurrences during a long run are skipped', async () => {
    let release!: () => void;
    const { l, calls } = listener('* * * * * *', { invoke: () => (calls.length === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve()) });
    await l.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toHaveLength(1);
    release();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(2);
    await l.stop();
  });

  it('keeps its schedule when a run fails', async () => {
    const { l, calls } = listener('* * * * * *', { invoke: () => Promise.reject(new Error('boom')) });
    await l.start();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(calls).toHaveLength(3);
    await l.stop();
  });

  it('waits for a run in progress on stop and leaves no timer behind', async () => {
    let release!: () => void;
    let finished = false;
    const { l } = listener('* * * * * *', { invoke: () => new Promise<void>((r) => (release = r)).then(() => void (finished = true)) });
    await l.start();
    await vi.advanceTimersByTimeAsync(1_000);
    const stopped = l.stop();
    release();
    await stopped;
    expect(finished).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  describe('with a retry policy', () => {
    const fixedDelay = (maxRetryCount: number, seconds: number) => parseRetryPolicy({ retryStrategy: 'fixedDelay', maxRetryCount, delayInterval: { seconds } });

    it('retries a failed occurrence after the delay, telling each attempt its retryCount', async () => {
      const { l, attempts } = listener('0 0 * * * *', {
        runOnStartup: true,
        retry: fixedDelay(3, 5),
        invoke: () => (attempts.length === 1 ? Promise.reject(new Error('first attempt fails')) : Promise.resolve()),
      });
      await l.start();
      await vi.advanceTimersByTimeAsync(1);
      expect(attempts.map((a) => a.retryContext)).toEqual([{ retryCount: 0, maxRetryCount: 3 }]);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(attempts.map((a) => a.retryContext)).toEqual([
        { retryCount: 0, maxRetryCount: 3 },
        { retryCount: 1, maxRetryCount: 3 },
      ]);
      expect((attempts[1]?.at.getTime() ?? 0) - (attempts[0]?.at.getTime() ?? 0)).toBe(5_000);
      await l.stop();
    });

    it('arms the next occurrence only after the last retry, skipping occurrences it overlapped', async () => {
      const { l, attempts } = listener('*/10 * * * * *', { retry: fixedDelay(2, 8), invoke: () => Promise.reject(new Error('always fails')) });
      await l.start();
      // Attempts at 10 s, 18 s and 26 s (retries spent); the 20 s occurrence is skipped, the next is 30 s.
      await vi.advanceTimersByTimeAsync(30_000);
      expect(attempts.map((a) => [a.at.getSeconds(), a.retryContext?.retryCount])).toEqual([
        [10, 0],
        [18, 1],
        [26, 2],
        [30, 0],
      ]);
      await l.stop();
    });

    it('stops promptly while waiting to retry, without another attempt', async () => {
      const { l, attempts } = listener('0 0 * * * *', { runOnStartup: true, retry: fixedDelay(-1, 60), invoke: () => Promise.reject(new Error('always fails')) });
      await l.start();
      await vi.advanceTimersByTimeAsync(1);
      await l.stop();
      expect(attempts).toHaveLength(1);
      expect(vi.getTimerCount()).toBe(0);
    });
  });
});
