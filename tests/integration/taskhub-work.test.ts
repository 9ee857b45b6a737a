// Proves the engine's own tables on Azurite: Work messages are idempotent by id, activity rows
// come and go with one batch per 100 operations, recovery can list the partitions, and the
// Timers table yields the earliest timer first.
import { TableClient } from '@azure/data-tables';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InstanceMessage } from '../../src/host/durable/core/work.js';
import { repairWorkAfterCurrentRow } from '../../src/host/durable/engine/outbound-delivery.js';
import { activityRowKey } from '../../src/host/durable/store/key-sanitation.js';
import type { TaskHubStore, TimerRecord } from '../../src/host/durable/store/index.js';
import type { ActivityWork } from '../../src/host/durable/wire/work-row.js';
import { connectionString, openStore } from './taskhub-support.js';

const HUB = 'WorkTest';

function raised(target: string, messageId: string, timestamp: string, input?: string): InstanceMessage {
  return { messageId, targetInstanceId: target, event: { type: 'EventRaised', eventId: -1, isPlayed: false, timestamp, name: 'Approval', ...(input === undefined ? {} : { input }) } };
}

describe('TaskHubStore work and timers', () => {
  let store: TaskHubStore;
  let work: TableClient;
  beforeAll(async () => {
    store = await openStore(HUB);
    work = TableClient.fromConnectionString(connectionString(), `${HUB}Work`, { allowInsecureConnection: true });
  });

  it('stores messages per target, oldest first, and a re-delivery overwrites instead of duplicating', async () => {
    const m1 = raised('w-1', 'client-a', '2025-05-01T10:00:00.000Z', '1');
    const m2: InstanceMessage = { ...raised('w-1', 'parent|e1|3', '2025-05-01T09:00:00.000Z', '2'), sender: 'parent', targetExecutionId: 'exec-1' };
    const m3 = raised('w-2', 'client-b', '2025-05-01T10:00:00.000Z');
    const before = store.requestCount;
    const keys = await store.putMessages([m1, m2, m3]);
    expect(store.requestCount - before).toBe(2); // one transaction per target partition
    expect(keys).toEqual(['m-1746093600000-client-a', 'm-1746090000000-parent|e1|3', 'm-1746093600000-client-b']);
    await store.putMessages([m2]);

    const w1 = await store.readWork('w-1');
    expect(w1.messages).toEqual([{ ...m2, rowKey: keys[1] }, { ...m1, rowKey: keys[0] }]);
    expect((await store.readWork('w-2')).messages).toEqual([{ ...m3, rowKey: keys[2] }]);
  });

  it('keeps a large message in a blob and reads it back', async () => {
    const message = raised('w-big', 'big', '2025-05-01T10:00:00.000Z', JSON.stringify('z'.repeat(35_000)));
    const [key] = await store.putMessages([message]);
    const row = await work.getEntity<Record<string, unknown>>('w-big', key as string);
    expect(row['Event']).toBe('');
    expect(row['EventBlobName']).toMatch(/^w-big\/work-m-1746093600000-big-[0-9A-F]{8}-Event\.json\.gz$/);
    expect((await store.readWork('w-big')).messages).toEqual([{ ...message, rowKey: key }]);
  });

  it('inserts activities and deletes consumed rows, and repeating the same change is harmless', async () => {
    const id = 'w-act';
    const [msgKey] = await store.putMessages([raised(id, 'start', '2025-05-01T10:00:00.000Z')]);
    const activities = Array.from({ length: 150 }, (_, i) => ({ executionId: 'e1', taskId: i, name: 'Work', input: `[${i}]` }));
    const before = store.requestCount;
    await store.applyWork(id, { insertActivities: activities, deleteKeys: [msgKey as string] });
    expect(store.requestCount - before).toBe(2); // 151 operations: two transactions
    const afterFirst = await store.readWork(id);
    expect(afterFirst.messages).toEqual([]);
    expect(afterFirst.activities).toHaveLength(150);
    expect(afterFirst.activities[42]).toEqual({ rowKey: 'a-e1-00000042', executionId: 'e1', taskId: 42, name: 'Work', input: '[42]' });

    // Recovery re-does the same post-commit: the delete of the gone message must not fail the batch.
    await store.applyWork(id, { insertActivities: activities.slice(0, 2), deleteKeys: [msgKey as string] });
    await store.applyWork(id, { insertActivities: [], deleteKeys: afterFirst.activities.map((a) => a.rowKey).filter((_, i) => i % 2 === 0) });
    const left = await store.readWork(id);
    expect(left.activities.map((a) => a.taskId)).toEqual(activities.map((a) => a.taskId).filter((n) => n % 2 === 1));
  });

  it('lets deletes share the transaction of concurrent messages to the partition, skipping rows already gone', async () => {
    const id = 'w-grp';
    const [k1, k2] = await store.putMessages([raised(id, 'g1', '2025-05-01T10:00:00.000Z'), raised(id, 'g2', '2025-05-01T10:00:01.000Z')]);
    const before = store.requestCount;
    // The first delete goes at once; the write and the second deletes (one of a row that never
    // existed) wait for it and then go in one transaction, retried once without the gone row.
    const first = store.applyWork(id, { insertActivities: [], deleteKeys: [k1 as string] });
    await Promise.all([first, store.putMessages([raised(id, 'g3', '2025-05-01T10:00:02.000Z')]), store.applyWork(id, { insertActivities: [], deleteKeys: [k2 as string, 'm-1-never-written'] })]);
    // 1 (k1) + 1 (g3 and the deletes, refused for the gone row) + 1 (partition keys) + 1 (the retry)
    expect(store.requestCount - before).toBe(4);
    expect((await store.readWork(id)).messages.map((m) => m.messageId)).toEqual(['g3']);
  });

  it('sends deletes that may wait with the next write to the partition, or shortly after', async () => {
    const id = 'w-late';
    const [k1, k2] = await store.putMessages([raised(id, 'l1', '2025-05-01T10:00:00.000Z'), raised(id, 'l2', '2025-05-01T10:00:01.000Z')]);
    const before = store.requestCount;
    store.deleteWorkLater(id, [k1 as string]);
    await store.putMessages([raised(id, 'l3', '2025-05-01T10:00:02.000Z')]);
    expect(store.requestCount - before).toBe(1); // the delete went with the write
    expect((await store.readWork(id)).messages.map((m) => m.messageId)).toEqual(['l2', 'l3']);
    store.deleteWorkLater(id, [k2 as string]);
    await expect.poll(async () => (await store.readWork(id)).messages.map((m) => m.messageId), { timeout: 5_000 }).toEqual(['l3']);
  });

  it('lists every instance with work and its row keys', async () => {
    const partitions = await store.listWorkPartitions();
    const byId = new Map(partitions.map((p) => [p.instanceId, p.rowKeys]));
    expect(byId.get('w-1')).toEqual(['m-1746090000000-parent|e1|3', 'm-1746093600000-client-a']);
    expect(byId.get('w-act')).toHaveLength(75);
    expect(byId.has('w-big')).toBe(true);
  });

  it('orders timers by fire time and returns the due ones', async () => {
    const timers: TimerRecord[] = [
      { instanceId: 't-b', executionId: 'e', timerId: 2, fireAt: '2030-01-01T00:00:02.000Z' },
      { instanceId: 't-a', executionId: 'e', timerId: 1, fireAt: '2030-01-01T00:00:01.000Z' },
      { instanceId: 't-c', executionId: 'e', timerId: 3, fireAt: '2030-01-01T00:00:03.000Z' },
      { instanceId: 't-d', executionId: 'e', timerId: 4, fireAt: '2030-01-01T00:00:01.000Z' },
    ];
    expect(await store.nextTimer()).toBeUndefined();
    await store.putTimers(timers);
    await store.putTimers([timers[0] as TimerRecord]); // idempotent
    expect(await store.nextTimer()).toEqual(timers[1]);
    expect(await store.dueTimers(new Date('2030-01-01T00:00:02.000Z'), 10)).toEqual([timers[1], timers[3], timers[0]]);
    expect(await store.dueTimers(new Date('2030-01-01T00:00:05.000Z'), 2)).toEqual([timers[1], timers[3]]);
    expect(await store.dueTimers(new Date('2029-12-31T23:59:59.000Z'), 10)).toEqual([]);

    await store.deleteTimers([timers[1] as TimerRecord, timers[3] as TimerRecord]);
    await store.deleteTimers([timers[1] as TimerRecord]); // already gone: no error
    expect(await store.nextTimer()).toEqual(timers[0]);
  });
});

describe('repairWorkAfterCurrentRow on the real store', () => {
  let store: TaskHubStore;
  beforeAll(async () => {
    store = await openStore('RepairTest');
  });

  it('deletes the rows a crashed turn consumed and puts back its missing marker, in one batch', async () => {
    const keys = await store.putMessages([raised('r-1', 'start', '2025-05-01T10:00:00.000Z'), raised('r-1', 'later', '2025-05-01T10:00:01.000Z')]);
    const marker: ActivityWork = { executionId: 'e1', taskId: 0, name: 'Echo', input: '0' };
    const work = await store.readWork('r-1');
    const before = store.requestCount;
    // The turn consumed `start` (and a row already gone); `later` came after it and must stay.
    await repairWorkAfterCurrentRow(store, 'r-1', [keys[0] as string, 'm-gone'], work, marker);
    expect(store.requestCount - before).toBe(1); // one transaction
    const after = await store.readWork('r-1');
    expect(after.messages.map((m) => m.messageId)).toEqual(['later']);
    expect(after.activities).toEqual([{ ...marker, rowKey: activityRowKey('e1', 0) }]);
  });

  it('writes nothing when the marker is there and nothing consumed is left', async () => {
    const marker: ActivityWork = { executionId: 'e2', taskId: 3, name: 'Echo', input: '1' };
    await store.applyWork('r-2', { insertActivities: [marker], deleteKeys: [] });
    const work = await store.readWork('r-2');
    const before = store.requestCount;
    await repairWorkAfterCurrentRow(store, 'r-2', ['m-consumed-long-ago'], work, marker);
    await repairWorkAfterCurrentRow(store, 'r-3', [], { messages: [], activities: [] });
    expect(store.requestCount - before).toBe(0);
    expect((await store.readWork('r-2')).activities).toHaveLength(1);
  });
});
