import { describe, expect, it } from 'vitest';
import { activityRowKey } from '../store/key-sanitation.js';
import type { WorkChanges } from '../store/work-store.js';
import type { ActivityWork } from '../wire/work-row.js';
import type { EngineContext } from './engine-context.js';
import { repairWorkAfterCurrentRow } from './outbound-delivery.js';

/** The one store call the repair makes, recorded. */
function recordingContext() {
  const batches: { instanceId: string; changes: WorkChanges }[] = [];
  const store = {
    applyWork: async (instanceId: string, changes: WorkChanges) => {
      batches.push({ instanceId, changes });
    },
  };
  return { batches, ctx: { store } as unknown as EngineContext };
}

const marker: ActivityWork = { executionId: 'e1', taskId: 0, name: 'Echo', input: '0' };

describe('repairWorkAfterCurrentRow', () => {
  it('deletes consumed leftovers and inserts a missing marker in one batch', async () => {
    const { batches, ctx } = recordingContext();
    const work = { messages: [{ rowKey: 'm-start', messageId: 'start', targetInstanceId: 'i', event: { type: 'OrchestratorStarted' as const, eventId: -1, isPlayed: false, timestamp: '2026-01-01T00:00:00.000Z' } }], activities: [] };
    await repairWorkAfterCurrentRow(ctx, 'i', ['m-start', 'm-gone'], work, marker);
    expect(batches).toEqual([{ instanceId: 'i', changes: { insertActivities: [marker], deleteKeys: ['m-start'] } }]);
  });

  it('writes nothing when the marker is there and nothing consumed is left', async () => {
    const { batches, ctx } = recordingContext();
    const work = { messages: [], activities: [{ ...marker, rowKey: activityRowKey('e1', 0) }] };
    await repairWorkAfterCurrentRow(ctx, 'i', ['m-start'], work, marker);
    await repairWorkAfterCurrentRow(ctx, 'i', [], { messages: [], activities: [] });
    expect(batches).toEqual([]);
  });
});
