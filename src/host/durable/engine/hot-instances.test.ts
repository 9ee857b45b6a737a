import { describe, expect, it } from 'vitest';
import { emptySchedulerState } from '../core/entity-scheduler-state.js';
import { HotInstances, type HotEntity } from './hot-instances.js';

function entity(id: string): HotEntity {
  return { kind: 'entity', instanceId: id, etag: undefined, turnNumber: 0, executionId: undefined, state: emptySchedulerState(), createdTime: undefined };
}

describe('HotInstances', () => {
  it('forgets a retired instance once its grace period has passed', () => {
    let now = 0;
    const cache = new HotInstances(10, 1_000, () => now);
    cache.set(entity('@e@1'));
    cache.retire('@e@1');
    now = 999;
    cache.sweep();
    expect(cache.size).toBe(1);
    now = 1_000;
    cache.sweep();
    expect(cache.size).toBe(0);
    cache.close();
  });

  it('keeps a retired instance that a turn used again within the grace period', () => {
    let now = 0;
    const cache = new HotInstances(10, 1_000, () => now);
    cache.set(entity('@e@1'));
    cache.retire('@e@1');
    now = 500;
    expect(cache.get('@e@1')?.instanceId).toBe('@e@1');
    now = 5_000;
    cache.sweep();
    expect(cache.size).toBe(1);
    cache.close();
  });

  it('forgets at once when the grace period is zero', () => {
    const cache = new HotInstances(10, 0);
    cache.set(entity('@e@1'));
    cache.retire('@e@1');
    expect(cache.size).toBe(0);
  });
});
