import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../log/logger.js';
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

function listener(schedule: string, options: { runOnStartup?: boolean; monitor?: ScheduleMonitor; invoke?: (d: RpcTypedData) => Promise<unknown> } = {}) {
  const calls: Payload[] = [];
  const l = new TimerListener({
    functionName: 'tick',
    timerName: 'Host.Functions.tick',
    schedule: parseSchedule(schedule),
    runOnStartup: options.runOnStartup ?? false,
    monitor: options.monitor,
    invoke: async (data) => {
      calls.push(JSON.parse(data.json ?? 'null') as Payload);
      await options.invoke?.(data);
    },
    log: silentLogger,
  });
  return { l, calls };
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
});
