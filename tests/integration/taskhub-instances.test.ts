// Proves the Instances table on Azurite: merges, client creates over terminal rows, large
// Input/Output as blob URLs, queries with filters and paging, the entity query, and purge.
import { TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TaskHubStore } from '../../src/host/durable/store/index.js';
import { connectionString, firstTurn, newExecutionId, openStore, ticker } from './taskhub-support.js';

const HUB = 'InstTest';
const T0 = Date.parse('2025-06-01T00:00:00.000Z');
const iso = (offsetMinutes: number) => new Date(T0 + offsetMinutes * 60_000).toISOString();

describe('TaskHubStore instances', () => {
  let store: TaskHubStore;
  let instances: TableClient;
  beforeAll(async () => {
    store = await openStore(HUB);
    instances = TableClient.fromConnectionString(connectionString(), `${HUB}Instances`, { allowInsecureConnection: true });
  });

  it('merges checkpoint writes into one row', async () => {
    await store.writeInstance({ instanceId: 'merge-1', name: 'Flow', version: '', runtimeStatus: 'Running', input: '1', createdTime: iso(0), lastUpdatedTime: iso(0), executionId: 'e1', generation: 0, turnNumber: 1 });
    await store.writeInstance({ instanceId: 'merge-1', runtimeStatus: 'Completed', output: '2', customStatus: '"done"', lastUpdatedTime: iso(1), completedTime: iso(1), executionId: 'e1', turnNumber: 2 });
    const record = await store.readInstance('merge-1');
    expect(record).toMatchObject({
      instanceId: 'merge-1', name: 'Flow', version: '', runtimeStatus: 'Completed', input: '1', output: '2', customStatus: '"done"',
      createdTime: iso(0), lastUpdatedTime: iso(1), completedTime: iso(1), executionId: 'e1', generation: 0, turnNumber: 2,
    });
    expect(await store.readInstance('no-such')).toBeUndefined();
  });

  it('creates, refuses a running duplicate, and replaces a terminal instance with the next generation', async () => {
    const fields = { instanceId: 'start-1', name: 'Flow', version: '', runtimeStatus: 'Pending' as const, input: '"a"', createdTime: iso(0), lastUpdatedTime: iso(0), executionId: 'e1' };
    expect(await store.createInstanceIfAbsentOrTerminal(fields)).toEqual({ outcome: 'created', generation: 0 });
    const again = await store.createInstanceIfAbsentOrTerminal({ ...fields, input: '"b"' });
    expect(again).toMatchObject({ outcome: 'exists', existing: { runtimeStatus: 'Pending', input: '"a"' } });
    await store.writeInstance({ instanceId: 'start-1', runtimeStatus: 'Failed', output: 'Error: boom', completedTime: iso(2) });
    expect(await store.createInstanceIfAbsentOrTerminal({ ...fields, input: '"c"', executionId: 'e2' })).toEqual({ outcome: 'replaced', generation: 1 });
    const record = await store.readInstance('start-1');
    expect(record).toMatchObject({ runtimeStatus: 'Pending', input: '"c"', executionId: 'e2', generation: 1 });
    // Replace, not merge: the old Output and CompletedTime are gone.
    expect(record?.output).toBeUndefined();
    expect(record?.completedTime).toBeUndefined();
  });

  it('stores large Input and Output as blob URLs and reads them back', async () => {
    const input = JSON.stringify('i'.repeat(31_000));
    const output = JSON.stringify('o'.repeat(50_000));
    await store.writeInstance({ instanceId: 'big#1', name: 'Flow', version: '', runtimeStatus: 'Completed', input, output, createdTime: iso(0), lastUpdatedTime: iso(0), executionId: 'e' });
    const raw = await instances.getEntity<Record<string, unknown>>('big^21', '');
    expect(raw['Input']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/insttest-largemessages\/big%5E21\/instance-Input-[0-9A-F]{8}\.json\.gz$/);
    expect(raw['Output']).toMatch(/\/insttest-largemessages\/big%5E21\/instance-Output-/);
    expect(raw['InputBlobName']).toBeUndefined();
    const record = await store.readInstance('big#1');
    expect(record?.input).toBe(input);
    expect(record?.output).toBe(output);
    // A later small value replaces the URL.
    await store.writeInstance({ instanceId: 'big#1', output: '"small"' });
    expect((await store.readInstance('big#1'))?.output).toBe('"small"');
  });

  describe('queries', () => {
    beforeAll(async () => {
      const rows = [
        ['q-a1', 'Running', 10], ['q-a2', 'Completed', 20], ['q-a3', 'Failed', 30], ['q-b1', 'Running', 40],
        ['q-b2', 'Pending', 50], ['q-b3', 'Completed', 60], ['q-c1', 'Terminated', 70],
      ] as const;
      await Promise.all(rows.map(([id, status, minute]) =>
        store.writeInstance({ instanceId: id, name: 'Q', version: '', runtimeStatus: status, input: `"${id}"`, createdTime: iso(minute), lastUpdatedTime: iso(minute), executionId: 'e' })));
      await store.writeInstance({ instanceId: '@counter@q', name: '@counter@q', version: '', runtimeStatus: 'Running', input: '{"exists":true,"state":"5","sorter":{}}', customStatus: '{"entityExists":true,"queueSize":2,"lockedBy":"q-a1"}', createdTime: iso(15), lastUpdatedTime: iso(15), executionId: 'e' });
      await store.writeInstance({ instanceId: '@counter@gone', name: '@counter@gone', version: '', runtimeStatus: 'Running', input: '{"exists":false,"sorter":{}}', customStatus: '{}', createdTime: iso(16), lastUpdatedTime: iso(16), executionId: 'e' });
      await store.writeInstance({ instanceId: '@timer@q', name: '@timer@q', version: '', runtimeStatus: 'Running', input: '{"state":"{\\"t\\":1}","sorter":{}}', customStatus: '{"entityExists":true}', createdTime: iso(17), lastUpdatedTime: iso(17), executionId: 'e' });
    });
    const ids = (page: { instances: { instanceId: string }[] }) => page.instances.map((i) => i.instanceId);

    it('filters by id prefix and excludes entities', async () => {
      expect(ids(await store.queryInstances({ instanceIdPrefix: 'q-' }))).toEqual(['q-a1', 'q-a2', 'q-a3', 'q-b1', 'q-b2', 'q-b3', 'q-c1']);
      expect(ids(await store.queryInstances({ instanceIdPrefix: 'q-b' }))).toEqual(['q-b1', 'q-b2', 'q-b3']);
    });

    it('filters by status and created time', async () => {
      expect(ids(await store.queryInstances({ instanceIdPrefix: 'q-', runtimeStatus: ['Running', 'Pending'] }))).toEqual(['q-a1', 'q-b1', 'q-b2']);
      expect(ids(await store.queryInstances({ instanceIdPrefix: 'q-', createdTimeFrom: new Date(iso(20)), createdTimeTo: new Date(iso(50)) }))).toEqual(['q-a2', 'q-a3', 'q-b1', 'q-b2']);
      expect(ids(await store.queryInstances({ createdTimeFrom: new Date(iso(60)), createdTimeTo: new Date(iso(70)), runtimeStatus: ['Completed'] }))).toEqual(['q-b3']);
    });

    it('pages with a continuation token until the last page', async () => {
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await store.queryInstances({ instanceIdPrefix: 'q-', top: 3, ...(token ? { continuationToken: token } : {}) });
        expect(page.instances.length).toBeLessThanOrEqual(3);
        seen.push(...ids(page));
        token = page.continuationToken;
        pages++;
      } while (token);
      expect(seen).toEqual(['q-a1', 'q-a2', 'q-a3', 'q-b1', 'q-b2', 'q-b3', 'q-c1']);
      expect(pages).toBe(3);
    });

    it('leaves Input out when showInput is false', async () => {
      const page = await store.queryInstances({ instanceIdPrefix: 'q-a1', showInput: false });
      expect(page.instances[0]?.input).toBeUndefined();
      expect(page.instances[0]?.runtimeStatus).toBe('Running');
    });

    it('lists existing entities with their state, lock and queue', async () => {
      const page = await store.queryEntities({ fetchState: true });
      expect(page.entities).toEqual([
        { name: 'counter', key: 'q', exists: true, state: '5', lastOperationTime: iso(15), lockedBy: 'q-a1', queueSize: 2 },
        { name: 'timer', key: 'q', exists: true, state: '{"t":1}', lastOperationTime: iso(17) },
      ]);
      expect((await store.queryEntities({ name: 'Counter' })).entities.map((e) => e.key)).toEqual(['q']);
      expect((await store.queryEntities({ name: 'counter' }, { includeDeleted: true })).entities.map((e) => [e.key, e.exists])).toEqual([['gone', false], ['q', true]]);
      expect((await store.queryEntities({ lastOperationTimeFrom: new Date(iso(17)) })).entities.map((e) => e.name)).toEqual(['timer']);
    });
  });

  it('purges an instance with its history, work, timers and blobs', async () => {
    const id = 'purge/me';
    const exec = newExecutionId();
    const at = ticker();
    await store.commitTurn({ instanceId: id, executionId: exec, startIndex: 0, events: firstTurn(id, exec, at, JSON.stringify('p'.repeat(40_000))), sentinelEtag: undefined, turnNumber: 1, lastTurnStart: 0, consumedKeys: [] });
    await store.writeInstance({ instanceId: id, name: 'HelloCities', version: '', runtimeStatus: 'Running', input: JSON.stringify('p'.repeat(40_000)), createdTime: iso(0), lastUpdatedTime: iso(0), executionId: exec });
    await store.applyWork(id, { insertActivities: [{ executionId: exec, taskId: 0, name: 'SayHello', input: '["Tokyo"]' }], deleteKeys: [] });
    await store.putTimers([{ instanceId: id, executionId: exec, timerId: 1, fireAt: iso(5) }, { instanceId: `${id}|x`, executionId: exec, timerId: 1, fireAt: iso(5) }]);
    const container = BlobServiceClient.fromConnectionString(connectionString()).getContainerClient(store.names.largeMessagesContainer);
    const blobNames = async () => {
      const names: string[] = [];
      for await (const blob of container.listBlobsFlat({ prefix: 'purge^0me/' })) names.push(blob.name);
      return names;
    };
    expect((await blobNames()).length).toBe(2);

    expect(await store.purgeInstance(id)).toBe(1);
    expect(await store.loadInstance(id)).toEqual({ history: undefined, instance: undefined, work: { messages: [], activities: [] } });
    const timers = await store.dueTimers(new Date(iso(10)), 10);
    expect(timers.map((t) => t.instanceId)).toEqual([`${id}|x`]);
    expect(await blobNames()).toEqual([]);
    expect(await store.purgeInstance(id)).toBe(0);
    await store.deleteTimers(timers);
  });

  it('purges by created time and status', async () => {
    await Promise.all(['pb-1', 'pb-2', 'pb-3'].map((id, i) =>
      store.writeInstance({ instanceId: id, name: 'P', version: '', runtimeStatus: i === 2 ? 'Running' : 'Completed', createdTime: iso(1000 + i), lastUpdatedTime: iso(1000 + i), executionId: 'e' })));
    expect(await store.purgeBy({ createdTimeFrom: new Date(iso(1000)), createdTimeTo: new Date(iso(1010)), runtimeStatus: ['Completed'] })).toBe(2);
    expect(await store.readInstance('pb-1')).toBeUndefined();
    expect(await store.readInstance('pb-3')).toBeDefined();
  });
});
