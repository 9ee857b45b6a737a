import * as df from 'durable-functions';
import { beforeAll, describe, expect, it } from 'vitest';
import { scheduleOp, type SchedulingContext } from './orchestration-scheduling.js';
import { EntityWorld, registerEntity } from './testing/entity-kit.js';

// Real durable-functions 3.5 entities, run by the worker stand-in and the entity scheduler.
beforeAll(() => {
  registerEntity<number>('counter', (context) => {
    const current = context.df.getState(() => 0) ?? 0;
    switch (context.df.operationName) {
      case 'add':
        context.df.setState(current + (context.df.getInput<number>() ?? 0));
        break;
      case 'get':
        context.df.return(current);
        break;
      case 'reset':
        context.df.setState(0);
        break;
      case 'isNew':
        context.df.return(context.df.isNewlyConstructed);
        break;
      case 'delete':
        context.df.destructOnExit();
        break;
      case 'addThenFail':
        context.df.setState(current + 100);
        throw new Error('after changing the state');
      default:
        throw new Error(`unknown operation ${context.df.operationName ?? ''}`);
    }
  });
  registerEntity<unknown[]>('recorder', (context) => {
    const input = context.df.getInput();
    const seen = context.df.getState(() => []) ?? [];
    context.df.setState([...seen, input === undefined ? '<undefined>' : input]);
  });
  registerEntity('forwarder', (context) => {
    const values = context.df.getInput<unknown[]>() ?? [];
    // A mixed-case name: the scheduler must still reach `@recorder@r1`.
    for (const value of values) context.df.signalEntity(new df.EntityId('Recorder', 'r1'), 'record', value);
  });
});

const counter = (key: string) => ({ name: 'counter', key });

describe('entities written with durable-functions', () => {
  it('adds, reads and resets a counter through getState, setState and return', async () => {
    const world = new EntityWorld();
    world.signal(counter('c1'), 'add', 5);
    world.signal(counter('c1'), 'add', 3);
    const first = world.call('orch-1', counter('c1'), 'get');
    await world.runUntilIdle();
    expect(world.responseTo('orch-1', first)).toEqual({ result: '8' });
    world.signal(counter('c1'), 'reset');
    const second = world.call('orch-1', counter('c1'), 'get');
    await world.runUntilIdle();
    expect(world.responseTo('orch-1', second)).toEqual({ result: '0' });
    expect(world.readEntityState(counter('c1'))).toEqual({ exists: true, state: 0 });
  });

  it('stores the state in the DF 2.x scheduler format and reads it back on the next turn', async () => {
    const world = new EntityWorld();
    world.signal(counter('c2'), 'add', 7);
    await world.runUntilIdle();
    expect(world.stored.get('@counter@c2')).toBe('{"exists":true,"state":"7","sorter":{}}');
    world.signal(counter('c2'), 'add', 1);
    await world.runUntilIdle();
    expect(world.readEntityState(counter('c2'))).toEqual({ exists: true, state: 8 });
    expect(world.turns.map((t) => t.result.instance.customStatus)).toEqual(['{"entityExists":true}', '{"entityExists":true}']);
  });

  it('tells an operation whether the entity was newly constructed', async () => {
    const world = new EntityWorld();
    const before = world.call('orch-1', counter('c3'), 'isNew');
    world.signal(counter('c3'), 'add', 1);
    const after = world.call('orch-1', counter('c3'), 'isNew');
    await world.runUntilIdle();
    expect(world.turns).toHaveLength(1);
    expect(world.responseTo('orch-1', before)).toEqual({ result: 'true' });
    expect(world.responseTo('orch-1', after)).toEqual({ result: 'false' });
  });

  it('removes an entity that calls destructOnExit', async () => {
    const world = new EntityWorld();
    world.signal(counter('c4'), 'add', 2);
    await world.runUntilIdle();
    world.signal(counter('c4'), 'delete');
    await world.runUntilIdle();
    expect(world.readEntityState(counter('c4'))).toEqual({ exists: false });
    expect(world.stored.has('@counter@c4')).toBe(false);
    expect(world.turns.at(-1)?.result.deleted).toBe(true);
    const fresh = world.call('orch-1', counter('c4'), 'isNew');
    await world.runUntilIdle();
    expect(world.responseTo('orch-1', fresh)).toEqual({ result: 'true' });
  });

  it('answers a throwing operation with exceptionType and keeps the state it set before throwing', async () => {
    const world = new EntityWorld();
    world.signal(counter('c5'), 'add', 5);
    const failing = world.call('orch-1', counter('c5'), 'addThenFail');
    const read = world.call('orch-1', counter('c5'), 'get');
    await world.runUntilIdle();
    // durable-functions serialises the Error with JSON.stringify: "{}" (I.11).
    expect(world.responseTo('orch-1', failing)).toEqual({ result: '{}', exceptionType: 'Error' });
    expect(world.responseTo('orch-1', read)).toEqual({ result: '105' });
    expect(world.turns[0]?.result.failedOperations).toBe(1);
  });

  it('answers every caller with an error when the entity function cannot run', async () => {
    const world = new EntityWorld();
    const id = world.call('orch-1', { name: 'missing', key: 'k' }, 'get');
    await world.runUntilIdle();
    expect(world.responseTo('orch-1', id)).toMatchObject({ exceptionType: 'Error' });
    expect(JSON.parse(world.responseTo('orch-1', id)?.result ?? '""')).toMatch(/missing/);
  });

  it('delivers signals between entities to the lower-cased id, with falsy inputs arriving as undefined', async () => {
    const world = new EntityWorld();
    world.signal({ name: 'forwarder', key: 'f1' }, 'fan', [5, 0, false, 'x', null, { a: 1 }]);
    await world.runUntilIdle();
    expect(world.readEntityState({ name: 'recorder', key: 'r1' })).toEqual({
      exists: true,
      state: [5, '<undefined>', '<undefined>', 'x', '<undefined>', { a: 1 }],
    });
    expect([...world.stored.keys()].sort()).toEqual(['@recorder@r1']);
  });

  it('drops a signal between entities that is delivered twice', async () => {
    const world = new EntityWorld();
    world.signal({ name: 'forwarder', key: 'f2' }, 'fan', [1]);
    await world.runTurn('@forwarder@f2');
    const sent = world.inboxes.get('@recorder@r1')?.[0];
    expect(sent).toBeDefined();
    await world.runUntilIdle();
    if (sent) world.deliver(sent);
    await world.runUntilIdle();
    expect(world.readEntityState({ name: 'recorder', key: 'r1' })).toEqual({ exists: true, state: [1] });
    expect(world.turns.at(-1)?.result.work).toEqual([]);
  });

  it('applies 300 signals of one orchestration episode once each though all are delivered again after they ran', async () => {
    const world = new EntityWorld({ maxBatchSize: 100 });
    const ctx: SchedulingContext = { instanceId: 'orch-many', executionId: 'exec-1', name: 'SignalMany', version: '', timestamp: world.now.toISOString(), lastRequestTo: new Map() };
    const sent = Array.from({ length: 300 }, (_, i) => scheduleOp({ seq: i, spec: { kind: 'signal', target: '@counter@again', operation: 'add', input: 1 } }, ctx).work);
    const deliverAll = (): void => {
      for (const work of sent) if (work.kind === 'message') world.deliver(work.message);
    };
    deliverAll();
    await world.runUntilIdle();
    expect(world.readEntityState(counter('again'))).toEqual({ exists: true, state: 300 });
    deliverAll(); // the sender's post-commit redone after a crash
    await world.runUntilIdle();
    expect(world.readEntityState(counter('again'))).toEqual({ exists: true, state: 300 });
  });

  it('applies 300 signals of one entity turn once each, in order, though the turn is delivered again', async () => {
    const world = new EntityWorld();
    const values = Array.from({ length: 300 }, (_, i) => i + 1);
    world.signal({ name: 'forwarder', key: 'f3' }, 'fan', values);
    await world.runTurn('@forwarder@f3');
    const sent = [...(world.inboxes.get('@recorder@r1') ?? [])];
    expect(sent).toHaveLength(300);
    await world.runUntilIdle();
    for (const message of sent.reverse()) world.deliver(message);
    await world.runUntilIdle();
    expect(world.readEntityState({ name: 'recorder', key: 'r1' })).toEqual({ exists: true, state: values });
  });

  it('holds a scheduled signal until the clock reaches its due time', async () => {
    const world = new EntityWorld();
    world.signal(counter('later'), 'add', 4, new Date('2026-01-01T01:00:00.000Z'));
    await world.runUntilIdle();
    expect(world.readEntityState(counter('later'))).toEqual({ exists: false });
    expect(world.turns.at(-1)?.result.nextDueAt).toBe('2026-01-01T01:00:00.000Z');
    world.now = new Date('2026-01-01T01:00:00.000Z');
    await world.runUntilIdle();
    expect(world.readEntityState(counter('later'))).toEqual({ exists: true, state: 4 });
  });

  it('applies 1,000 signals in bounded batches exactly once each', async () => {
    const world = new EntityWorld({ maxBatchSize: 100 });
    for (let i = 0; i < 1000; i++) world.signal(counter('many'), 'add', 1);
    await world.runUntilIdle();
    expect(world.readEntityState(counter('many'))).toEqual({ exists: true, state: 1000 });
    expect(world.turns.map((t) => t.batchSize)).toEqual(Array<number>(10).fill(100));
  });

  it('runs a locked entity for the holder only, then lets the others in after the release', async () => {
    const world = new EntityWorld();
    const a = counter('L1');
    const b = counter('L2');
    const lockId = world.lock('orch-holder', [b, a]);
    await world.runUntilIdle();
    expect(world.responseTo('orch-holder', lockId)).toEqual({ result: 'Lock Acquisition Completed' });
    world.signal(a, 'add', 1);
    const inside = world.call('orch-holder', a, 'get');
    await world.runUntilIdle();
    expect(world.responseTo('orch-holder', inside)).toEqual({ result: '0' });
    // `return` alone makes the entity exist (durable-functions sets entityExists on return).
    expect(world.turns.at(-1)?.result.instance.customStatus).toBe('{"entityExists":true,"queueSize":1,"lockedBy":"orch-holder"}');
    world.release('orch-holder', lockId, [a, b]);
    const outside = world.call('orch-other', a, 'get');
    await world.runUntilIdle();
    expect(world.responseTo('orch-other', outside)).toEqual({ result: '1' });
  });
});
