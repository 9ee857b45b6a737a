// Proves on Azurite the copy of the history kept in the sentinel (store/history-copy.ts): a cold
// load reads it with point reads only and gets what the rows say; without a usable copy (none, too
// large, or left by a merge of a commit split over several transactions) the rows are queried.
import { TableClient, type TableEntityResult } from '@azure/data-tables';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../src/host/durable/core/history-event.js';
import type { TaskHubStore } from '../../src/host/durable/store/index.js';
import { connectionString, firstTurn, newExecutionId, openStore, secondTurn, ticker } from './taskhub-support.js';

const HUB = 'HistCopyTest';
type Row = TableEntityResult<Record<string, unknown>>;

/** Requests by kind made while `fn` runs (`History.get`, `History.query`, ...). */
async function kindsDuring(store: TaskHubStore, fn: () => Promise<unknown>): Promise<Record<string, number>> {
  const parse = (text: string) => new Map(text.split(';').filter(Boolean).map((t) => [t.slice(0, t.lastIndexOf(':')), Number(t.slice(t.lastIndexOf(':') + 1))] as const));
  const before = parse(store.requestKinds);
  await fn();
  const out: Record<string, number> = {};
  for (const [kind, n] of parse(store.requestKinds)) if (n - (before.get(kind) ?? 0) > 0) out[kind] = n - (before.get(kind) ?? 0);
  return out;
}

describe('TaskHubStore history copy in the sentinel', () => {
  let store: TaskHubStore;
  let historyTable: TableClient;
  beforeAll(async () => {
    store = await openStore(HUB);
    historyTable = TableClient.fromConnectionString(connectionString(), `${HUB}History`, { allowInsecureConnection: true });
  });

  const sentinelOf = (partitionKey: string): Promise<Row> => historyTable.getEntity<Record<string, unknown>>(partitionKey, 'sentinel');

  /** Replace the sentinel without its copy, as a host without the copy writes it. */
  async function dropCopy(partitionKey: string): Promise<void> {
    const sentinel = await sentinelOf(partitionKey);
    const kept = Object.fromEntries(Object.entries(sentinel).filter(([k]) => !k.startsWith('HistoryCopy') && !['etag', 'timestamp'].includes(k)));
    await historyTable.updateEntity({ ...kept, partitionKey, rowKey: 'sentinel' }, 'Replace', { etag: sentinel.etag });
  }

  it('loads an instance from its sentinel by point reads, the same as from its rows', async () => {
    const id = 'copy-two-turns';
    const exec = newExecutionId();
    const at = ticker();
    const turn1 = firstTurn(id, exec, at);
    const etag1 = await store.commitTurn({ instanceId: id, executionId: exec, startIndex: 0, events: turn1, sentinelEtag: undefined, turnNumber: 1, lastTurnStart: 0, consumedKeys: ['m-1'], history: turn1 });
    const turn2 = secondTurn(at);
    await store.commitTurn({ instanceId: id, executionId: exec, startIndex: 4, events: turn2, sentinelEtag: etag1, turnNumber: 2, lastTurnStart: 4, consumedKeys: ['k'], history: [...turn1, ...turn2] });
    expect(typeof (await sentinelOf(id))['HistoryCopy0']).toBe('string');

    let fromCopy: Awaited<ReturnType<TaskHubStore['loadInstance']>> | undefined;
    const kinds = await kindsDuring(store, async () => (fromCopy = await store.loadInstance(id)));
    expect(kinds).toEqual({ 'History.get': 1, 'Instances.get': 1, 'Work.query': 1 });
    expect(fromCopy?.history?.events).toEqual([...turn1, ...turn2]);

    await dropCopy(id);
    let fromRows: Awaited<ReturnType<TaskHubStore['loadInstance']>> | undefined;
    const fallback = await kindsDuring(store, async () => (fromRows = await store.loadInstance(id)));
    expect(fallback['History.query']).toBe(1);
    const { etag: _a, ...copySentinel } = fromCopy?.history?.sentinel ?? { etag: '' };
    const { etag: _b, ...rowsSentinel } = fromRows?.history?.sentinel ?? { etag: '' };
    expect(fromRows?.history?.events).toEqual(fromCopy?.history?.events);
    expect(rowsSentinel).toEqual(copySentinel);
    expect(fromRows?.history?.executionId).toBe(exec);
  });

  it('reads a new instance with one point read and no query of History', async () => {
    const kinds = await kindsDuring(store, () => store.loadInstance('copy-never-written'));
    expect(kinds['History.get']).toBe(1);
    expect(kinds['History.query']).toBeUndefined();
  });

  it('writes no copy of a history too large for it, and loads that one from the rows', async () => {
    const id = 'copy-large';
    const exec = newExecutionId();
    const events = firstTurn(id, exec, ticker(), JSON.stringify('x'.repeat(130_000)));
    await store.commitTurn({ instanceId: id, executionId: exec, startIndex: 0, events, sentinelEtag: undefined, turnNumber: 1, lastTurnStart: 0, consumedKeys: [], history: events });
    expect((await sentinelOf(id))['HistoryCopy0']).toBeUndefined();
    let loaded: HistoryEvent[] | undefined;
    const kinds = await kindsDuring(store, async () => (loaded = (await store.loadInstance(id)).history?.events));
    expect(kinds['History.query']).toBe(1);
    expect(loaded).toEqual(events);
  });

  it('keeps a commit split over several transactions consistent', async () => {
    const id = 'copy-split';
    const exec = newExecutionId();
    const at = ticker();
    const turn1 = firstTurn(id, exec, at);
    const etag1 = await store.commitTurn({ instanceId: id, executionId: exec, startIndex: 0, events: turn1, sentinelEtag: undefined, turnNumber: 1, lastTurnStart: 0, consumedKeys: [], history: turn1 });

    // The state the first of two transactions of an appending turn leaves: rows past EventCount
    // and a merged sentinel. The copy of turn 1 still matches EventCount and is what readers get.
    const pending = Array.from({ length: 99 }, (_, i) => ({ partitionKey: id, rowKey: (4 + i).toString(16).toUpperCase().padStart(16, '0'), EventType: 'TaskScheduled', EventId: i, IsPlayed: false, _Timestamp: new Date(at()), Name: 'Work', Version: '', Input: '[0]', ExecutionId: exec }));
    for (const row of pending) await historyTable.upsertEntity(row, 'Replace');
    const merged = await historyTable.updateEntity({ partitionKey: id, rowKey: 'sentinel', ExecutionId: exec, IsCheckpointComplete: false, EventCount: 4 }, 'Merge', { etag: etag1 });
    let half: HistoryEvent[] | undefined;
    const halfKinds = await kindsDuring(store, async () => (half = (await store.loadInstance(id)).history?.events));
    expect(half).toEqual(turn1);
    expect(halfKinds['History.query']).toBeUndefined();

    // Of a new execution (continue-as-new): the copy names the old execution, so the rows decide (none yet).
    const exec2 = newExecutionId();
    const merged2 = await historyTable.updateEntity({ partitionKey: id, rowKey: 'sentinel', ExecutionId: exec2, IsCheckpointComplete: false, EventCount: 0 }, 'Merge', { etag: merged.etag });
    const fresh = await store.loadInstance(id);
    expect(fresh.history?.executionId).toBe(exec2);
    expect(fresh.history?.events).toEqual([]);

    // A real split commit of 250 events: its last transaction carries the copy of all of them.
    const big: HistoryEvent[] = [...firstTurn(id, exec2, at).slice(0, 2)];
    for (let i = 0; i < 250; i++) big.push({ type: 'TaskScheduled', eventId: i, isPlayed: false, timestamp: at(), name: 'Work', version: '', input: `[${i}]` });
    big.push({ type: 'OrchestratorCompleted', eventId: -1, isPlayed: false, timestamp: at() });
    await store.commitTurn({ instanceId: id, executionId: exec2, startIndex: 0, events: big, sentinelEtag: merged2.etag, turnNumber: 2, lastTurnStart: 0, consumedKeys: [], newExecution: true, history: big });
    let all: HistoryEvent[] | undefined;
    const allKinds = await kindsDuring(store, async () => (all = (await store.loadInstance(id)).history?.events));
    expect(all).toEqual(big);
    expect(allKinds['History.query']).toBeUndefined();
    await dropCopy(id);
    expect((await store.loadInstance(id)).history?.events).toEqual(big);
  });

  it('refuses a history that does not end where the commit does', async () => {
    const exec = newExecutionId();
    const turn1 = firstTurn('copy-bad', exec, ticker());
    await expect(
      store.commitTurn({ instanceId: 'copy-bad', executionId: exec, startIndex: 0, events: turn1, sentinelEtag: undefined, turnNumber: 1, lastTurnStart: 0, consumedKeys: [], history: turn1.slice(1) }),
    ).rejects.toBeInstanceOf(RangeError);
  });
});
