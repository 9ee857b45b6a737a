// Proves that what the store writes matches the DTFx Azure Storage layout DfMon reads: every
// applicable item of taskhub-layout.md section 8 is checked on the raw rows, with EDM types seen
// through `listEntities({ disableTypeConversion: true })`.
// Not checked here (the engine's job, not the store's): 5 (id rules), 13 (terminal Output text),
// 14-15 (typed filters cannot be proven on Azurite), 20/27/28/29 (episode structure, parent timing,
// replay), 36 (DfMon by hand). Int32 vs an integral Double cannot be told apart over JSON (the
// service annotates neither), so Int32 here means "an unannotated integer", which the service
// stores as Edm.Int32.
import { gunzipSync } from 'node:zlib';
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../src/host/durable/core/history-event.js';
import { escapePartitionKey, type TaskHubStore } from '../../src/host/durable/store/index.js';
import { connectionString, firstTurn, newExecutionId, openStore, ticker } from './taskhub-support.js';

const HUB = 'LayoutHub';
type Typed = { value: string; type: string };
type RawRow = Record<string, unknown> & { partitionKey: string; rowKey: string };

const ORCHESTRATIONS = ['hello-001', 'hello-running', 'can-001', 'large-001', 'pending-001'];
const ENTITY = '@counter@k1';

async function rawRows(table: TableClient, filter?: string): Promise<RawRow[]> {
  const rows: RawRow[] = [];
  for await (const row of table.listEntities<Record<string, unknown>>({ disableTypeConversion: true, ...(filter ? { queryOptions: { filter } } : {}) })) rows.push(row as RawRow);
  return rows;
}
const typed = (row: RawRow, column: string): Typed | undefined => row[column] as Typed | undefined;
const typeOf = (row: RawRow, column: string) => typed(row, column)?.type;
const valueOf = (row: RawRow, column: string) => typed(row, column)?.value;
const dateOf = (row: RawRow, column: string) => new Date(valueOf(row, column) as string).getTime();

describe('task hub layout checklist (taskhub-layout.md section 8)', () => {
  let store: TaskHubStore;
  let instancesTable: TableClient;
  let historyTable: TableClient;
  let instances: RawRow[];
  let history: RawRow[];
  const execs: Record<string, string> = {};
  let largeValue = '';

  beforeAll(async () => {
    store = await openStore(HUB);
    instancesTable = TableClient.fromConnectionString(connectionString(), `${HUB}Instances`, { allowInsecureConnection: true });
    historyTable = TableClient.fromConnectionString(connectionString(), `${HUB}History`, { allowInsecureConnection: true });
    const at = ticker(Date.now() - 60_000);

    // hello-001: client start, three turns (activity, timer, sub-orchestration, event sent, event raised), completed.
    const id = 'hello-001';
    const exec = (execs[id] = newExecutionId());
    const t1 = firstTurn(id, exec, at);
    const started = t1[1] as HistoryEvent;
    await store.createInstanceIfAbsentOrTerminal({ instanceId: id, name: 'HelloCities', version: '', runtimeStatus: 'Pending', input: '"Tokyo"', createdTime: started.timestamp, lastUpdatedTime: started.timestamp, executionId: exec });
    let etag = await store.commitTurn({ instanceId: id, executionId: exec, startIndex: 0, events: t1, sentinelEtag: undefined, turnNumber: 1, lastTurnStart: 0, consumedKeys: [] });
    await store.writeInstance({ instanceId: id, name: 'HelloCities', version: '', runtimeStatus: 'Running', input: '"Tokyo"', createdTime: started.timestamp, lastUpdatedTime: (t1[3] as HistoryEvent).timestamp, executionId: exec, generation: 0, turnNumber: 1 });
    const fireAt = new Date(Date.now() - 1_000).toISOString();
    const t2: HistoryEvent[] = [
      { type: 'OrchestratorStarted', eventId: -1, isPlayed: false, timestamp: at() },
      { type: 'TaskCompleted', eventId: -1, isPlayed: true, timestamp: at(), taskScheduledId: 0, result: '"Hello Tokyo!"' },
      { type: 'TimerCreated', eventId: 1, isPlayed: false, timestamp: at(), fireAt },
      { type: 'SubOrchestrationInstanceCreated', eventId: 2, isPlayed: false, timestamp: at(), name: 'Child', version: '', instanceId: 'hello-001-child', input: '{"a":1}' },
      { type: 'EventSent', eventId: 3, isPlayed: false, timestamp: at(), instanceId: ENTITY, name: 'op', input: '{"op":"add","signal":true}' },
      { type: 'OrchestratorCompleted', eventId: -1, isPlayed: false, timestamp: at() },
    ];
    etag = await store.commitTurn({ instanceId: id, executionId: exec, startIndex: 4, events: t2, sentinelEtag: etag, turnNumber: 2, lastTurnStart: 4, consumedKeys: [] });
    const t3: HistoryEvent[] = [
      { type: 'OrchestratorStarted', eventId: -1, isPlayed: false, timestamp: at() },
      { type: 'TimerFired', eventId: -1, isPlayed: true, timestamp: at(), timerId: 1, fireAt },
      { type: 'SubOrchestrationInstanceCompleted', eventId: -1, isPlayed: true, timestamp: at(), taskScheduledId: 2, result: '[1,2]' },
      { type: 'EventRaised', eventId: -1, isPlayed: true, timestamp: at(), name: 'Approval', input: 'true' },
      { type: 'ExecutionCompleted', eventId: 4, isPlayed: false, timestamp: at(), orchestrationStatus: 'Completed', result: '"Hello Tokyo!"' },
      { type: 'OrchestratorCompleted', eventId: -1, isPlayed: false, timestamp: at() },
    ];
    await store.commitTurn({ instanceId: id, executionId: exec, startIndex: 10, events: t3, sentinelEtag: etag, turnNumber: 3, lastTurnStart: 10, consumedKeys: [] });
    const done = (t3[5] as HistoryEvent).timestamp;
    await store.writeInstance({ instanceId: id, runtimeStatus: 'Completed', output: '"Hello Tokyo!"', lastUpdatedTime: done, completedTime: done, executionId: exec, turnNumber: 3 });

    // hello-running: one turn, a custom status.
    const running = 'hello-running';
    execs[running] = newExecutionId();
    const r1 = firstTurn(running, execs[running] as string, at);
    await store.commitTurn({ instanceId: running, executionId: execs[running] as string, startIndex: 0, events: r1, sentinelEtag: undefined, turnNumber: 1, lastTurnStart: 0, consumedKeys: [] });
    await store.writeInstance({ instanceId: running, name: 'HelloCities', version: '', runtimeStatus: 'Running', input: '"Tokyo"', customStatus: '{"step":1}', createdTime: (r1[1] as HistoryEvent).timestamp, lastUpdatedTime: (r1[3] as HistoryEvent).timestamp, executionId: execs[running] as string, generation: 0, tags: { team: 'x' } });

    // can-001: two turns, then continue-as-new into a shorter execution.
    const can = 'can-001';
    const old = newExecutionId();
    execs[`${can}:old`] = old;
    let canEtag = await store.commitTurn({ instanceId: can, executionId: old, startIndex: 0, events: firstTurn(can, old, at, '{"n":1}'), sentinelEtag: undefined, turnNumber: 1, lastTurnStart: 0, consumedKeys: [] });
    canEtag = await store.commitTurn({ instanceId: can, executionId: old, startIndex: 4, events: t2.map((e) => ({ ...e, timestamp: at() })), sentinelEtag: canEtag, turnNumber: 2, lastTurnStart: 4, consumedKeys: [] });
    const oldStarted = firstTurn(can, old, at, '{"n":1}')[1] as HistoryEvent;
    await store.writeInstance({ instanceId: can, name: 'HelloCities', version: '', runtimeStatus: 'Running', input: '{"n":1}', createdTime: oldStarted.timestamp, lastUpdatedTime: oldStarted.timestamp, executionId: old, generation: 0 });
    const exec2 = (execs[can] = newExecutionId());
    const next = firstTurn(can, exec2, at, '{"n":2}');
    const nextEvents = [next[0], next[1], next[3]] as HistoryEvent[];
    await store.commitTurn({ instanceId: can, executionId: exec2, startIndex: 0, events: nextEvents, sentinelEtag: canEtag, turnNumber: 3, lastTurnStart: 0, consumedKeys: [], newExecution: true });
    await store.writeInstance({ instanceId: can, name: 'HelloCities', version: '', runtimeStatus: 'Running', input: '{"n":2}', createdTime: (next[1] as HistoryEvent).timestamp, lastUpdatedTime: (next[3] as HistoryEvent).timestamp, executionId: exec2 });

    // large-001: a 40,000-char input in history and in the Instances row.
    const large = 'large-001';
    const lexec = (execs[large] = newExecutionId());
    largeValue = JSON.stringify('L'.repeat(40_000));
    const l1 = firstTurn(large, lexec, at, largeValue);
    await store.commitTurn({ instanceId: large, executionId: lexec, startIndex: 0, events: l1, sentinelEtag: undefined, turnNumber: 1, lastTurnStart: 0, consumedKeys: [] });
    await store.writeInstance({ instanceId: large, name: 'HelloCities', version: '', runtimeStatus: 'Running', input: largeValue, createdTime: (l1[1] as HistoryEvent).timestamp, lastUpdatedTime: (l1[3] as HistoryEvent).timestamp, executionId: lexec, generation: 0 });

    // pending-001: a client start that no turn has picked up yet.
    const pendingTime = at();
    execs['pending-001'] = newExecutionId();
    await store.createInstanceIfAbsentOrTerminal({ instanceId: 'pending-001', name: 'HelloCities', version: '', runtimeStatus: 'Pending', input: '"Oslo"', createdTime: pendingTime, lastUpdatedTime: pendingTime, executionId: execs['pending-001'] });

    // An entity after one batch: history = OrchestratorStarted, ExecutionStarted(scheduler state), OrchestratorCompleted.
    const eexec = (execs[ENTITY] = newExecutionId());
    const schedulerState = JSON.stringify({ exists: true, state: JSON.stringify({ value: 5 }), sorter: {} });
    const e1: HistoryEvent[] = [
      { type: 'OrchestratorStarted', eventId: -1, isPlayed: false, timestamp: at() },
      { type: 'ExecutionStarted', eventId: -1, isPlayed: true, timestamp: at(), name: ENTITY, version: '', input: schedulerState, instanceId: ENTITY, executionId: eexec },
      { type: 'OrchestratorCompleted', eventId: -1, isPlayed: false, timestamp: at() },
    ];
    await store.commitTurn({ instanceId: ENTITY, executionId: eexec, startIndex: 0, events: e1, sentinelEtag: undefined, turnNumber: 1, lastTurnStart: 0, consumedKeys: [], newExecution: true });
    await store.writeInstance({ instanceId: ENTITY, name: ENTITY, version: '', runtimeStatus: 'Running', input: schedulerState, customStatus: '{"entityExists":true}', createdTime: (e1[1] as HistoryEvent).timestamp, lastUpdatedTime: (e1[2] as HistoryEvent).timestamp, executionId: eexec, generation: 0 });

    instances = await rawRows(instancesTable);
    history = await rawRows(historyTable);
  });

  const instanceRow = (id: string) => instances.find((r) => r.partitionKey === escapePartitionKey(id)) as RawRow;
  const historyOf = (id: string) => history.filter((r) => r.partitionKey === escapePartitionKey(id));
  const currentHistory = (id: string) => {
    const rows = historyOf(id);
    const sentinel = rows.find((r) => r.rowKey === 'sentinel') as RawRow;
    const current: RawRow[] = [];
    for (const row of rows) {
      if (row.rowKey === 'sentinel') continue;
      if (valueOf(row, 'ExecutionId') !== valueOf(sentinel, 'ExecutionId')) break;
      current.push(row);
    }
    return current;
  };
  const withHistory = ['hello-001', 'hello-running', 'can-001', 'large-001', ENTITY];

  it('1. creates <Hub>Instances and <Hub>History with a valid hub name', async () => {
    const service = TableServiceClient.fromConnectionString(connectionString(), { allowInsecureConnection: true });
    const tables: string[] = [];
    for await (const t of service.listTables()) if (t.name) tables.push(t.name);
    expect(tables).toEqual(expect.arrayContaining([`${HUB}Instances`, `${HUB}History`, `${HUB}Work`, `${HUB}Timers`]));
    expect(HUB).toMatch(/^[A-Za-z][A-Za-z0-9]{2,44}$/);
    // 35, for free: no DurableTaskPartitions table that would make DfMon think this is Netherite.
    expect(tables).not.toContain('DurableTaskPartitions');
  });

  it('2. creates <hub>-workitems and <hub>-control-00..03', async () => {
    const queues: string[] = [];
    for await (const q of QueueServiceClient.fromConnectionString(connectionString()).listQueues({ prefix: 'layouthub-' })) queues.push(q.name);
    expect(queues.sort()).toEqual(['layouthub-control-00', 'layouthub-control-01', 'layouthub-control-02', 'layouthub-control-03', 'layouthub-workitems']);
  });

  it('3. creates <hub>-largemessages, and <hub>-leases/taskhub.json', async () => {
    const blobs = BlobServiceClient.fromConnectionString(connectionString());
    expect(await blobs.getContainerClient('layouthub-largemessages').exists()).toBe(true);
    const body = await blobs.getContainerClient('layouthub-leases').getBlobClient('taskhub.json').downloadToBuffer();
    const json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    expect(json).toEqual({ TaskHubName: HUB, CreatedAt: expect.any(String), PartitionCount: 4 });
  });

  it('4. keeps exactly one Instances row per instance, RowKey "" and PartitionKey = escaped id', () => {
    expect(instances.map((r) => r.partitionKey).sort()).toEqual([...ORCHESTRATIONS, ENTITY].map(escapePartitionKey).sort());
    for (const row of instances) expect(row.rowKey).toBe('');
  });

  it('6. writes RuntimeStatus as an exact-case String', () => {
    for (const row of instances) {
      expect(typeOf(row, 'RuntimeStatus')).toBe('String');
      expect(['Pending', 'Running', 'Completed', 'ContinuedAsNew', 'Failed', 'Canceled', 'Terminated', 'Suspended']).toContain(valueOf(row, 'RuntimeStatus'));
    }
    expect(valueOf(instanceRow('hello-001'), 'RuntimeStatus')).toBe('Completed');
    expect(valueOf(instanceRow('pending-001'), 'RuntimeStatus')).toBe('Pending');
  });

  it('7. writes CreatedTime <= LastUpdatedTime <= now as UTC DateTime', () => {
    for (const row of instances) {
      expect(typeOf(row, 'CreatedTime')).toBe('DateTime');
      expect(typeOf(row, 'LastUpdatedTime')).toBe('DateTime');
      expect(valueOf(row, 'CreatedTime')).toMatch(/Z$/);
      expect(dateOf(row, 'CreatedTime')).toBeLessThanOrEqual(dateOf(row, 'LastUpdatedTime'));
      expect(dateOf(row, 'LastUpdatedTime')).toBeLessThanOrEqual(Date.now() + 5_000);
    }
  });

  it('8. writes CompletedTime only on terminal rows', () => {
    for (const row of instances) {
      const terminal = ['Completed', 'Failed', 'Terminated', 'Canceled'].includes(valueOf(row, 'RuntimeStatus') as string);
      expect(typeOf(row, 'CompletedTime')).toBe(terminal ? 'DateTime' : undefined);
    }
  });

  it('9. writes a 32-hex ExecutionId String on every row', () => {
    for (const row of instances) {
      expect(typeOf(row, 'ExecutionId')).toBe('String');
      expect(valueOf(row, 'ExecutionId')).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('10. writes Name = ExecutionStarted.Name of the current execution and a String Version', () => {
    for (const id of withHistory) {
      const started = currentHistory(id).find((r) => valueOf(r, 'EventType') === 'ExecutionStarted') as RawRow;
      expect(typed(instanceRow(id), 'Name')).toEqual({ value: valueOf(started, 'Name'), type: 'String' });
      expect(typeOf(instanceRow(id), 'Version')).toBe('String');
    }
  });

  it('11. types Generation Int32, ScheduledStartTime DateTime and Tags a JSON object', () => {
    for (const row of instances) {
      if (row['Generation'] !== undefined) expect(typeOf(row, 'Generation')).toBe('Int32');
      if (row['ScheduledStartTime'] !== undefined) expect(typeOf(row, 'ScheduledStartTime')).toBe('DateTime');
      if (row['Tags'] !== undefined) {
        const tags = valueOf(row, 'Tags') as string;
        expect(tags === 'null' || (typeof JSON.parse(tags) === 'object' && !Array.isArray(JSON.parse(tags)))).toBe(true);
      }
    }
    expect(typed(instanceRow('hello-running'), 'Tags')).toEqual({ value: '{"team":"x"}', type: 'String' });
    expect(typed(instanceRow('hello-001'), 'Generation')).toEqual({ value: '0', type: 'Int32' });
  });

  it('12. writes Input, Output and CustomStatus as Strings holding JSON (or a blob URL); CustomStatus "null" by default', () => {
    for (const row of instances) {
      for (const column of ['Input', 'Output', 'CustomStatus']) {
        if (row[column] === undefined) continue;
        expect(typeOf(row, column)).toBe('String');
        const value = valueOf(row, column) as string;
        if (/^[{[]/.test(value)) expect(() => JSON.parse(value)).not.toThrow();
      }
      const status = valueOf(row, 'CustomStatus');
      expect(status === 'null' || (() => JSON.parse(status as string) as unknown)()).toBeTruthy();
    }
    expect(valueOf(instanceRow('hello-001'), 'CustomStatus')).toBe('null');
    expect(valueOf(instanceRow('hello-running'), 'CustomStatus')).toBe('{"step":1}');
  });

  it('16. gives every event row EventType, Int32 EventId, Boolean IsPlayed, DateTime _Timestamp and ExecutionId', () => {
    const names = ['ExecutionStarted', 'ExecutionCompleted', 'ExecutionTerminated', 'TaskScheduled', 'TaskCompleted', 'TaskFailed', 'SubOrchestrationInstanceCreated',
      'SubOrchestrationInstanceCompleted', 'SubOrchestrationInstanceFailed', 'TimerCreated', 'TimerFired', 'OrchestratorStarted', 'OrchestratorCompleted', 'EventSent',
      'EventRaised', 'ContinueAsNew', 'GenericEvent', 'ExecutionSuspended', 'ExecutionResumed', 'ExecutionRewound'];
    const events = history.filter((r) => r.rowKey !== 'sentinel');
    expect(events.length).toBeGreaterThan(30);
    for (const row of events) {
      expect(typeOf(row, 'EventType')).toBe('String');
      expect(names).toContain(valueOf(row, 'EventType'));
      expect(typeOf(row, 'EventId')).toBe('Int32');
      expect(typeOf(row, 'IsPlayed')).toBe('Boolean');
      expect(typeOf(row, '_Timestamp')).toBe('DateTime');
      expect(typeOf(row, 'ExecutionId')).toBe('String');
    }
  });

  it('17. keys the current execution X16 from 0 contiguously, listed in event order with the sentinel last', async () => {
    for (const id of withHistory) {
      const current = currentHistory(id);
      expect(current.map((r) => r.rowKey)).toEqual(current.map((_, i) => i.toString(16).toUpperCase().padStart(16, '0')));
      const all = historyOf(id);
      expect(all.at(-1)?.rowKey).toBe('sentinel');
      for (const row of all.slice(0, -1)) expect(row.rowKey).toMatch(/^[0-9A-F]{16}$/);
      const loaded = await store.loadInstance(id);
      expect(current.map((r) => valueOf(r, 'EventType'))).toEqual(loaded.history?.events.map((e) => e.type));
    }
    expect(currentHistory('hello-001')).toHaveLength(16);
  });

  it('18. keeps one sentinel per instance with the Instances ExecutionId, Boolean IsCheckpointComplete and DateTime CheckpointCompletedTimestamp', () => {
    for (const id of withHistory) {
      const sentinels = historyOf(id).filter((r) => r.rowKey === 'sentinel');
      expect(sentinels).toHaveLength(1);
      const sentinel = sentinels[0] as RawRow;
      expect(typed(sentinel, 'ExecutionId')).toEqual(typed(instanceRow(id), 'ExecutionId'));
      expect(typed(sentinel, 'IsCheckpointComplete')).toEqual({ value: 'true', type: 'Boolean' });
      expect(typeOf(sentinel, 'CheckpointCompletedTimestamp')).toBe('DateTime');
      expect(sentinel['EventType']).toBeUndefined();
    }
  });

  it("19. answers DfMon's query PartitionKey + ExecutionId with the whole current history", async () => {
    for (const id of withHistory) {
      const exec = valueOf(instanceRow(id), 'ExecutionId') as string;
      const rows = await rawRows(historyTable, `PartitionKey eq '${escapePartitionKey(id)}' and ExecutionId eq '${exec}'`);
      expect(rows.filter((r) => r.rowKey !== 'sentinel').map((r) => r.rowKey)).toEqual(currentHistory(id).map((r) => r.rowKey));
    }
  });

  it('21. has one ExecutionStarted per execution with Name, Input, matching OrchestrationInstance and _Timestamp = CreatedTime', () => {
    for (const id of withHistory) {
      const starts = currentHistory(id).filter((r) => valueOf(r, 'EventType') === 'ExecutionStarted');
      expect(starts).toHaveLength(1);
      const start = starts[0] as RawRow;
      expect(typeOf(start, 'Name')).toBe('String');
      expect(start['Input'] ?? start['InputBlobName']).toBeDefined();
      expect(JSON.parse(valueOf(start, 'OrchestrationInstance') as string)).toEqual({ InstanceId: id, ExecutionId: valueOf(instanceRow(id), 'ExecutionId') });
      expect(dateOf(start, '_Timestamp')).toBe(dateOf(instanceRow(id), 'CreatedTime'));
    }
  });

  it('22. links every completion by an Int32 TaskScheduledId to an earlier scheduling event', () => {
    const pairs: Record<string, string> = {
      TaskCompleted: 'TaskScheduled', TaskFailed: 'TaskScheduled',
      SubOrchestrationInstanceCompleted: 'SubOrchestrationInstanceCreated', SubOrchestrationInstanceFailed: 'SubOrchestrationInstanceCreated',
    };
    let checked = 0;
    for (const id of withHistory) {
      const rows = currentHistory(id);
      rows.forEach((row, i) => {
        const scheduler = pairs[valueOf(row, 'EventType') as string];
        if (!scheduler) return;
        expect(typeOf(row, 'TaskScheduledId')).toBe('Int32');
        const earlier = rows.slice(0, i).find((r) => valueOf(r, 'EventType') === scheduler && valueOf(r, 'EventId') === valueOf(row, 'TaskScheduledId'));
        expect(earlier).toBeDefined();
        checked++;
      });
    }
    expect(checked).toBe(2);
  });

  it('23. returns exactly the completion rows for TaskScheduledId ge 0', async () => {
    const id = 'hello-001';
    const exec = valueOf(instanceRow(id), 'ExecutionId') as string;
    const rows = await rawRows(historyTable, `PartitionKey eq '${id}' and ExecutionId eq '${exec}' and TaskScheduledId ge 0`);
    expect(rows.map((r) => [valueOf(r, 'EventType'), typed(r, 'TaskScheduledId')])).toEqual([
      ['TaskCompleted', { value: '0', type: 'Int32' }],
      ['SubOrchestrationInstanceCompleted', { value: '2', type: 'Int32' }],
    ]);
  });

  it('24. gives TimerFired an Int32 TimerId and the DateTime FireAt of its TimerCreated', () => {
    const rows = currentHistory('hello-001');
    const fired = rows.find((r) => valueOf(r, 'EventType') === 'TimerFired') as RawRow;
    expect(typeOf(fired, 'TimerId')).toBe('Int32');
    expect(typeOf(fired, 'FireAt')).toBe('DateTime');
    const created = rows.find((r) => valueOf(r, 'EventType') === 'TimerCreated' && valueOf(r, 'EventId') === valueOf(fired, 'TimerId')) as RawRow;
    expect(typeOf(created, 'FireAt')).toBe('DateTime');
    expect(dateOf(fired, 'FireAt')).toBe(dateOf(created, 'FireAt'));
  });

  it('25. keeps scheduling EventIds distinct and non-negative, and -1 for message-driven events', () => {
    for (const id of withHistory) {
      const rows = currentHistory(id);
      const scheduling = rows.filter((r) => ['TaskScheduled', 'TimerCreated', 'SubOrchestrationInstanceCreated', 'EventSent'].includes(valueOf(r, 'EventType') as string));
      const ids = scheduling.map((r) => Number(valueOf(r, 'EventId')));
      expect(new Set(ids).size).toBe(ids.length);
      for (const n of ids) expect(n).toBeGreaterThanOrEqual(0);
      for (const row of rows.filter((r) => ['TaskCompleted', 'TimerFired', 'EventRaised', 'ExecutionStarted', 'OrchestratorStarted', 'SubOrchestrationInstanceCompleted'].includes(valueOf(r, 'EventType') as string))) {
        expect(valueOf(row, 'EventId')).toBe('-1');
      }
    }
  });

  it('26. gives EventRaised Name and Input, and EventSent InstanceId, Name and Input', () => {
    const rows = currentHistory('hello-001');
    const raised = rows.find((r) => valueOf(r, 'EventType') === 'EventRaised') as RawRow;
    expect([typed(raised, 'Name'), typed(raised, 'Input')]).toEqual([{ value: 'Approval', type: 'String' }, { value: 'true', type: 'String' }]);
    const sent = rows.find((r) => valueOf(r, 'EventType') === 'EventSent') as RawRow;
    expect([valueOf(sent, 'InstanceId'), valueOf(sent, 'Name'), valueOf(sent, 'Input')]).toEqual([ENTITY, 'op', '{"op":"add","signal":true}']);
  });

  it('30. after continue-as-new moves ExecutionId and CreatedTime, rewrites from 0…0, and leaves older rows with the old ExecutionId', () => {
    const row = instanceRow('can-001');
    expect(valueOf(row, 'ExecutionId')).toBe(execs['can-001']);
    const rows = historyOf('can-001');
    expect(rows.map((r) => valueOf(r, 'ExecutionId'))).toEqual([
      ...Array(3).fill(execs['can-001']),
      ...Array(7).fill(execs['can-001:old']),
      execs['can-001'],
    ]);
    const start = currentHistory('can-001')[1] as RawRow;
    expect(dateOf(row, 'CreatedTime')).toBe(dateOf(start, '_Timestamp'));
    expect(valueOf(row, 'Input')).toBe('{"n":2}');
  });

  it('31. moves values over 30,720 chars to gzip blobs: "" + <Col>BlobName in History, the blob URL in Instances', async () => {
    const container = BlobServiceClient.fromConnectionString(connectionString()).getContainerClient('layouthub-largemessages');
    const start = currentHistory('large-001')[1] as RawRow;
    expect(typed(start, 'Input')).toEqual({ value: '', type: 'String' });
    expect(typeOf(start, 'InputBlobName')).toBe('String');
    const blob = await container.getBlobClient(valueOf(start, 'InputBlobName') as string).downloadToBuffer();
    expect(gunzipSync(blob).toString('utf8')).toBe(largeValue);

    const input = valueOf(instanceRow('large-001'), 'Input') as string;
    const blobEndpoint = /BlobEndpoint=([^;]+)/.exec(connectionString())?.[1] as string;
    expect(input.startsWith(`${blobEndpoint}/layouthub-largemessages/`)).toBe(true);
    // The container is private (DfMon downloads through its own credentials), so read the URL's blob by name.
    const name = decodeURIComponent(input.slice(`${blobEndpoint}/layouthub-largemessages/`.length));
    expect(gunzipSync(await container.getBlobClient(name).downloadToBuffer()).toString('utf8')).toBe(largeValue);
    for (const row of [...instances, ...history]) {
      for (const [column, cell] of Object.entries(row)) {
        if (typeof cell === 'object' && cell !== null && (cell as Typed).type === 'String') expect((cell as Typed).value.length, column).toBeLessThanOrEqual(30_720);
      }
    }
  });

  it('32. writes entity rows with a lower-case @name@key id, Running status, scheduler-state Input and entityExists', () => {
    const row = instanceRow(ENTITY);
    expect(row.partitionKey).toMatch(/^@[\w-]+@.+$/);
    expect(row.partitionKey).toBe(row.partitionKey.replace(/^@[^@]+/, (m) => m.toLowerCase()));
    expect(valueOf(row, 'Name')).toBe(ENTITY);
    expect(valueOf(row, 'RuntimeStatus')).toBe('Running');
    const state = JSON.parse(valueOf(row, 'Input') as string) as { state: unknown };
    expect(typeof state.state).toBe('string');
    expect(valueOf(row, 'CustomStatus')).toContain('entityExists');
  });

  it('33. separates entities from orchestrations by PartitionKey ge "@" and lt "A"', async () => {
    const entities = await rawRows(instancesTable, "PartitionKey ge '@' and PartitionKey lt 'A'");
    expect(entities.map((r) => r.partitionKey)).toEqual([ENTITY]);
    const others = await rawRows(instancesTable, "PartitionKey lt '@' or PartitionKey ge 'A'");
    expect(others.map((r) => r.partitionKey).sort()).toEqual([...ORCHESTRATIONS].sort());
    expect((await store.queryInstances({})).instances.map((i) => i.instanceId).sort()).toEqual([...ORCHESTRATIONS].sort());
  });

  it('34. stores no null values and no Timestamp property of its own', () => {
    for (const row of [...instances, ...history]) {
      for (const [column, cell] of Object.entries(row)) {
        expect(cell, column).not.toBeNull();
        if (typeof cell === 'object') expect((cell as Typed).value, column).not.toBeNull();
      }
      expect(Object.keys(row)).not.toContain('Timestamp');
      // The only timestamp is the service's own (the SDK maps it to `timestamp`).
      expect(typeof row['timestamp']).toBe('string');
    }
  });
});
