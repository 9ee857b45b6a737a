// Proves that the rows the durable engine writes, while running real orchestrations and entities
// driven over HTTP, meet the engine-dependent items of the task hub layout checklist
// (taskhub-layout.md section 8: 5, 13, 20, 21, 22, 24, 27, 28, 30, 32). The store's own items
// are proven on hand-written turns in tests/integration/taskhub-layout.test.ts; here the turns
// are the engine's. Rows are read raw, with EDM types, through `disableTypeConversion`.
import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startAos, type AosProcess } from '../support/aos-process.js';
import { waitUntil } from '../support/wait-until.js';
import { DurableHttp, PATTERNS_APP } from './durable-support.js';

type Typed = { value: string; type: string };
type RawRow = Record<string, unknown> & { partitionKey: string; rowKey: string; timestamp?: string };

const typed = (row: RawRow, column: string): Typed | undefined => row[column] as Typed | undefined;
const typeOf = (row: RawRow, column: string) => typed(row, column)?.type;
const valueOf = (row: RawRow, column: string) => typed(row, column)?.value;
const dateOf = (row: RawRow, column: string) => new Date(valueOf(row, column) as string).getTime();
const eventType = (row: RawRow) => valueOf(row, 'EventType');

describe('task hub rows written by the engine (taskhub-layout.md section 8)', () => {
  const run = randomUUID().slice(0, 8);
  const hub = `Layout${run}`;
  let aos: AosProcess;
  let api: DurableHttp;
  let instancesTable: TableClient;
  let historyTable: TableClient;
  const ids: Record<string, string> = {};
  /** The EternalWaits instance as it was in its first generation. */
  let firstGeneration: { executionId: string; createdTime: number };

  async function rawRows(table: TableClient, filter?: string): Promise<RawRow[]> {
    const rows: RawRow[] = [];
    for await (const row of table.listEntities<Record<string, unknown>>({ disableTypeConversion: true, ...(filter ? { queryOptions: { filter } } : {}) })) rows.push(row as RawRow);
    return rows;
  }
  const instanceRow = async (id: string) => (await rawRows(instancesTable, `PartitionKey eq '${id}'`))[0] as RawRow;
  /** The current execution's event rows in RowKey order (sentinel excluded). */
  async function currentHistory(id: string): Promise<RawRow[]> {
    const exec = valueOf(await instanceRow(id), 'ExecutionId');
    return (await rawRows(historyTable, `PartitionKey eq '${id}'`)).filter((r) => r.rowKey !== 'sentinel' && valueOf(r, 'ExecutionId') === exec).sort((a, b) => a.rowKey.localeCompare(b.rowKey));
  }

  beforeAll(async () => {
    aos = await startAos({ app: PATTERNS_APP, env: { AOS_TASK_HUB: hub } });
    api = new DurableHttp(aos.baseUrl);
    const conn = inject('storageConnectionString');
    instancesTable = TableClient.fromConnectionString(conn, `${hub}Instances`, { allowInsecureConnection: true });
    historyTable = TableClient.fromConnectionString(conn, `${hub}History`, { allowInsecureConnection: true });

    ids.chain = await api.start('HelloSequence', undefined, `chain-${run}`);
    ids.timer = await api.start('Approval', { timeoutMs: 200 }, `timer-${run}`);
    ids.parent = await api.start('Parent', { childId: `child-${run}` }, `parent-${run}`);
    ids.failedParent = await api.start('ParentOfFailing', undefined, `pof-${run}`);
    ids.retry = await api.start('RetryFlaky', { key: run, failures: 1, maxAttempts: 2 }, `retry-${run}`);
    ids.failed = await api.start('FailsAlways', undefined, `failed-${run}`);
    ids.caller = await api.start('CounterCaller', `k-${run}`, `caller-${run}`);
    ids.terminated = await api.start('WaitForProceed', undefined, `term-${run}`);
    ids.eternal = await api.start('EternalWaits', 0, `eternal-${run}`);
    await api.request('POST', `entities/Counter/sig-${run}?op=add`, '2');
    await api.waitFor(ids.terminated, ['Running']);
    await api.request('POST', `instances/${ids.terminated}/terminate?reason=stopped%20by%20test`);

    // Continue-as-new: look at the first generation, then move to the next one.
    await api.waitFor(ids.eternal, ['Running']);
    const gen0 = await instanceRow(ids.eternal);
    firstGeneration = { executionId: valueOf(gen0, 'ExecutionId') as string, createdTime: dateOf(gen0, 'CreatedTime') };
    await api.raise(ids.eternal, 'Next', 'go');
    await waitUntil(async () => valueOf(await instanceRow(ids.eternal!), 'ExecutionId') !== firstGeneration.executionId && (await api.status(ids.eternal!)).body.customStatus !== null, { describe: 'the eternal orchestration is in its second generation' });
    await api.raise(ids.eternal, 'Next', 'stop');

    for (const id of Object.values(ids)) await api.waitFor(id);
    await api.waitFor(`child-${run}`);
    await api.waitFor(`pof-${run}-child`);
  });
  afterAll(async () => {
    await aos?.stop();
  });

  const orchestrations = () => [...Object.values(ids), `child-${run}`, `pof-${run}-child`];

  it('5. keeps instance ids free of / \\ # ? ^ and control characters, at most 256 long, and @ only for entities', async () => {
    // A refused id leaves no row behind.
    expect((await api.request('POST', `orchestrators/Echo/${encodeURIComponent(`x${run}#y`)}`, '1')).status).toBe(400);
    const rows = await rawRows(instancesTable);
    expect(rows.length).toBeGreaterThanOrEqual(orchestrations().length + 2);
    for (const row of rows) {
      // eslint-disable-next-line no-control-regex
      expect(row.partitionKey).not.toMatch(/[/\\#?^\u0000-\u001f\u007f-\u009f]/);
      expect(row.partitionKey.length).toBeLessThanOrEqual(256);
      if (row.partitionKey.startsWith('@')) expect(row.partitionKey).toMatch(/^@[\w-]+@/);
    }
  });

  it('13. writes the terminal Output: the result, the failure text or the termination reason', async () => {
    expect(valueOf(await instanceRow(ids.chain!), 'Output')).toBe('["Hello Tokyo","Hello Seattle","Hello London"]');
    const failed = valueOf(await instanceRow(ids.failed!), 'Output') as string;
    expect(failed.startsWith("Orchestrator function 'FailsAlways' failed: Activity function 'AlwaysFails' failed:")).toBe(true);
    expect(valueOf(await instanceRow(ids.terminated!), 'Output')).toBe('stopped by test');
    for (const id of orchestrations()) {
      const row = await instanceRow(id);
      const completed = (await currentHistory(id)).find((r) => eventType(r) === 'ExecutionCompleted' || eventType(r) === 'ExecutionTerminated');
      expect(completed, id).toBeDefined();
      if (valueOf(row, 'RuntimeStatus') === 'Completed') expect(valueOf(row, 'Output')).toBe(valueOf(completed!, 'Result'));
    }
  });

  it('20. opens every episode with OrchestratorStarted and closes it with OrchestratorCompleted, after ExecutionCompleted', async () => {
    for (const id of orchestrations()) {
      const rows = await currentHistory(id);
      expect(eventType(rows[0]!), id).toBe('OrchestratorStarted');
      const episodes: RawRow[][] = [];
      for (const row of rows) {
        if (eventType(row) === 'OrchestratorStarted') episodes.push([]);
        episodes[episodes.length - 1]!.push(row);
      }
      for (const episode of episodes) expect(eventType(episode[episode.length - 1]!), `${id} episode ${valueOf(episode[0]!, '_Timestamp')}`).toBe('OrchestratorCompleted');
      const done = rows.findIndex((r) => eventType(r) === 'ExecutionCompleted');
      expect(done, id).toBeGreaterThan(0);
      expect(done).toBe(rows.length - 2);
    }
  });

  it('21. keeps one ExecutionStarted per execution with Name, Input, OrchestrationInstance and _Timestamp = CreatedTime', async () => {
    for (const id of orchestrations()) {
      const row = await instanceRow(id);
      const starts = (await currentHistory(id)).filter((r) => eventType(r) === 'ExecutionStarted');
      expect(starts, id).toHaveLength(1);
      const start = starts[0]!;
      expect(valueOf(start, 'Name')).toBe(valueOf(row, 'Name'));
      expect(typeOf(start, 'Name')).toBe('String');
      expect(JSON.parse(valueOf(start, 'OrchestrationInstance') as string)).toMatchObject({ InstanceId: id, ExecutionId: valueOf(row, 'ExecutionId') });
      expect(dateOf(start, '_Timestamp'), id).toBe(dateOf(row, 'CreatedTime'));
    }
    expect(valueOf((await currentHistory(ids.chain!)).find((r) => eventType(r) === 'ExecutionStarted')!, 'Name')).toBe('HelloSequence');
    expect(valueOf((await currentHistory(ids.eternal!)).find((r) => eventType(r) === 'ExecutionStarted')!, 'Input')).toBe('1');
  });

  it('22. links every completion by an Int32 TaskScheduledId to an earlier scheduling event', async () => {
    const pairs: Record<string, string> = {
      TaskCompleted: 'TaskScheduled', TaskFailed: 'TaskScheduled',
      SubOrchestrationInstanceCompleted: 'SubOrchestrationInstanceCreated', SubOrchestrationInstanceFailed: 'SubOrchestrationInstanceCreated',
    };
    const seen = new Set<string>();
    for (const id of orchestrations()) {
      const rows = await currentHistory(id);
      rows.forEach((row, i) => {
        const scheduler = pairs[eventType(row) as string];
        if (!scheduler) return;
        expect(typeOf(row, 'TaskScheduledId'), `${id} ${eventType(row)}`).toBe('Int32');
        const earlier = rows.slice(0, i).find((r) => eventType(r) === scheduler && valueOf(r, 'EventId') === valueOf(row, 'TaskScheduledId'));
        expect(earlier, `${id} ${eventType(row)} ${valueOf(row, 'TaskScheduledId')}`).toBeDefined();
        seen.add(eventType(row) as string);
      });
    }
    expect([...seen].sort()).toEqual(Object.keys(pairs).sort());
  });

  it('24. gives every TimerFired an Int32 TimerId and the DateTime FireAt of its TimerCreated', async () => {
    let checked = 0;
    for (const id of [ids.timer!, ids.retry!]) {
      const rows = await currentHistory(id);
      for (const fired of rows.filter((r) => eventType(r) === 'TimerFired')) {
        expect(typeOf(fired, 'TimerId')).toBe('Int32');
        expect(typeOf(fired, 'FireAt')).toBe('DateTime');
        const created = rows.find((r) => eventType(r) === 'TimerCreated' && valueOf(r, 'EventId') === valueOf(fired, 'TimerId'));
        expect(created).toBeDefined();
        expect(typeOf(created!, 'FireAt')).toBe('DateTime');
        expect(dateOf(fired, 'FireAt')).toBe(dateOf(created!, 'FireAt'));
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(2);
  });

  it('27. names the child in SubOrchestrationInstanceCreated, creates it within 5 s, and gives it ParentInstance', async () => {
    let checked = 0;
    for (const parent of [ids.parent!, ids.failedParent!]) {
      for (const created of (await currentHistory(parent)).filter((r) => eventType(r) === 'SubOrchestrationInstanceCreated')) {
        const childId = valueOf(created, 'InstanceId') as string;
        const child = await instanceRow(childId);
        expect(child, childId).toBeDefined();
        expect(Math.abs(dateOf(child, 'CreatedTime') - new Date(created.timestamp as string).getTime()), childId).toBeLessThanOrEqual(5_000);
        const start = (await currentHistory(childId)).find((r) => eventType(r) === 'ExecutionStarted')!;
        const parentInstance = JSON.parse(valueOf(start, 'ParentInstance') as string) as { OrchestrationInstance: { InstanceId: string }; TaskScheduleId: number; Name: string };
        expect(parentInstance.OrchestrationInstance.InstanceId).toBe(parent);
        expect(parentInstance.TaskScheduleId).toBe(Number(valueOf(created, 'EventId')));
        checked++;
      }
    }
    expect(checked).toBe(3);
  });

  it('28. records ExecutionCompleted with the Instances status and Result, and failure details when failed', async () => {
    for (const id of orchestrations().filter((i) => i !== ids.terminated)) {
      const row = await instanceRow(id);
      const completed = (await currentHistory(id)).find((r) => eventType(r) === 'ExecutionCompleted')!;
      expect(typed(completed, 'OrchestrationStatus'), id).toEqual({ value: valueOf(row, 'RuntimeStatus'), type: 'String' });
      expect(completed['Result'] ?? completed['ResultBlobName'], id).toBeDefined();
      if (valueOf(row, 'RuntimeStatus') === 'Failed') {
        const details = valueOf(completed, 'FailureDetails') ?? valueOf(completed, 'Details');
        expect(details, id).toBeDefined();
        if (valueOf(completed, 'FailureDetails') !== undefined) expect(() => JSON.parse(details!)).not.toThrow();
      }
    }
    expect(valueOf(await instanceRow(ids.failedParent!), 'RuntimeStatus')).toBe('Failed');
  });

  it('30. after continue-as-new moves ExecutionId and CreatedTime and rewrites the history from 0…0', async () => {
    const row = await instanceRow(ids.eternal!);
    expect(valueOf(row, 'ExecutionId')).not.toBe(firstGeneration.executionId);
    expect(dateOf(row, 'CreatedTime')).toBeGreaterThan(firstGeneration.createdTime);
    const all = (await rawRows(historyTable, `PartitionKey eq '${ids.eternal}'`)).sort((a, b) => a.rowKey.localeCompare(b.rowKey));
    const events = all.filter((r) => r.rowKey !== 'sentinel');
    expect(events[0]?.rowKey).toBe('0000000000000000');
    events.forEach((r, i) => expect(r.rowKey).toBe(i.toString(16).toUpperCase().padStart(16, '0')));
    expect(new Set(events.map((r) => valueOf(r, 'ExecutionId')))).toEqual(new Set([valueOf(row, 'ExecutionId')]));
    const sentinel = all.find((r) => r.rowKey === 'sentinel')!;
    expect(valueOf(sentinel, 'ExecutionId')).toBe(valueOf(row, 'ExecutionId'));
    expect(valueOf(row, 'Output')).toBe('{"generations":1}');
  });

  it('32. writes entity rows as @name@key with Name = id, Running, scheduler-state Input and entityExists', async () => {
    const entities = (await rawRows(instancesTable)).filter((r) => r.partitionKey.startsWith('@'));
    expect(entities.map((r) => r.partitionKey).sort()).toEqual([`@counter@k-${run}`, `@counter@sig-${run}`]);
    for (const row of entities) {
      expect(row.partitionKey).toMatch(/^@[\w-]+@.+$/);
      expect(row.partitionKey).toBe(row.partitionKey.replace(/^@[^@]+/, (m) => m.toLowerCase()));
      expect(valueOf(row, 'Name')).toBe(row.partitionKey);
      expect(typed(row, 'RuntimeStatus')).toEqual({ value: 'Running', type: 'String' });
      const state = JSON.parse(valueOf(row, 'Input') as string) as { state: unknown };
      expect(typeof state.state).toBe('string');
      expect(valueOf(row, 'CustomStatus')).toContain('entityExists');
    }
    const counter = entities.find((r) => r.partitionKey === `@counter@k-${run}`)!;
    expect((JSON.parse(valueOf(counter, 'Input') as string) as { state: string }).state).toBe('5');
  });
});
