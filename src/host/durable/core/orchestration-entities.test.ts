import * as df from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { OrchestrationKit } from './testing/orchestration-kit.js';

const registerCounter = () => {
  df.app.entity('Counter', (context) => {
    context.df.return(0);
  });
};

describe('entity calls from real durable-functions orchestrations', () => {
  it('sends a call as EventSent plus an op request, and resolves with the response result', async () => {
    const kit = await OrchestrationKit.create(() => {
      registerCounter();
      df.app.orchestration('Caller', function* (context) {
        const value: number = yield context.df.callEntity(new df.EntityId('Counter', 'k1'), 'add', 5);
        return value * 10;
      });
    });
    const id = await kit.start('Caller');
    const instance = kit.instance(id);
    const sent = instance.history.find((e) => e.type === 'EventSent');
    expect(sent).toMatchObject({ type: 'EventSent', eventId: 0, instanceId: '@counter@k1', name: 'op' });
    expect(kit.entityMessages).toHaveLength(1);
    const request = kit.entityMessages[0]?.request ?? {};
    expect(request).toMatchObject({ op: 'add', input: '5', parent: id, parentExecution: instance.executionId });
    expect(request.signal).toBeUndefined();
    expect(JSON.parse(sent?.type === 'EventSent' ? (sent.input ?? '') : '')).toEqual(request);
    expect(instance.runtimeStatus).toBe('Running');

    await kit.respondToEntity(id, request.id as string, { result: '15' });
    expect(kit.instance(id).runtimeStatus).toBe('Completed');
    expect(kit.output(id)).toBe(150);
  });

  it('fails the call when the response carries an exception type', async () => {
    const kit = await OrchestrationKit.create(() => {
      registerCounter();
      df.app.orchestration('Caller', function* (context) {
        try {
          yield context.df.callEntity(new df.EntityId('Counter', 'k1'), 'explode');
          return 'no error';
        } catch {
          return 'caught';
        }
      });
    });
    const id = await kit.start('Caller');
    await kit.respondToEntity(id, kit.entityMessages[0]?.request.id as string, { result: '{}', exceptionType: 'Error' });
    expect(kit.output(id)).toBe('caught');
  });

  it('numbers a signal as one operation and marks its request as a signal', async () => {
    const kit = await OrchestrationKit.create(() => {
      registerCounter();
      df.app.orchestration('Signaller', function* (context) {
        context.df.signalEntity(new df.EntityId('Counter', 'k2'), 'reset');
        return yield context.df.callActivity('Echo', 'after');
      });
      df.app.activity('Echo', { handler: (x: unknown) => x });
    });
    const id = await kit.start('Signaller');
    expect(kit.output(id)).toBe('after');
    const trace = kit.instance(id).history.flatMap((e) => (e.type === 'EventSent' || e.type === 'TaskScheduled' ? [`${e.type} ${e.eventId}`] : []));
    expect(trace).toEqual(['EventSent 0', 'TaskScheduled 1']);
    expect(kit.entityMessages[0]).toMatchObject({ target: '@counter@k2', name: 'op', request: { op: 'reset', signal: true } });
  });

  it('tags each request with the sender turn, which goes on counting across continue-as-new', async () => {
    const kit = await OrchestrationKit.create(() => {
      registerCounter();
      df.app.orchestration('Looper', function* (context) {
        const round: number = context.df.getInput() ?? 0;
        yield context.df.callEntity(new df.EntityId('Counter', 'k1'), 'take');
        if (round < 2) context.df.continueAsNew(round + 1);
        return round;
      });
    });
    const id = await kit.start('Looper', { input: 0 });
    for (let round = 0; round < 3; round++) {
      const request = kit.entityMessages[round]?.request ?? {};
      await kit.respondToEntity(id, request.id as string, { result: '0' });
    }
    const requests = kit.entityMessages.map((m) => m.request);
    expect(new Set(requests.map((r) => r.parentExecution)).size).toBe(3);
    // The kit decides a continued-as-new generation in an episode of its own (the engine runs it
    // in the same turn): turns 1, then 2 (response) + 3 (next generation), then 4 + 5.
    expect(requests.map((r) => (r.seq as { turn?: number }).turn)).toEqual([1, 3, 5]);
  });

  it('gives deterministic request ids: the same history decides the same id', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const kit = await OrchestrationKit.create(() => {
        registerCounter();
        df.app.orchestration('Caller', function* (context) {
          return yield context.df.callEntity(new df.EntityId('Counter', 'k1'), 'get');
        });
      });
      await kit.start('Caller', { instanceId: 'same' });
      ids.push(kit.entityMessages[0]?.request.id as string);
    }
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids[1]).toBe(ids[0]);
  });

  it('locks entities with one number, calls a locked entity, and releases with one number per entity', async () => {
    const kit = await OrchestrationKit.create(() => {
      registerCounter();
      df.app.orchestration('Critical', function* (context) {
        const a = new df.EntityId('Counter', 'a');
        const b = new df.EntityId('Counter', 'b');
        const lock: { release(): void } = yield context.df.lock([b, a]);
        const value: number = yield context.df.callEntity(a, 'get');
        lock.release();
        return yield context.df.callActivity('Echo', value);
      });
      df.app.activity('Echo', { handler: (x: unknown) => x });
    });
    const id = await kit.start('Critical');
    const lockRequest = kit.entityMessages[0];
    expect(lockRequest).toMatchObject({ target: '@counter@a', name: 'op', request: { pos: 0, lockset: [{ name: 'Counter', key: 'a' }, { name: 'Counter', key: 'b' }] } });
    await kit.respondToEntity(id, lockRequest?.request.id as string, { result: '"Lock Acquisition Completed"' });
    const call = kit.entityMessages[1];
    expect(call).toMatchObject({ target: '@counter@a', request: { op: 'get' } });
    await kit.respondToEntity(id, call?.request.id as string, { result: '7' });
    expect(kit.output(id)).toBe(7);
    const releases = kit.entityMessages.slice(2);
    expect(releases.map((m) => [m.target, m.name, m.request.id])).toEqual([
      ['@counter@a', 'release', lockRequest?.request.id],
      ['@counter@b', 'release', lockRequest?.request.id],
    ]);
    const trace = kit.instance(id).history.flatMap((e) => (e.type === 'EventSent' || e.type === 'TaskScheduled' ? [`${e.type} ${e.eventId}`] : []));
    expect(trace).toEqual(['EventSent 0', 'EventSent 1', 'EventSent 2', 'EventSent 3', 'TaskScheduled 4']);
  });

  it('releases locks still held when the orchestration completes', async () => {
    const kit = await OrchestrationKit.create(() => {
      registerCounter();
      df.app.orchestration('Forgetful', function* (context) {
        yield context.df.lock(new df.EntityId('Counter', 'x'));
        return 'kept the lock';
      });
    });
    const id = await kit.start('Forgetful');
    await kit.respondToEntity(id, kit.entityMessages[0]?.request.id as string, { result: '"Lock Acquisition Completed"' });
    expect(kit.instance(id).runtimeStatus).toBe('Completed');
    expect(kit.entityMessages.slice(1)).toEqual([
      { target: '@counter@x', name: 'release', request: { parent: id, id: kit.entityMessages[0]?.request.id } },
    ]);
  });

  it('fails fast when an orchestrator calls an entity the app does not register', async () => {
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('CallsGhost', function* (context) {
        return yield context.df.callEntity(new df.EntityId('Ghost', 'k'), 'get');
      });
    });
    const id = await kit.start('CallsGhost');
    expect(kit.instance(id).output).toBe("Orchestrator function 'CallsGhost' failed: The function 'ghost' doesn't exist, is disabled, or is not an entity function.");
    expect(kit.entityMessages).toHaveLength(0);
  });
});
