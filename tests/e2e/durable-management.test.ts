// Proves the durable management API on the local host through both doors users have: the raw
// `/runtime/webhooks/durabletask/` routes and the JS `DurableClient` inside HTTP starters.
// Status (history, outputs, input flags), listing with paging and filters, events (410 once
// finished), waitForCompletionOrCreateCheckStatusResponse, suspend/resume, terminate, restart,
// purge (a running instance is refused), rewind (202 for a failed instance, refused otherwise), and
// bad input (invalid ids, unknown orchestrator, malformed JSON) answered 400 with nothing stored.
import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startAos, type AosProcess } from '../support/aos-process.js';
import { waitUntil } from '../support/wait-until.js';
import { DurableHttp, PATTERNS_APP, type StatusBody } from './durable-support.js';

type ClientStatus = { name: string; instanceId: string; runtimeStatus: string; input: unknown; output: unknown; customStatus: unknown; createdTime: string; history?: unknown };

describe('durable management API on the local host', () => {
  let aos: AosProcess;
  let api: DurableHttp;
  const run = randomUUID().slice(0, 8);
  const hub = `Manage${run}`;

  beforeAll(async () => {
    aos = await startAos({ app: PATTERNS_APP, env: { AOS_TASK_HUB: hub } });
    api = new DurableHttp(aos.baseUrl);
  });
  afterAll(async () => {
    await aos?.stop();
  });

  describe('status', () => {
    it('answers 202 with Location while running, 200 once done, 404 when unknown', async () => {
      const id = await api.start('WaitForProceed', { n: 1 }, `st-${run}`);
      await api.waitFor(id, ['Running']);
      const running = await api.status(id);
      expect(running.status).toBe(202);
      expect(running.headers.get('location')).toContain(`/runtime/webhooks/durabletask/instances/st-${run}`);
      expect(running.headers.get('retry-after')).toBe('5');
      await api.raise(id, 'Proceed', 'go');
      await api.waitFor(id);
      const done = await api.status(id);
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ name: 'WaitForProceed', instanceId: id, runtimeStatus: 'Completed', input: { n: 1 }, output: { input: { n: 1 }, payload: 'go' } });
      expect((await api.status(`unknown-${run}`)).status).toBe(404);
    });

    it('shows history, history outputs and input only when asked', async () => {
      const id = await api.start('HelloSequence', undefined, `hist-${run}`);
      await api.waitFor(id);
      expect((await api.status(id)).body.historyEvents).toBeUndefined();
      const plain = (await api.status(id, 'showHistory=true')).body.historyEvents ?? [];
      expect(plain.map((e) => e.EventType)).toEqual(['ExecutionStarted', 'TaskCompleted', 'TaskCompleted', 'TaskCompleted', 'ExecutionCompleted']);
      expect(plain[1]).toMatchObject({ FunctionName: 'SayHello' });
      expect(plain[1]).not.toHaveProperty('Result');
      const outputs = (await api.status(id, 'showHistory=true&showHistoryOutput=true')).body.historyEvents ?? [];
      expect(outputs[1]).toMatchObject({ FunctionName: 'SayHello', Result: 'Hello Tokyo' });
      expect(outputs[4]).toMatchObject({ EventType: 'ExecutionCompleted', OrchestrationStatus: 'Completed', Result: ['Hello Tokyo', 'Hello Seattle', 'Hello London'] });
      const echo = await api.start('Echo', { secret: 1 });
      await api.waitFor(echo);
      expect((await api.status(echo, 'showInput=false')).body.input).toBeNull();
    });

    it('gives the JS client the same status, with its flags', async () => {
      const id = `hist-${run}`;
      const res = await api.client<ClientStatus>('getStatus', { instanceId: id, options: { showHistory: true, showHistoryOutput: true, showInput: true } });
      expect(res.status).toBe(200);
      expect(res.result).toMatchObject({ name: 'HelloSequence', instanceId: id, runtimeStatus: 'Completed', output: ['Hello Tokyo', 'Hello Seattle', 'Hello London'] });
      const missing = await api.client('getStatus', { instanceId: `unknown-${run}` });
      expect(missing.error).toMatch(/404/);
    });
  });

  describe('listing', () => {
    const prefix = `many-${run}-`;
    const ids = Array.from({ length: 105 }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);

    beforeAll(async () => {
      for (let i = 0; i < ids.length; i += 15) await Promise.all(ids.slice(i, i + 15).map((id, j) => api.start('Echo', i + j, id)));
      for (const id of ids) await api.waitFor(id);
    });

    it('pages the raw list with top and the continuation header', async () => {
      const seen: string[] = [];
      let token: string | null = null;
      let pages = 0;
      do {
        const res: Awaited<ReturnType<typeof api.request<StatusBody[]>>> = await api.request<StatusBody[]>('GET', `instances/?instanceIdPrefix=${prefix}&top=20`, undefined, token ? { 'x-ms-continuation-token': token } : {});
        expect(res.status).toBe(200);
        expect(res.body.length).toBeLessThanOrEqual(20);
        seen.push(...res.body.map((s) => s.instanceId));
        token = res.headers.get('x-ms-continuation-token');
        pages++;
      } while (token && pages < 50);
      expect(pages).toBe(6);
      expect(seen.sort()).toEqual(ids);
    });

    it('lets the JS client follow continuation tokens in getStatusAll and filter with getStatusBy', async () => {
      const all = await api.client<ClientStatus[]>('getStatusAll');
      expect(all.status).toBe(200);
      const mine = (all.result ?? []).filter((s) => s.instanceId.startsWith(prefix));
      expect(mine).toHaveLength(105);
      const from = new Date(Date.now() - 10 * 60_000).toISOString();
      const completed = await api.client<ClientStatus[]>('getStatusBy', { createdTimeFrom: from, runtimeStatus: ['Completed'] });
      expect((completed.result ?? []).filter((s) => s.instanceId.startsWith(prefix))).toHaveLength(105);
      expect((completed.result ?? []).every((s) => s.runtimeStatus === 'Completed')).toBe(true);
      const future = await api.client<ClientStatus[]>('getStatusBy', { createdTimeFrom: new Date(Date.now() + 3_600_000).toISOString() });
      expect(future.result).toEqual([]);
      const running = await api.request<StatusBody[]>('GET', `instances/?instanceIdPrefix=${prefix}&runtimeStatus=Running,Pending`);
      expect(running.body).toEqual([]);
    });
  });

  describe('events', () => {
    it('refuses an event for a finished instance with 410 and the JS client accepts that', async () => {
      const id = await api.start('Echo', 1);
      await api.waitFor(id);
      expect((await api.raise(id, 'Late', 1)).status).toBe(410);
      const viaClient = await api.client('raiseEvent', { instanceId: id, eventName: 'Late', eventData: 1 });
      expect(viaClient).toEqual({ status: 200, result: null });
      expect((await api.raise(`unknown-${run}`, 'E', 1)).status).toBe(404);
      const unknown = await api.client('raiseEvent', { instanceId: `unknown-${run}`, eventName: 'E', eventData: 1 });
      expect(unknown.error).toMatch(/No instance with ID/);
    });

    it('delivers an event raised through the JS client', async () => {
      const id = await api.start('WaitForProceed');
      await api.waitFor(id, ['Running']);
      expect((await api.client('raiseEvent', { instanceId: id, eventName: 'Proceed', eventData: { via: 'client' } })).status).toBe(200);
      expect((await api.waitFor(id)).output).toMatchObject({ payload: { via: 'client' } });
    });

    it('rejects event bodies that are not JSON', async () => {
      const id = await api.start('WaitForProceed');
      await api.waitFor(id, ['Running']);
      expect((await api.request('POST', `instances/${id}/raiseEvent/Proceed`, '{bad')).status).toBe(400);
      expect((await api.request('POST', `instances/${id}/raiseEvent/Proceed`, '"x"', { 'Content-Type': 'text/plain' })).status).toBe(400);
      expect((await api.status(id)).body.runtimeStatus).toBe('Running');
    });
  });

  describe('waitForCompletionOrCreateCheckStatusResponse', () => {
    it('answers 200 with the output when the orchestration completes in time', async () => {
      const res = await api.request('POST', `${aos.baseUrl}/api/start-wait/HelloSequence?timeoutMs=15000`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(['Hello Tokyo', 'Hello Seattle', 'Hello London']);
    });

    it('answers 202 with the check-status payload when it does not', async () => {
      const res = await api.request<Record<string, string>>('POST', `${aos.baseUrl}/api/start-wait/WaitForProceed?timeoutMs=300`);
      expect(res.status).toBe(202);
      expect(res.headers.get('location')).toBe(res.body.statusQueryGetUri);
      expect(res.body.statusQueryGetUri).toContain(`${aos.baseUrl}/runtime/webhooks/durabletask/instances/${res.body.id}`);
      expect((await api.request('GET', res.body.statusQueryGetUri!)).status).toBe(202);
      await api.request('POST', res.body.terminatePostUri!.replace('{text}', 'cleanup'));
      expect((await api.waitFor(res.body.id!)).runtimeStatus).toBe('Terminated');
    });

    it('answers 500 with the status when the orchestration fails', async () => {
      const res = await api.request<{ runtimeStatus: string }>('POST', `${aos.baseUrl}/api/start-wait/FailsAlways?timeoutMs=15000`);
      expect(res.status).toBe(500);
      expect(res.body.runtimeStatus).toBe('Failed');
    });
  });

  describe('suspend, resume and terminate', () => {
    it('suspends and resumes over the raw routes, holding events while suspended', async () => {
      const id = await api.start('WaitForProceed', 'raw', `sus-${run}`);
      await api.waitFor(id, ['Running']);
      expect((await api.request('POST', `instances/${id}/suspend?reason=pause`)).status).toBe(202);
      await api.waitFor(id, ['Suspended']);
      // The extension answers a wrong-state operation with its generic 500.
      const again = await api.request<{ Message: string }>('POST', `instances/${id}/suspend`);
      expect([again.status, again.body.Message]).toEqual([500, 'Something went wrong while processing your request']);
      await api.raise(id, 'Proceed', 'held');
      // The event is stored but the orchestration does not run while suspended.
      const history = await api.waitFor(id, ['Suspended'], 5_000, 'showHistory=true');
      expect(history.historyEvents?.some((e) => e.EventType === 'ExecutionCompleted')).toBe(false);
      expect((await api.request('POST', `instances/${id}/resume?reason=back`)).status).toBe(202);
      expect(await api.waitFor(id)).toMatchObject({ runtimeStatus: 'Completed', output: { input: 'raw', payload: 'held' } });
      expect((await api.request('POST', `instances/${id}/resume`)).status).toBe(410);
    });

    it('suspends, resumes and terminates through the JS client', async () => {
      const id = await api.start('WaitForProceed', 'js');
      await api.waitFor(id, ['Running']);
      expect((await api.client('suspend', { instanceId: id, reason: 'pause' })).status).toBe(200);
      await api.waitFor(id, ['Suspended']);
      expect((await api.client('resume', { instanceId: id, reason: 'back' })).status).toBe(200);
      await api.waitFor(id, ['Running']);
      expect((await api.client('terminate', { instanceId: id, reason: 'enough' })).status).toBe(200);
      expect(await api.waitFor(id)).toMatchObject({ runtimeStatus: 'Terminated', output: 'enough' });
      // Terminating again is 410 on the wire, which the JS client treats as done.
      expect((await api.request('POST', `instances/${id}/terminate?reason=again`)).status).toBe(410);
      expect((await api.client('terminate', { instanceId: id, reason: 'again' })).status).toBe(200);
    });
  });

  describe('restart', () => {
    it('restarts a finished instance under its own id with a fresh status', async () => {
      const id = await api.start('WaitForProceed', 'first', `rs-${run}`);
      await api.waitFor(id, ['Running']);
      await api.raise(id, 'Proceed', 1);
      const first = await api.waitFor(id);
      const res = await api.request<{ id: string }>('POST', `instances/${id}/restart?restartWithNewInstanceId=false`);
      expect(res.status).toBe(202);
      expect(res.body.id).toBe(id);
      // The first turn of the new execution has run once the row says Running; nothing of the
      // finished execution (status, output) may come back.
      const again = await api.waitFor(id, ['Running']);
      expect(again).toMatchObject({ instanceId: id, runtimeStatus: 'Running', input: 'first', output: null });
      expect(Date.parse(again.createdTime)).toBeGreaterThanOrEqual(Date.parse(first.createdTime));
      await api.raise(id, 'Proceed', 2);
      expect(await api.waitFor(id)).toMatchObject({ runtimeStatus: 'Completed', output: { input: 'first', payload: 2 } });
    });

    it('restarts under a new id by default and refuses an unknown id', async () => {
      const id = await api.start('Echo', 'again');
      await api.waitFor(id);
      const res = await api.request<{ id: string }>('POST', `instances/${id}/restart`);
      expect(res.status).toBe(202);
      expect(res.body.id).not.toBe(id);
      expect(await api.waitFor(res.body.id)).toMatchObject({ name: 'Echo', runtimeStatus: 'Completed', output: 'again' });
      expect((await api.request('POST', `instances/unknown-${run}/restart`)).status).toBe(400);
    });
  });

  describe('purge', () => {
    it('purges a finished instance and refuses a running one', async () => {
      const done = await api.start('HelloSequence', undefined, `purge-${run}`);
      await api.waitFor(done);
      const res = await api.request('DELETE', `instances/${done}`);
      expect(res).toMatchObject({ status: 200, body: { instancesDeleted: 1 } });
      expect((await api.status(done)).status).toBe(404);
      expect((await api.request('DELETE', `instances/${done}`)).status).toBe(404);
      const history = TableClient.fromConnectionString(inject('storageConnectionString'), `${hub}History`, { allowInsecureConnection: true });
      const rows = history.listEntities({ queryOptions: { filter: `PartitionKey eq '${done}'` } });
      expect((await rows.next()).done).toBe(true);

      const running = await api.start('WaitForProceed', undefined, `purge-running-${run}`);
      await api.waitFor(running, ['Running']);
      expect((await api.request('DELETE', `instances/${running}`)).status).toBe(412);
      const viaClient = await api.client('purgeInstanceHistory', { instanceId: running });
      expect(viaClient.status).toBe(500);
      expect((await api.status(running)).body.runtimeStatus).toBe('Running');
    });

    it('purges through the JS client, one instance and by filter', async () => {
      const one = await api.start('Echo', 1);
      await api.waitFor(one);
      expect(await api.client('purgeInstanceHistory', { instanceId: one })).toEqual({ status: 200, result: { instancesDeleted: 1 } });
      expect(await api.client('purgeInstanceHistory', { instanceId: one })).toEqual({ status: 200, result: { instancesDeleted: 0 } });
      const terminated = await api.start('WaitForProceed');
      await api.waitFor(terminated, ['Running']);
      await api.request('POST', `instances/${terminated}/terminate?reason=x`);
      await api.waitFor(terminated);
      const from = new Date(Date.now() - 10 * 60_000).toISOString();
      const byFilter = await api.client<{ instancesDeleted: number }>('purgeInstanceHistoryBy', { createdTimeFrom: from, runtimeStatus: ['Terminated'] });
      expect(byFilter.result?.instancesDeleted).toBeGreaterThanOrEqual(1);
      expect((await api.status(terminated)).status).toBe(404);
      expect((await api.request('DELETE', 'instances/?runtimeStatus=Completed')).status).toBe(400);
    });
  });

  describe('rewind', () => {
    it('accepts a failed instance (202) and runs it again, and the JS client resolves', async () => {
      const id = await api.start('FailsAlways');
      await api.waitFor(id);
      const res = await api.request('POST', `instances/${id}/rewind?reason=retry`);
      expect(res.status).toBe(202);
      // FailsAlways fails again: the rewound execution records the rewind and a second failure.
      const rewoundTwice = async (n: number) => ((await api.status(id, 'showHistory=true')).body.historyEvents ?? []).filter((e) => e.EventType === 'ExecutionRewound').length >= n && (await api.status(id)).body.runtimeStatus === 'Failed';
      await waitUntil(() => rewoundTwice(1), { timeoutMs: 20_000, describe: `${id} failed again after a rewind` });
      const viaClient = await api.client('rewind', { instanceId: id, reason: 'retry' });
      expect(viaClient).toMatchObject({ status: 200, result: null });
      await waitUntil(() => rewoundTwice(2), { timeoutMs: 20_000, describe: `${id} failed again after a second rewind` });
      const completed = await api.start('Echo', 1);
      await api.waitFor(completed);
      expect((await api.request('POST', `instances/${completed}/rewind`)).status).toBe(410);
      expect((await api.request('POST', `instances/unknown-${run}/rewind`)).status).toBe(404);
    });
  });

  describe('bad input', () => {
    const bad = `bad-${run}`;

    it('refuses invalid instance ids with 400 and stores nothing', async () => {
      const ids = [`${bad}/slash`, `${bad}\\backslash`, `${bad}#hash`, `${bad}?query`, `${bad}\u0001control`, `${bad}\u007fdel`, `${bad}${'x'.repeat(260)}`];
      for (const id of ids) {
        const res = await api.request('POST', `orchestrators/Echo/${encodeURIComponent(id)}`, '1');
        expect(res.status, id).toBe(400);
        expect(res.text).toMatch(/instance ids must/);
      }
      expect((await api.request('POST', `orchestrators/Echo/${encodeURIComponent(`@${bad}`)}`, '1')).status).toBe(400);
      expect((await api.request<StatusBody[]>('GET', `instances/?instanceIdPrefix=${bad}`)).body).toEqual([]);
      for (const table of ['Instances', 'History', 'Work']) {
        const client = TableClient.fromConnectionString(inject('storageConnectionString'), `${hub}${table}`, { allowInsecureConnection: true });
        for await (const row of client.listEntities()) expect(String(row.partitionKey)).not.toContain(bad);
      }
    });

    it('refuses an unknown orchestrator and malformed JSON with 400 and stores nothing', async () => {
      const unknown = await api.request('POST', `orchestrators/NoSuchOrchestrator/${bad}-u`, '1');
      expect(unknown.status).toBe(400);
      expect(unknown.text).toContain("The function 'NoSuchOrchestrator' doesn't exist");
      const malformed = await api.request('POST', `orchestrators/Echo/${bad}-m`, '{"a":');
      expect(malformed.status).toBe(400);
      expect(malformed.text).toMatch(/Invalid JSON/);
      expect((await api.status(`${bad}-u`)).status).toBe(404);
      expect((await api.status(`${bad}-m`)).status).toBe(404);
      const viaClient = await api.startWithClient('NoSuchOrchestrator');
      expect(viaClient.status).toBe(500);
      expect(viaClient.text).toMatch(/400/);
    });

    it('answers a start with an id that is running with a conflict and keeps the instance', async () => {
      const id = await api.start('WaitForProceed', 1, `dup-${run}`);
      await api.waitFor(id, ['Running']);
      const again = await api.request('POST', `orchestrators/WaitForProceed/${id}`, '2');
      expect(again.status).toBe(409);
      expect((await api.status(id)).body).toMatchObject({ runtimeStatus: 'Running', input: 1 });
    });
  });
});
