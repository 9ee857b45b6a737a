// Proves the History commit point on Azurite: turns commit as ETag-checked transactions, reload
// returns the same events, a stale ETag changes nothing, continue-as-new restarts at 0…0, and
// payloads over 30,720 chars travel through gzip blobs.
import { TableClient } from '@azure/data-tables';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../src/host/durable/core/history-event.js';
import type { OutboundWork } from '../../src/host/durable/core/work.js';
import { ConcurrencyError, type TaskHubStore } from '../../src/host/durable/store/index.js';
import { connectionString, firstTurn, newExecutionId, openStore, secondTurn, ticker } from './taskhub-support.js';

const HUB = 'HistTest';

describe('TaskHubStore history', () => {
  let store: TaskHubStore;
  let historyTable: TableClient;
  beforeAll(async () => {
    store = await openStore(HUB);
    historyTable = TableClient.fromConnectionString(connectionString(), `${HUB}History`, { allowInsecureConnection: true });
  });

  it('commits two turns and reloads the same events', async () => {
    const id = 'two-turns';
    const exec = newExecutionId();
    const at = ticker();
    const turn1 = firstTurn(id, exec, at);
    const etag1 = await store.commitTurn({ instanceId: id, executionId: exec, startIndex: 0, events: turn1, sentinelEtag: undefined, turnNumber: 1, lastTurnStart: 0, consumedKeys: ['m-1'] });
    const turn2 = secondTurn(at);
    const before = store.requestCount;
    const etag2 = await store.commitTurn({ instanceId: id, executionId: exec, startIndex: 4, events: turn2, sentinelEtag: etag1, turnNumber: 2, lastTurnStart: 4, consumedKeys: ['a-x-00000000'] });
    expect(store.requestCount - before).toBe(1);
    expect(etag2).not.toBe(etag1);

    const loaded = await store.loadInstance(id);
    expect(loaded.history?.events).toEqual([...turn1, ...turn2]);
    expect(loaded.history?.executionId).toBe(exec);
    expect(loaded.history?.sentinel).toEqual({ executionId: exec, etag: etag2, turnNumber: 2, lastTurnStart: 4, consumedKeys: ['a-x-00000000'] });
    expect(loaded.instance).toBeUndefined();
    expect(loaded.work).toEqual({ messages: [], activities: [] });
  });

  it('keeps the turn outbox in the sentinel, in a blob when large, and drops it when a later turn has none', async () => {
    const id = 'outbox';
    const exec = newExecutionId();
    const at = ticker();
    const outbox: OutboundWork[] = [
      { kind: 'activity', taskId: 0, name: 'SayHello', input: JSON.stringify('o'.repeat(40_000)) },
      { kind: 'timer', timerId: 1, fireAt: '2025-05-01T10:00:30.000Z' },
    ];
    const etag = await store.commitTurn({ instanceId: id, executionId: exec, startIndex: 0, events: firstTurn(id, exec, at), sentinelEtag: undefined, turnNumber: 1, lastTurnStart: 0, consumedKeys: [], outbox });
    const sentinel = await historyTable.getEntity<Record<string, unknown>>(id, 'sentinel');
    expect(sentinel['Outbox']).toBe('');
    expect(sentinel['OutboxBlobName']).toMatch(/^outbox\/history-sentinel-[0-9A-F]{8}-Outbox\.json\.gz$/);
    expect((await store.loadInstance(id)).history?.sentinel.outbox).toEqual(outbox);

    await store.commitTurn({ instanceId: id, executionId: exec, startIndex: 4, events: secondTurn(at), sentinelEtag: etag, turnNumber: 2, lastTurnStart: 4, consumedKeys: [] });
    const after = await historyTable.getEntity<Record<string, unknown>>(id, 'sentinel');
    expect(after['OutboxBlobName']).toBeUndefined();
    expect((await store.loadInstance(id)).history?.sentinel.outbox).toBeUndefined();
  });

  it('loads an unknown instance as all absent', async () => {
    expect(await store.loadInstance('never-written')).toEqual({ history: undefined, instance: undefined, work: { messages: [], activities: [] } });
  });

  it('throws ConcurrencyError on a stale ETag and changes nothing', async () => {
    const id = 'conflict';
    const exec = newExecutionId();
    const at = ticker();
    const turn1 = firstTurn(id, exec, at);
    const etag1 = await store.commitTurn({ instanceId: id, executionId: exec, startIndex: 0, events: turn1, sentinelEtag: undefined, turnNumber: 1, lastTurnStart: 0, consumedKeys: [] });
    const etag2 = await store.commitTurn({ instanceId: id, executionId: exec, startIndex: 4, events: secondTurn(at), sentinelEtag: etag1, turnNumber: 2, lastTurnStart: 4, consumedKeys: [] });
    const snapshot = await historyTable.listEntities({ queryOptions: { filter: `PartitionKey eq '${id}'` } }).byPage().next();

    const competing = secondTurn(at, '"other"');
    await expect(
      store.commitTurn({ instanceId: id, executionId: exec, startIndex: 4, events: competing, sentinelEtag: etag1, turnNumber: 2, lastTurnStart: 4, consumedKeys: ['k'] }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(
      store.commitTurn({ instanceId: id, executionId: exec, startIndex: 0, events: turn1, sentinelEtag: undefined, turnNumber: 1, lastTurnStart: 0, consumedKeys: [] }),
    ).rejects.toBeInstanceOf(ConcurrencyError);

    const after = await historyTable.listEntities({ queryOptions: { filter: `PartitionKey eq '${id}'` } }).byPage().next();
    expect(after.value).toEqual(snapshot.value);
    expect((await store.loadInstance(id)).history?.sentinel.etag).toBe(etag2);
  });

  it('writes a continue-as-new execution from 0…0 and reads only the new execution', async () => {
    const id = 'can';
    const exec1 = newExecutionId();
    const at = ticker();
    const etag1 = await store.commitTurn({ instanceId: id, executionId: exec1, startIndex: 0, events: firstTurn(id, exec1, at), sentinelEtag: undefined, turnNumber: 1, lastTurnStart: 0, consumedKeys: [] });
    const etag2 = await store.commitTurn({ instanceId: id, executionId: exec1, startIndex: 4, events: secondTurn(at), sentinelEtag: etag1, turnNumber: 2, lastTurnStart: 4, consumedKeys: [] });
    const exec2 = newExecutionId();
    const next: HistoryEvent[] = firstTurn(id, exec2, at, '{"n":2}').slice(0, 2);
    next.push({ type: 'OrchestratorCompleted', eventId: -1, isPlayed: false, timestamp: at() });
    await store.commitTurn({ instanceId: id, executionId: exec2, startIndex: 0, events: next, sentinelEtag: etag2, turnNumber: 3, lastTurnStart: 0, consumedKeys: [], newExecution: true });

    const loaded = await store.loadInstance(id);
    expect(loaded.history?.executionId).toBe(exec2);
    expect(loaded.history?.events).toEqual(next);
    const rows = [];
    for await (const row of historyTable.listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq '${id}'` } })) rows.push(row);
    // Rows 0-2 carry the new execution; 3-7 of the old one stay (DTFx does the same); the sentinel names the new one.
    expect(rows.map((r) => [r.rowKey, r['ExecutionId']])).toEqual([
      ['0000000000000000', exec2],
      ['0000000000000001', exec2],
      ['0000000000000002', exec2],
      ['0000000000000003', exec1],
      ['0000000000000004', exec1],
      ['0000000000000005', exec1],
      ['0000000000000006', exec1],
      ['0000000000000007', exec1],
      ['sentinel', exec2],
    ]);
  });

  it('refuses a new execution that does not start at 0', async () => {
    await expect(
      store.commitTurn({ instanceId: 'x', executionId: 'e', startIndex: 3, events: [], sentinelEtag: undefined, turnNumber: 1, lastTurnStart: 0, consumedKeys: [], newExecution: true }),
    ).rejects.toBeInstanceOf(RangeError);
  });

  it('moves a payload over 30,720 chars to a gzip blob and reads it back', async () => {
    const id = 'large/one';
    const exec = newExecutionId();
    const big = JSON.stringify('x'.repeat(40_000));
    const events = firstTurn(id, exec, ticker(), big);
    await store.commitTurn({ instanceId: id, executionId: exec, startIndex: 0, events, sentinelEtag: undefined, turnNumber: 1, lastTurnStart: 0, consumedKeys: [] });
    const row = await historyTable.getEntity<Record<string, unknown>>('large^0one', '0000000000000001');
    expect(row['Input']).toBe('');
    expect(row['InputBlobName']).toMatch(/^large\^0one\/history-0000000000000001-ExecutionStarted-[0-9A-F]{8}-Input\.json\.gz$/);
    expect((await store.loadInstance(id)).history?.events).toEqual(events);
  });

  it('splits a turn of more than 99 events into several transactions and reloads them in order', async () => {
    const id = 'fan-out';
    const exec = newExecutionId();
    const at = ticker();
    const events: HistoryEvent[] = [...firstTurn(id, exec, at).slice(0, 2)];
    for (let i = 0; i < 250; i++) events.push({ type: 'TaskScheduled', eventId: i, isPlayed: false, timestamp: at(), name: 'Work', version: '', input: `[${i}]` });
    events.push({ type: 'OrchestratorCompleted', eventId: -1, isPlayed: false, timestamp: at() });
    const before = store.requestCount;
    const etag = await store.commitTurn({ instanceId: id, executionId: exec, startIndex: 0, events, sentinelEtag: undefined, turnNumber: 1, lastTurnStart: 0, consumedKeys: [] });
    expect(store.requestCount - before).toBe(3);
    const loaded = await store.loadInstance(id);
    expect(loaded.history?.events).toEqual(events);
    expect(loaded.history?.sentinel.etag).toBe(etag);
  });
});
