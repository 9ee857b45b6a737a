import { describe, expect, it } from 'vitest';
import { recoveryOrder } from './recovery-order.js';

describe('recoveryOrder', () => {
  it('loads instances with open activities first, each group in table order', () => {
    const partitions = [
      { instanceId: '@agent@a1', rowKeys: ['m-0001767225600000-x'] },
      { instanceId: 'agent-a1', rowKeys: ['m-0001767225600000-y'] },
      { instanceId: 'seq-1', rowKeys: ['a-e1-00000001'] },
      { instanceId: 'seq-2', rowKeys: ['a-e2-00000003', 'm-0001767225600000-z'] },
      { instanceId: 'timer-1', rowKeys: ['m-0001767225600001-t'] },
    ];
    expect(recoveryOrder(partitions).map((p) => p.instanceId)).toEqual(['seq-1', 'seq-2', '@agent@a1', 'agent-a1', 'timer-1']);
  });

  it('keeps every instance exactly once', () => {
    const partitions = Array.from({ length: 50 }, (_, i) => ({ instanceId: `i${i}`, rowKeys: [i % 3 === 0 ? `a-e-${i}` : `m-${i}`] }));
    const ordered = recoveryOrder(partitions);
    expect(new Set(ordered.map((p) => p.instanceId)).size).toBe(50);
  });
});
