import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../core/history-event.js';
import type { InstanceFields } from '../wire/instance-row.js';
import { silentLogger } from '../../log/logger.js';
import { InstanceRowWriter, rowMayLag, type TurnRowFacts } from './instance-row-writer.js';

/** A store that keeps every write and lets the test decide when each one answers. */
function heldStore() {
  const writes: { fields: InstanceFields; mode: string; answer(err?: Error): void }[] = [];
  return {
    writes,
    writeInstance: (fields: InstanceFields, mode: 'Merge' | 'Replace' = 'Merge') =>
      new Promise<void>((resolve, reject) => writes.push({ fields, mode, answer: (err) => (err ? reject(err) : resolve()) })),
  };
}

const log = silentLogger;
const tick = () => new Promise((r) => setImmediate(r));

describe('InstanceRowWriter', () => {
  it('keeps one write in flight per instance and sends what came meanwhile as one merged write', async () => {
    const store = heldStore();
    const rows = new InstanceRowWriter(store, log, 60_000);
    const first = rows.write({ instanceId: 'i', runtimeStatus: 'Running', input: '"in"', turnNumber: 1 });
    rows.defer({ instanceId: 'i', runtimeStatus: 'Running', turnNumber: 2 });
    const third = rows.write({ instanceId: 'i', runtimeStatus: 'Completed', output: '1', turnNumber: 3 });
    expect(store.writes).toHaveLength(1);
    store.writes[0]?.answer();
    await first;
    await tick();
    expect(store.writes).toHaveLength(2);
    expect(store.writes[1]?.fields).toEqual({ instanceId: 'i', runtimeStatus: 'Completed', output: '1', turnNumber: 3 });
    store.writes[1]?.answer();
    await third;
    expect(rows.size).toBe(0);
  });

  it('holds deferred rows until the delay, the latest fields winning and earlier ones kept', async () => {
    const store = heldStore();
    const rows = new InstanceRowWriter(store, log, 20);
    rows.defer({ instanceId: 'i', input: '"in"', createdTime: '2026-01-01T00:00:00.000Z', turnNumber: 2 });
    rows.defer({ instanceId: 'i', turnNumber: 3, customStatus: undefined });
    expect(store.writes).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 40));
    expect(store.writes.map((w) => w.fields)).toEqual([{ instanceId: 'i', input: '"in"', createdTime: '2026-01-01T00:00:00.000Z', turnNumber: 3, customStatus: undefined }]);
    store.writes[0]?.answer();
    await tick();
    expect(rows.size).toBe(0);
  });

  it('spreads deferred rows over a longer delay when many instances have one waiting', async () => {
    const store = heldStore();
    // 20 ms alone; 4 instances waiting at 50 rows/s make the fourth wait 80 ms.
    const rows = new InstanceRowWriter(store, log, 20, 50);
    for (const id of ['a', 'b', 'c', 'd']) rows.defer({ instanceId: id, turnNumber: 2 });
    await new Promise((r) => setTimeout(r, 50));
    const early = store.writes.map((w) => w.fields.instanceId);
    expect(early).toContain('a');
    expect(early).not.toContain('d');
    await new Promise((r) => setTimeout(r, 60));
    expect(store.writes.map((w) => w.fields.instanceId)).toContain('d');
  });

  it('puts a failed write back under newer fields so an older turn never lands last', async () => {
    const store = heldStore();
    const rows = new InstanceRowWriter(store, log, 60_000);
    const first = rows.write({ instanceId: 'i', runtimeStatus: 'Running', input: '"in"', turnNumber: 1 });
    rows.defer({ instanceId: 'i', runtimeStatus: 'Running', turnNumber: 2 });
    store.writes[0]?.answer(new Error('503'));
    await expect(first).rejects.toThrow('503');
    const flushed = rows.flush();
    await tick();
    expect(store.writes[1]?.fields).toEqual({ instanceId: 'i', runtimeStatus: 'Running', input: '"in"', turnNumber: 2 });
    store.writes[1]?.answer();
    await flushed;
    expect(rows.size).toBe(0);
  });

  it('lets a Replace drop the fields that waited', async () => {
    const store = heldStore();
    const rows = new InstanceRowWriter(store, log, 60_000);
    rows.defer({ instanceId: 'i', output: '"old"', turnNumber: 4 });
    const replaced = rows.write({ instanceId: 'i', runtimeStatus: 'Running', turnNumber: 5 }, 'Replace');
    expect(store.writes.map((w) => [w.fields, w.mode])).toEqual([[{ instanceId: 'i', runtimeStatus: 'Running', turnNumber: 5 }, 'Replace']]);
    store.writes[0]?.answer();
    await replaced;
  });
});

const at = '2026-01-01T00:00:00.000Z';
const scheduled = (eventId: number): HistoryEvent => ({ type: 'TaskScheduled', eventId, isPlayed: false, timestamp: at, name: 'A', version: '' });
const completed = (taskScheduledId: number): HistoryEvent => ({ type: 'TaskCompleted', eventId: -1, isPlayed: false, timestamp: at, taskScheduledId });
const facts = (over: Partial<TurnRowFacts> = {}): TurnRowFacts => ({
  events: [scheduled(0), completed(0), scheduled(1)],
  outbound: [{ kind: 'activity', taskId: 1, name: 'A' }],
  runtimeStatus: 'Running',
  statusBefore: 'Running',
  customStatusBefore: undefined,
  customStatus: undefined,
  ...over,
});

describe('rowMayLag', () => {
  it('lets the row of a running sequence step wait while an activity stays open', () => {
    expect(rowMayLag(facts())).toBe(true);
  });

  it('writes at once when no activity stays open, the status or custom status changes, or a message goes out', () => {
    expect(rowMayLag(facts({ events: [scheduled(0), completed(0)] }))).toBe(false);
    expect(rowMayLag(facts({ runtimeStatus: 'Suspended' }))).toBe(false);
    expect(rowMayLag(facts({ customStatus: '"half"' }))).toBe(false);
    expect(rowMayLag(facts({ customStatus: '"half"', customStatusBefore: '"half"' }))).toBe(true);
    expect(rowMayLag(facts({ outbound: [{ kind: 'message', message: { messageId: 'm', targetInstanceId: 't', event: completed(0) } }] }))).toBe(false);
  });
});
