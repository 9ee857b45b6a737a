// Proves the Durable Functions application patterns end to end on the local host, driven over the
// Durable HTTP API as users do: function chaining, fan-out/fan-in of 100 activities, human
// interaction (event wins, timer wins), the monitor pattern with custom status, an eternal
// orchestration with continue-as-new (generations counted, history bounded to the current
// execution), sub-orchestrations (explicit and default ids, failures propagated with the
// extension's text), activity retries (recovering and exhausted), and a call to an activity that
// does not exist failing with a clear message instead of hanging.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAos, type AosProcess } from '../support/aos-process.js';
import { DurableHttp, PATTERNS_APP } from './durable-support.js';

describe('durable patterns on the local host', () => {
  let aos: AosProcess;
  let api: DurableHttp;
  const run = randomUUID().slice(0, 8);

  beforeAll(async () => {
    aos = await startAos({ app: PATTERNS_APP, env: { AOS_TASK_HUB: `Patterns${run}` } });
    api = new DurableHttp(aos.baseUrl);
  });
  afterAll(async () => {
    await aos?.stop();
  });

  it('chains three activities and returns their results in order', async () => {
    const id = await api.start('HelloSequence');
    const done = await api.waitFor(id);
    expect(done).toMatchObject({ runtimeStatus: 'Completed', output: ['Hello Tokyo', 'Hello Seattle', 'Hello London'] });
  });

  it('fans out to 100 activities and fans their results back in', async () => {
    const id = await api.start('FanOutFanIn', 100);
    const done = await api.waitFor(id, undefined, 40_000);
    // sum of squares 1..100
    expect(done).toMatchObject({ runtimeStatus: 'Completed', output: { count: 100, sum: 338_350 } });
    const history = (await api.status(id, 'showHistory=true')).body.historyEvents ?? [];
    expect(history.filter((e) => e.EventType === 'TaskCompleted')).toHaveLength(100);
  });

  describe('human interaction', () => {
    it('completes with the approval when the event arrives before the timer', async () => {
      const id = await api.start('Approval', { timeoutMs: 60_000 });
      await api.waitFor(id, ['Running']);
      expect((await api.raise(id, 'Approval', { by: 'alice' })).status).toBe(202);
      const done = await api.waitFor(id);
      expect(done).toMatchObject({ runtimeStatus: 'Completed', output: { outcome: 'approved', by: { by: 'alice' } } });
    });

    it('completes with a timeout when the short timer fires first', async () => {
      const id = await api.start('Approval', { timeoutMs: 300 });
      const done = await api.waitFor(id);
      expect(done).toMatchObject({ runtimeStatus: 'Completed', output: { outcome: 'timeout' } });
      const history = (await api.status(id, 'showHistory=true')).body.historyEvents ?? [];
      expect(history.map((e) => e.EventType)).toContain('TimerFired');
      // An event for a finished instance is refused as the extension does.
      expect((await api.raise(id, 'Approval', 'late')).status).toBe(410);
    });
  });

  it('monitors a job on a timer loop and publishes its progress as custom status', async () => {
    const id = await api.start('Monitor', { jobId: `job-${run}`, readyAfter: 3, intervalMs: 200, maxChecks: 10 });
    const midway = await api.waitUntilStatus(id, (s) => typeof s.customStatus === 'object' && s.customStatus !== null, 'the monitor published a custom status');
    expect(midway.customStatus).toMatchObject({ ready: expect.any(Boolean) as unknown });
    const done = await api.waitFor(id);
    expect(done).toMatchObject({ runtimeStatus: 'Completed', output: { checks: 3 }, customStatus: { checks: 3, ready: true } });
    const history = (await api.status(id, 'showHistory=true')).body.historyEvents ?? [];
    expect(history.filter((e) => e.EventType === 'TimerFired')).toHaveLength(2);
  });

  describe('eternal orchestration', () => {
    it('continues as new through every generation and keeps only the current execution', async () => {
      const id = await api.start('Eternal', { generation: 1, until: 20 });
      const done = await api.waitFor(id, undefined, 40_000);
      expect(done).toMatchObject({ runtimeStatus: 'Completed', output: { generations: 20 }, input: { generation: 20, until: 20 }, customStatus: { generation: 20 } });
      const history = (await api.status(id, 'showHistory=true&showHistoryOutput=true')).body.historyEvents ?? [];
      const types = history.map((e) => e.EventType);
      // One execution: started, one activity, completed; nothing of the 19 generations before it.
      expect(types).toEqual(['ExecutionStarted', 'TaskCompleted', 'ExecutionCompleted']);
      expect(JSON.parse(String(history[0]?.Input))).toEqual({ generation: 20, until: 20 });
      expect(history[1]).toMatchObject({ FunctionName: 'SayHello', Result: 'Hello generation 20' });
    });
  });

  describe('sub-orchestrations', () => {
    it('runs children with an explicit id and with the default id, each knowing its parent', async () => {
      const childId = `kid-${run}`;
      const id = await api.start('Parent', { childId });
      const done = await api.waitFor(id);
      expect(done.runtimeStatus).toBe('Completed');
      const output = done.output as { named: Record<string, unknown>; unnamed: Record<string, unknown> };
      expect(output.named).toEqual({ greeting: 'Hello named', childId, parentId: id });
      expect(output.unnamed).toMatchObject({ greeting: 'Hello unnamed', parentId: id });
      // The default child id is DTFx's: the parent's execution id and the task's sequence number.
      expect(output.unnamed.childId).toMatch(/^[0-9a-f]{32}:1$/);
      const named = await api.waitFor(childId);
      expect(named).toMatchObject({ name: 'Child', runtimeStatus: 'Completed', input: 'named' });
      const unnamed = await api.waitFor(String(output.unnamed.childId));
      expect(unnamed).toMatchObject({ name: 'Child', runtimeStatus: 'Completed', input: 'unnamed' });
    });

    it('fails the parent with the extension text when an uncaught child failure propagates', async () => {
      const id = `pof-${run}`;
      await api.start('ParentOfFailing', undefined, id);
      const parent = await api.waitFor(id);
      const child = await api.waitFor(`${id}-child`);
      expect(child.runtimeStatus).toBe('Failed');
      expect(child.output).toBe("Orchestrator function 'FailingChild' failed: child uncaught broke");
      expect(parent.runtimeStatus).toBe('Failed');
      expect(String(parent.output)).toMatch(/^Orchestrator function 'ParentOfFailing' failed: Orchestrator function 'FailingChild' failed: child uncaught broke/);
    });

    it('lets the parent catch a child failure as an exception', async () => {
      const id = `pcc-${run}`;
      await api.start('ParentCatchesChild', undefined, id);
      const done = await api.waitFor(id);
      expect(done.runtimeStatus).toBe('Completed');
      expect((done.output as { caught: string }).caught).toMatch(/^Orchestrator function 'FailingChild' failed: child caught broke/);
    });
  });

  describe('retries', () => {
    it('retries an activity that fails twice and completes with its third result', async () => {
      const id = await api.start('RetryFlaky', { key: `ok-${run}`, failures: 2, maxAttempts: 3 });
      const done = await api.waitFor(id);
      expect(done).toMatchObject({ runtimeStatus: 'Completed', output: 'ok on attempt 3' });
      const history = (await api.status(id, 'showHistory=true')).body.historyEvents ?? [];
      expect(history.filter((e) => e.EventType === 'TaskFailed')).toHaveLength(2);
      expect(history.filter((e) => e.EventType === 'TimerFired')).toHaveLength(2);
    });

    it('fails with the last attempt error once the attempts are exhausted', async () => {
      const id = await api.start('RetryFlaky', { key: `exhaust-${run}`, failures: 10, maxAttempts: 3 });
      const done = await api.waitFor(id);
      expect(done.runtimeStatus).toBe('Failed');
      expect(String(done.output)).toMatch(/^Orchestrator function 'RetryFlaky' failed: Activity function 'Flaky' failed: {2}flaky failure 3 of exhaust-/);
      const history = (await api.status(id, 'showHistory=true')).body.historyEvents ?? [];
      expect(history.filter((e) => e.EventType === 'TaskFailed')).toHaveLength(3);
    });
  });

  it('publishes custom status objects and replaces them as the orchestration goes on', async () => {
    const id = await api.start('CustomStatus');
    const waiting = await api.waitUntilStatus(id, (s) => s.customStatus !== null, 'a custom status is set');
    expect(waiting).toMatchObject({ runtimeStatus: 'Running', customStatus: { stage: 'waiting', items: [1, 2, 3], nested: { ok: true } } });
    await api.raise(id, 'Go', { x: 1 });
    const done = await api.waitFor(id);
    expect(done).toMatchObject({ runtimeStatus: 'Completed', output: 'finished', customStatus: { stage: 'done', go: { x: 1 } } });
  });

  it('fails an orchestration that calls a missing activity with a message naming it', async () => {
    const id = await api.start('CallsMissingActivity');
    const done = await api.waitFor(id, undefined, 10_000);
    expect(done.runtimeStatus).toBe('Failed');
    expect(done.output).toBe("Orchestrator function 'CallsMissingActivity' failed: The function 'NoSuchActivity' doesn't exist, is disabled, or is not an activity function.");
  });

  it('fails an orchestration whose activity throws with the activity error text', async () => {
    const id = await api.start('FailsAlways');
    const done = await api.waitFor(id);
    expect(done.runtimeStatus).toBe('Failed');
    expect(String(done.output)).toMatch(/^Orchestrator function 'FailsAlways' failed: Activity function 'AlwaysFails' failed: {2}activity said no/);
  });
});
