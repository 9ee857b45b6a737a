/**
 * The Durable HTTP API served by the real HttpFront on 127.0.0.1:0, driven by the real
 * `durable-functions` DurableClient (through the binding payload's rpcBaseUrl) and by raw fetch
 * calls, over a small in-memory DurableClientApi test double defined below.
 */
import { HttpRequest, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpFront } from '../../http/http-front.js';
import { silentLogger } from '../../log/logger.js';
import type { HistoryEvent, OrchestrationStatusName } from '../core/history-event.js';
import {
  ClientErrorCode,
  type DurableClientApi,
  DurableClientError,
  type EntityPage,
  type EntityQuery,
  type EntityRecord,
  type InstancePage,
  type InstanceQuery,
  type InstanceStatusWithHistory,
  type PurgeFilter,
} from '../engine/client-api.js';
import { durableClientPayload } from './client-binding.js';
import { DURABLE_HTTP_API_PREFIX, createDurableHttpApi } from './durable-http-api.js';
import type { WaitClock } from './wait-clock.js';

const TERMINAL = ['Completed', 'Failed', 'Terminated', 'Canceled'];
const T0 = '2024-03-18T17:44:50.1234567Z';

/** Test double of the engine's client side: instances and entities in maps, every call recorded. */
class InMemoryDurableClient implements DurableClientApi {
  readonly taskHubName = 'TestHubName';
  readonly calls: string[] = [];
  readonly instances = new Map<string, InstanceStatusWithHistory>();
  readonly events: { instanceId: string; name: string; input: string | undefined }[] = [];
  readonly signals: { name: string; key: string; operation: string; input: string | undefined }[] = [];
  readonly entities = new Map<string, EntityRecord>();
  /** Page size when a query names none; small so that the JS client has to follow continuations. */
  defaultPageSize = 2;
  #next = 0;

  hasOrchestrator(name: string): boolean {
    return name.toLowerCase() === 'hello';
  }
  hasEntity(name: string): boolean {
    return name.toLowerCase() === 'counter';
  }
  async startNew(name: string, o: { instanceId?: string; input?: string; version?: string }): Promise<{ instanceId: string }> {
    this.calls.push(`startNew ${name}`);
    const id = o.instanceId ?? `generated-${++this.#next}`;
    const existing = this.instances.get(id);
    if (existing && !TERMINAL.includes(existing.runtimeStatus)) throw new DurableClientError(ClientErrorCode.AlreadyExists, `instance ${id} is running`);
    this.put({ instanceId: id, name, version: o.version ?? '', runtimeStatus: 'Pending', executionId: 'e1', createdTime: T0, lastUpdatedTime: T0, ...(o.input !== undefined ? { input: o.input } : {}) });
    return { instanceId: id };
  }
  async getStatus(id: string, o: { showHistory?: boolean; showInput?: boolean } = {}): Promise<InstanceStatusWithHistory | undefined> {
    this.calls.push(`getStatus ${id}`);
    const s = this.instances.get(id);
    if (!s) return undefined;
    const copy = { ...s };
    if (!o.showHistory) delete copy.history;
    if (o.showInput === false) delete copy.input;
    return copy;
  }
  async listInstances(q: InstanceQuery): Promise<InstancePage> {
    this.calls.push('listInstances');
    const all = [...this.instances.values()]
      .filter((s) => !q.runtimeStatus || q.runtimeStatus.includes(s.runtimeStatus))
      .filter((s) => !q.instanceIdPrefix || s.instanceId.startsWith(q.instanceIdPrefix))
      .filter((s) => !q.createdTimeFrom || Date.parse(s.createdTime) >= q.createdTimeFrom.getTime())
      .sort((a, b) => a.instanceId.localeCompare(b.instanceId));
    return page(all, q, this.defaultPageSize, (instances, continuationToken) => ({ instances, ...(continuationToken ? { continuationToken } : {}) }));
  }
  async raiseEvent(instanceId: string, name: string, input: string | undefined): Promise<void> {
    this.live(instanceId, 'raiseEvent');
    this.events.push({ instanceId, name, input });
  }
  async terminate(id: string, reason?: string): Promise<void> {
    this.set(this.live(id, 'terminate'), 'Terminated', reason);
  }
  async suspend(id: string): Promise<void> {
    const s = this.live(id, 'suspend');
    if (s.runtimeStatus === 'Suspended') throw new DurableClientError(ClientErrorCode.InvalidState, 'already suspended');
    this.set(s, 'Suspended');
  }
  async resume(id: string): Promise<void> {
    const s = this.live(id, 'resume');
    if (s.runtimeStatus !== 'Suspended') throw new DurableClientError(ClientErrorCode.InvalidState, 'not suspended');
    this.set(s, 'Running');
  }
  async rewind(id: string): Promise<void> {
    this.calls.push(`rewind ${id}`);
    const s = this.instances.get(id);
    if (!s) throw new DurableClientError(ClientErrorCode.NotFound, `no instance ${id}`);
    if (s.runtimeStatus !== 'Failed') throw new DurableClientError(TERMINAL.includes(s.runtimeStatus) ? ClientErrorCode.Gone : ClientErrorCode.PreconditionFailed, 'not failed');
    this.set(s, 'Running');
  }
  async restart(id: string, o: { restartWithNewInstanceId: boolean }): Promise<{ instanceId: string }> {
    const s = this.instances.get(id);
    if (!s) throw new DurableClientError(ClientErrorCode.NotFound, `no instance ${id}`);
    return this.startNew(s.name, { ...(o.restartWithNewInstanceId ? {} : { instanceId: id }), ...(s.input !== undefined ? { input: s.input } : {}) });
  }
  async purge(id: string): Promise<number> {
    this.calls.push(`purge ${id}`);
    return this.instances.delete(id) ? 1 : 0;
  }
  async purgeBy(filter: PurgeFilter): Promise<number> {
    this.calls.push(`purgeBy ${filter.createdTimeFrom.toISOString()}`);
    let n = 0;
    for (const [id, s] of this.instances) {
      if (Date.parse(s.createdTime) >= filter.createdTimeFrom.getTime() && (!filter.runtimeStatus || filter.runtimeStatus.includes(s.runtimeStatus))) {
        this.instances.delete(id);
        n++;
      }
    }
    return n;
  }
  async signalEntity(name: string, key: string, operation: string, input: string | undefined): Promise<void> {
    this.signals.push({ name, key, operation, input });
  }
  async readEntity(name: string, key: string): Promise<EntityRecord | undefined> {
    this.calls.push(`readEntity ${name}/${key}`);
    return this.entities.get(`${name}/${key}`);
  }
  async listEntities(q: EntityQuery): Promise<EntityPage> {
    this.calls.push(`listEntities ${q.name ?? '*'}`);
    const all = [...this.entities.values()].filter((e) => !q.name || e.name === q.name);
    return page(all, q, this.defaultPageSize, (entities, continuationToken) => ({ entities, ...(continuationToken ? { continuationToken } : {}) }));
  }

  put(s: InstanceStatusWithHistory): void {
    this.instances.set(s.instanceId, s);
  }
  set(s: InstanceStatusWithHistory, runtimeStatus: OrchestrationStatusName, output?: string): void {
    s.runtimeStatus = runtimeStatus;
    if (output !== undefined) s.output = output;
  }
  live(id: string, op: string): InstanceStatusWithHistory {
    this.calls.push(`${op} ${id}`);
    const s = this.instances.get(id);
    if (!s) throw new DurableClientError(ClientErrorCode.NotFound, `no instance ${id}`);
    if (TERMINAL.includes(s.runtimeStatus)) throw new DurableClientError(ClientErrorCode.Gone, `instance ${id} is ${s.runtimeStatus}`);
    return s;
  }
}

function page<T, P>(all: T[], q: { top?: number; continuationToken?: string }, size: number, make: (items: T[], token?: string) => P): P {
  const start = Number(q.continuationToken ?? 0);
  const end = start + (q.top ?? size);
  return make(all.slice(start, end), end < all.length ? String(end) : undefined);
}

/** Sleeping advances time at once; `onSleep` lets a test change the world between polls. */
class FakeWaitClock implements WaitClock {
  ms = 0;
  onSleep: () => void = () => {};
  now(): number {
    return this.ms;
  }
  async sleep(ms: number): Promise<void> {
    this.ms += ms;
    this.onSleep();
  }
}

let front: HttpFront;
let base: string;
let engine: InMemoryDurableClient;
const clock = new FakeWaitClock();

beforeAll(async () => {
  front = new HttpFront({ host: '127.0.0.1', port: 0, routePrefix: 'api', log: silentLogger });
  front.addSystemRoute(DURABLE_HTTP_API_PREFIX, (req, res, url) =>
    createDurableHttpApi({ client: engine, baseUrl: base, log: silentLogger, clock })(req, res, url),
  );
  base = `http://127.0.0.1:${await front.listen()}`;
});
afterAll(() => front.close());
beforeEach(() => {
  engine = new InMemoryDurableClient();
  clock.ms = 0;
  clock.onSleep = () => {};
  vi.stubEnv('WEBSITE_HOSTNAME', new URL(base).host);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

function jsClient(): df.DurableClient {
  const input = df.input.durableClient();
  const context = new InvocationContext({ options: { extraInputs: [input] } });
  context.extraInputs.set(input, durableClientPayload({ taskHubName: engine.taskHubName, baseUrl: base }));
  return df.getClient(context);
}

const running = (id: string, extra: Partial<InstanceStatusWithHistory> = {}): InstanceStatusWithHistory => ({
  instanceId: id,
  name: 'Hello',
  version: '',
  runtimeStatus: 'Running',
  executionId: 'e1',
  createdTime: T0,
  lastUpdatedTime: '2024-03-18T17:44:52.9Z',
  ...extra,
});

const api = (path: string, init?: RequestInit) => fetch(`${base}/runtime/webhooks/durabletask/${path}`, init);
const json = { 'Content-Type': 'application/json' };

describe('the durable-functions DurableClient against the HTTP API', () => {
  it('starts an orchestration without input, which the library posts as ""', async () => {
    const id = await jsClient().startNew('Hello');
    expect(id).toBe('generated-1');
    expect(engine.instances.get(id)?.input).toBe('""');
  });

  it('starts an orchestration with an id, input and version', async () => {
    const id = await jsClient().startNew('Hello', { instanceId: 'order-1', input: { city: 'Tokyo' }, version: '2' });
    expect(id).toBe('order-1');
    expect(engine.instances.get('order-1')).toMatchObject({ input: '{"city":"Tokyo"}', version: '2' });
  });

  it('rejects startNew for an unknown orchestrator', async () => {
    await expect(jsClient().startNew('Nope')).rejects.toThrow(/400/);
  });

  it('gets a status with parsed input, output and custom status and seconds-precision times', async () => {
    engine.put(running('a', { runtimeStatus: 'Completed', input: '{"x":1}', output: '"done"', customStatus: '{"step":2}' }));
    const s = await jsClient().getStatus('a');
    expect(s).toMatchObject({ name: 'Hello', instanceId: 'a', runtimeStatus: 'Completed', input: { x: 1 }, output: 'done', customStatus: { step: 2 } });
    expect(s.createdTime.toISOString()).toBe('2024-03-18T17:44:50.000Z');
  });

  it('gets a running status (202) and throws on an unknown id (404)', async () => {
    engine.put(running('r'));
    expect((await jsClient().getStatus('r')).runtimeStatus).toBe('Running');
    await expect(jsClient().getStatus('missing')).rejects.toThrow(/HTTP 404/);
  });

  it('passes showHistory, showHistoryOutput and showInput through to the engine', async () => {
    engine.put(running('h', { history: [{ type: 'OrchestratorStarted', eventId: -1, isPlayed: false, timestamp: T0 }] }));
    const seen = vi.spyOn(engine, 'getStatus');
    await jsClient().getStatus('h', { showHistory: true, showHistoryOutput: true, showInput: true });
    expect(seen).toHaveBeenCalledWith('h', { showHistory: true, showHistoryOutput: true, showInput: true });
  });

  it('follows continuation tokens in getStatusAll and getStatusBy', async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) engine.put(running(id, { runtimeStatus: id === 'c' ? 'Completed' : 'Running' }));
    const all = await jsClient().getStatusAll();
    expect(all.map((s) => s.instanceId)).toEqual(['a', 'b', 'c', 'd', 'e']);
    const by = await jsClient().getStatusBy({ createdTimeFrom: new Date('2024-01-01'), runtimeStatus: [df.OrchestrationRuntimeStatus.Running] });
    expect(by.map((s) => s.instanceId)).toEqual(['a', 'b', 'd', 'e']);
  });

  it('raises an event, treats a finished instance (410) as success and an unknown one as an error', async () => {
    engine.put(running('r'));
    engine.put(running('done', { runtimeStatus: 'Completed' }));
    await jsClient().raiseEvent('r', 'Approval', { ok: true });
    await jsClient().raiseEvent('done', 'Approval', true);
    expect(engine.events).toEqual([{ instanceId: 'r', name: 'Approval', input: '{"ok":true}' }]);
    await expect(jsClient().raiseEvent('missing', 'Approval', 1)).rejects.toThrow("No instance with ID 'missing' found.");
  });

  it('terminates, suspends and resumes', async () => {
    engine.put(running('s'));
    await jsClient().suspend('s', 'pause');
    expect(engine.instances.get('s')?.runtimeStatus).toBe('Suspended');
    await jsClient().resume('s', 'go');
    expect(engine.instances.get('s')?.runtimeStatus).toBe('Running');
    await jsClient().terminate('s', 'stop it');
    expect(engine.instances.get('s')).toMatchObject({ runtimeStatus: 'Terminated', output: 'stop it' });
    await jsClient().terminate('s', 'again'); // 410 is success for the library
    await expect(jsClient().terminate('missing', 'x')).rejects.toThrow(/No instance/);
  });

  it('rejects resuming an instance that is not suspended', async () => {
    engine.put(running('r'));
    await expect(jsClient().resume('r', 'x')).rejects.toThrow(/status code: 500. Details: {"Message":"Something went wrong while processing your request"/);
  });

  it('rewinds a failed instance and rejects rewinding others', async () => {
    engine.put(running('f', { runtimeStatus: 'Failed' }));
    await jsClient().rewind('f', 'retry');
    expect(engine.instances.get('f')?.runtimeStatus).toBe('Running');
    await expect(jsClient().rewind('f', 'again')).rejects.toThrow(/only supported on failed|not failed/);
    await expect(jsClient().rewind('missing', 'x')).rejects.toThrow("No instance with ID 'missing' found.");
    engine.put(running('c', { runtimeStatus: 'Completed' }));
    await expect(jsClient().rewind('c', 'x')).rejects.toThrow(/410/);
    expect(engine.calls).not.toContain('rewind c');
  });

  it('purges one instance and instances by filter, reporting 0 when nothing matched', async () => {
    engine.put(running('p1', { runtimeStatus: 'Completed' }));
    engine.put(running('p2', { runtimeStatus: 'Completed' }));
    engine.put(running('p3', { runtimeStatus: 'Failed' }));
    expect(await jsClient().purgeInstanceHistory('p1')).toEqual({ instancesDeleted: 1 });
    expect((await jsClient().purgeInstanceHistory('p1')).instancesDeleted).toBe(0);
    const by = await jsClient().purgeInstanceHistoryBy({ createdTimeFrom: new Date('2024-01-01'), runtimeStatus: [df.OrchestrationRuntimeStatus.Completed] });
    expect(by).toEqual({ instancesDeleted: 1 });
    expect([...engine.instances.keys()]).toEqual(['p3']);
    expect((await jsClient().purgeInstanceHistoryBy({ createdTimeFrom: new Date('2030-01-01') })).instancesDeleted).toBe(0);
  });

  it('signals an entity with and without input and reads its state', async () => {
    const entity = new df.EntityId('Counter', 'k1');
    await jsClient().signalEntity(entity, 'add', 5);
    await jsClient().signalEntity(entity, 'reset');
    expect(engine.signals).toEqual([
      { name: 'counter', key: 'k1', operation: 'add', input: '5' },
      { name: 'counter', key: 'k1', operation: 'reset', input: undefined },
    ]);
    engine.entities.set('counter/k1', { name: 'counter', key: 'k1', exists: true, state: '{"value":5}', lastOperationTime: T0 });
    expect(await jsClient().readEntityState(entity)).toEqual({ entityExists: true, entityState: { value: 5 } });
    expect((await jsClient().readEntityState(new df.EntityId('Counter', 'nope'))).entityExists).toBe(false);
  });

  it('answers waitForCompletionOrCreateCheckStatusResponse with the output once completed', async () => {
    engine.put(running('w', { runtimeStatus: 'Completed', output: '["Hello Tokyo"]' }));
    const request = new HttpRequest({ url: `${base}/api/start`, method: 'POST' });
    const response = await jsClient().waitForCompletionOrCreateCheckStatusResponse(request, 'w');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(['Hello Tokyo']);
  });

  it('answers waitForCompletionOrCreateCheckStatusResponse with the check-status links while running', async () => {
    engine.put(running('w'));
    const request = new HttpRequest({ url: `${base}/api/start`, method: 'POST' });
    const response = await jsClient().waitForCompletionOrCreateCheckStatusResponse(request, 'w', { timeoutInMilliseconds: 30, retryIntervalInMilliseconds: 10 });
    expect(response.status).toBe(202);
    const body = (await response.json()) as { statusQueryGetUri: string };
    expect((await fetch(body.statusQueryGetUri)).status).toBe(202);
  });
});

describe('the raw Durable HTTP API routes', () => {
  it('answers a start with the check-status 202 built on the origin the request came to', async () => {
    const port = new URL(base).port;
    const res = await fetch(`http://localhost:${port}/runtime/webhooks/durabletask/orchestrators/Hello/o1`, { method: 'POST', headers: json, body: '{"a":1}' });
    expect(res.status).toBe(202);
    expect(res.headers.get('retry-after')).toBe('10');
    const body = (await res.json()) as Record<string, string>;
    expect(Object.keys(body)).toEqual(['id', 'statusQueryGetUri', 'sendEventPostUri', 'terminatePostUri', 'purgeHistoryDeleteUri', 'restartPostUri', 'suspendPostUri', 'resumePostUri', 'rewindPostUri']);
    expect(body.statusQueryGetUri).toBe(`http://localhost:${port}/runtime/webhooks/durabletask/instances/o1?taskHub=TestHubName&connection=Storage`);
    expect(res.headers.get('location')).toBe(body.statusQueryGetUri);
    expect(engine.instances.get('o1')?.input).toBe('{"a":1}');
  });

  it.each([
    ['bad JSON', 'orchestrators/Hello', '{"a":', /Invalid JSON content/],
    ['an id with ^', 'orchestrators/Hello/a%5Eb', '', /must not contain/],
    ['an id with an encoded /', 'orchestrators/Hello/a%2Fb', '', /must not contain/],
    ['an id starting with @', 'orchestrators/Hello/@x', '', /must not start with @/],
    ['an unknown orchestrator', 'orchestrators/Nope', '', /doesn't exist/],
    ['a malformed timeout', 'orchestrators/Hello?timeout=soon&pollingInterval=1', '', /'timeout'/],
  ])('refuses a start with %s (400) without calling the engine', async (_what, path, body, message) => {
    const res = await api(path, { method: 'POST', headers: json, body });
    expect(res.status).toBe(400);
    const payload = (await res.json()) as { Message: string; error: { code: string } };
    expect(payload.error.code).toBe('BAD_REQUEST');
    expect(payload.Message).toMatch(message);
    expect(engine.calls).toEqual([]);
  });

  it('waits for completion when asked with timeout and pollingInterval', async () => {
    clock.onSleep = () => engine.set(engine.instances.get('w1')!, 'Completed', '{"ok":true}');
    const res = await api('orchestrators/Hello/w1?timeout=5&pollingInterval=1', { method: 'POST' });
    expect([res.status, await res.json()]).toEqual([200, { ok: true }]);
    clock.onSleep = () => engine.set(engine.instances.get('w2')!, 'Failed', 'boom');
    const failed = await api('orchestrators/Hello/w2?timeout=5&pollingInterval=1', { method: 'POST' });
    expect([failed.status, ((await failed.json()) as { runtimeStatus: string }).runtimeStatus]).toEqual([200, 'Failed']);
    clock.onSleep = () => {};
    clock.ms = 0;
    const slow = await api('orchestrators/Hello/w3?timeout=3&pollingInterval=1', { method: 'POST' });
    expect(slow.status).toBe(202);
    expect(clock.ms).toBe(3000);
  });

  it('answers a status: 404 empty, 202 with Location and Retry-After while running, 500 on failure when asked', async () => {
    const missing = await api('instances/nope');
    expect([missing.status, await missing.text()]).toEqual([404, '']);
    engine.put(running('r', { input: '{"secret":1}' }));
    const res = await api('instances/r?showInput=false');
    expect([res.status, res.headers.get('location'), res.headers.get('retry-after')]).toEqual([202, `${base}/runtime/webhooks/durabletask/instances/r?showInput=false`, '5']);
    expect(await res.json()).toEqual({ name: 'Hello', instanceId: 'r', runtimeStatus: 'Running', input: null, customStatus: null, output: null, createdTime: '2024-03-18T17:44:50Z', lastUpdatedTime: '2024-03-18T17:44:52Z' });
    engine.put(running('f', { runtimeStatus: 'Failed', output: 'Orchestrator function failed: boom' }));
    expect((await api('instances/f')).status).toBe(200);
    const failed = await api('instances/f?returnInternalServerErrorOnFailure=true');
    expect([failed.status, ((await failed.json()) as { output: unknown }).output]).toEqual([500, 'Orchestrator function failed: boom']);
  });

  it('shows transformed history events only with showHistory', async () => {
    const history: HistoryEvent[] = [
      { type: 'ExecutionStarted', eventId: -1, isPlayed: true, timestamp: T0, name: 'Hello', version: '', input: '"Tokyo"', instanceId: 'h', executionId: 'e1' },
      { type: 'TaskScheduled', eventId: 0, isPlayed: true, timestamp: T0, name: 'SayHello', version: '', input: '"Tokyo"' },
      { type: 'TaskCompleted', eventId: -1, isPlayed: false, timestamp: T0, taskScheduledId: 0, result: '"Hello Tokyo"' },
    ];
    engine.put(running('h', { runtimeStatus: 'Completed', history }));
    expect(await api('instances/h').then((r) => r.json())).not.toHaveProperty('historyEvents');
    const body = (await api('instances/h?showHistory=true&showHistoryOutput=true&showInput=false').then((r) => r.json())) as { historyEvents: unknown[] };
    expect(body.historyEvents).toEqual([
      { EventType: 'ExecutionStarted', FunctionName: 'Hello', Timestamp: T0 },
      { EventType: 'TaskCompleted', Result: 'Hello Tokyo', ScheduledTime: T0, FunctionName: 'SayHello', Timestamp: T0 },
    ]);
  });

  it('lists instances a page at a time with the continuation token in the header', async () => {
    for (const id of ['a', 'b', 'c']) engine.put(running(id));
    const first = await api('instances/?top=2');
    expect(((await first.json()) as { instanceId: string }[]).map((s) => s.instanceId)).toEqual(['a', 'b']);
    const token = first.headers.get('x-ms-continuation-token');
    expect(token).toBe('2');
    const second = await api('instances/?top=2', { headers: { 'x-ms-continuation-token': token! } });
    expect(((await second.json()) as unknown[]).length).toBe(1);
    expect(second.headers.get('x-ms-continuation-token')).toBeNull();
  });

  it.each([
    ['instances/?top=abc', 'GET', /'top'/],
    ['instances/?runtimeStatus=Running,Sleeping', 'GET', /unknown runtime status 'Sleeping'/],
    ['instances/?createdTimeFrom=yesterday', 'GET', /'createdTimeFrom'/],
    ['instances/', 'DELETE', /createdTimeFrom/],
    ['instances/x?showHistory=maybe', 'GET', /'showHistory'/],
    ['instances/x?taskHub=OtherHub', 'GET', /serves the task hub 'TestHubName'/],
    ['entities/counter?fetchState=1', 'GET', /'fetchState'/],
    ['entities/co@unter/k', 'GET', /must not contain @/],
  ])('refuses %s %s with 400 before the engine is called', async (path, method, message) => {
    const res = await api(path, { method });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { Message: string }).Message).toMatch(message);
    expect(engine.calls).toEqual([]);
  });

  it('raises an event only with application/json content that parses, after 404 and 410', async () => {
    engine.put(running('r'));
    engine.put(running('done', { runtimeStatus: 'Completed' }));
    const raise = (id: string, headers: Record<string, string>, body: string) => api(`instances/${id}/raiseEvent/Go`, { method: 'POST', headers, body });
    expect((await raise('r', { 'Content-Type': 'text/plain' }, '1')).status).toBe(400);
    expect((await raise('r', json, '{oops')).status).toBe(400);
    expect((await raise('missing', { 'Content-Type': 'text/plain' }, '1')).status).toBe(404);
    expect((await raise('done', { 'Content-Type': 'text/plain' }, '1')).status).toBe(410);
    expect((await raise('r', { 'Content-Type': 'application/json; charset=utf-8' }, ' [1, 2] ')).status).toBe(202);
    expect(engine.events).toEqual([{ instanceId: 'r', name: 'Go', input: '[1,2]' }]);
  });

  it('maps engine refusals to statuses with the Message and error body', async () => {
    engine.put(running('s', { runtimeStatus: 'Suspended' }));
    const res = await api('instances/s/suspend?reason=again', { method: 'POST' });
    expect([res.status, await res.json()]).toEqual([500, { Message: 'Something went wrong while processing your request', error: { code: 'INVALID_STATE', message: 'already suspended' } }]);
    expect((await api('instances/nope/terminate', { method: 'POST' })).status).toBe(404);
  });

  it('restarts with a new id by default, the same id when told, and 400 for an unknown id', async () => {
    engine.put(running('old', { runtimeStatus: 'Completed', input: '{"n":1}' }));
    const fresh = (await api('instances/old/restart', { method: 'POST' }).then((r) => r.json())) as { id: string };
    expect(fresh.id).toBe('generated-1');
    expect(engine.instances.get('generated-1')?.input).toBe('{"n":1}');
    const same = (await api('instances/old/restart?restartWithNewInstanceId=false', { method: 'POST' }).then((r) => r.json())) as { id: string };
    expect(same.id).toBe('old');
    expect((await api('instances/nope/restart', { method: 'POST' })).status).toBe(400);
  });

  it('signals entities: $ is the empty key, JSON parsed, other content as a string, DELETE is op delete', async () => {
    expect((await api('entities/Counter/$?op=add', { method: 'POST', headers: json, body: '5' })).status).toBe(202);
    expect((await api('entities/counter/k?op=note', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'hi' })).status).toBe(202);
    expect((await api('entities/counter/k?op=add', { method: 'POST', headers: json, body: '{' })).status).toBe(400);
    expect((await api('entities/counter/k', { method: 'DELETE' })).status).toBe(202);
    expect((await api('entities/ghost/k?op=add', { method: 'POST' })).status).toBe(400);
    expect(engine.signals).toEqual([
      { name: 'counter', key: '', operation: 'add', input: '5' },
      { name: 'counter', key: 'k', operation: 'note', input: '"hi"' },
      { name: 'counter', key: 'k', operation: 'delete', input: undefined },
    ]);
  });

  it('reads and lists entities', async () => {
    engine.entities.set('counter/', { name: 'counter', key: '', exists: true, state: '7', lastOperationTime: T0 });
    engine.entities.set('counter/b', { name: 'counter', key: 'b', exists: true, state: 'not json', lastOperationTime: T0 });
    expect(await api('entities/Counter/$').then((r) => r.json())).toBe(7);
    expect((await api('entities/counter/zzz')).status).toBe(404);
    const list = await api('entities/counter?fetchState=true&top=1');
    expect(await list.json()).toEqual([{ entityId: { name: 'counter', key: '' }, lastOperationTime: T0, state: 7 }]);
    const next = await api('entities/counter?fetchState=true', { headers: { 'x-ms-continuation-token': list.headers.get('x-ms-continuation-token')! } });
    expect(await next.json()).toEqual([{ entityId: { name: 'counter', key: 'b' }, lastOperationTime: T0, state: 'not json' }]);
  });

  it('answers 405 with Allow for a wrong method and 404 JSON for an unknown path', async () => {
    const wrong = await api('orchestrators/Hello', { method: 'GET' });
    expect([wrong.status, wrong.headers.get('allow')]).toEqual([405, 'POST']);
    const unknown = await api('nothing/here');
    expect([unknown.status, ((await unknown.json()) as { error: { code: string } }).error.code]).toEqual([404, 'NOT_FOUND']);
  });
});
