import { describe, expect, it } from 'vitest';
import { TimerService, type DueTimer, type TimerIndex } from './timer-service.js';

/** A sorted in-memory index, standing in for the Timers table in this unit test. */
class ListIndex implements TimerIndex {
  timers: DueTimer[] = [];
  async nextTimer() {
    return [...this.timers].sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime())[0];
  }
  async dueTimers(now: Date, limit: number) {
    return this.timers.filter((t) => t.fireAt <= now).slice(0, limit);
  }
}

function timer(id: number, at: number): DueTimer {
  return { instanceId: `i${id}`, executionId: 'e', timerId: id, fireAt: new Date(at) };
}

describe('TimerService', () => {
  it('fires due timers at start and arms for the next one', async () => {
    const index = new ListIndex();
    const now = Date.now();
    index.timers = [timer(1, now - 10), timer(2, now + 60_000)];
    const fired: number[] = [];
    const service = new TimerService({
      index,
      fire: async (ts) => {
        fired.push(...ts.map((t) => t.timerId));
        index.timers = index.timers.filter((t) => !ts.includes(t));
      },
    });
    await service.start();
    expect(fired).toEqual([1]);
    await service.stop();
  });

  it('fires a newly scheduled earlier timer when it comes due', async () => {
    const index = new ListIndex();
    const fired: number[] = [];
    let resolveFired: () => void = () => {};
    const firedOnce = new Promise<void>((r) => (resolveFired = r));
    const service = new TimerService({
      index,
      fire: async (ts) => {
        fired.push(...ts.map((t) => t.timerId));
        index.timers = index.timers.filter((t) => !ts.includes(t));
        resolveFired();
      },
    });
    await service.start();
    const t = timer(7, Date.now() + 20);
    index.timers.push(t);
    service.scheduled(t.fireAt);
    await firedOnce;
    expect(fired).toEqual([7]);
    await service.stop();
  });
});
