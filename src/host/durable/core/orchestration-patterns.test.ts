import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { OrchestrationKit } from './testing/orchestration-kit.js';

const greet = (input: unknown) => `Hello ${typeof input === 'string' ? input : JSON.stringify(input)}`;

describe('orchestration core with real durable-functions orchestrators', () => {
  it('runs a chain of activities, each seeing its input decoded once', async () => {
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Chain', function* (context) {
        const a: string = yield context.df.callActivity('Hello', 'Tokyo');
        const b: string = yield context.df.callActivity('Hello', { city: 'Seattle' });
        const c: string = yield context.df.callActivity('Hello', 42);
        const d: unknown = yield context.df.callActivity('Echo');
        return [a, b, c, d ?? 'nothing'];
      });
      df.app.activity('Hello', { handler: greet });
      df.app.activity('Echo', { handler: (input: unknown) => input });
    });
    const id = await kit.start('Chain');
    expect(kit.instance(id).runtimeStatus).toBe('Completed');
    expect(kit.output(id)).toEqual(['Hello Tokyo', 'Hello {"city":"Seattle"}', 'Hello 42', 'nothing']);
    const scheduled = kit.instance(id).history.flatMap((e) => (e.type === 'TaskScheduled' ? [[e.eventId, e.input]] : []));
    expect(scheduled).toEqual([
      [0, '["\\"Tokyo\\""]'],
      [1, '[{"city":"Seattle"}]'],
      [2, '[42]'],
      [3, '[null]'],
    ]);
  });

  it('fans out to 100 activities and fans in their results in order', async () => {
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('FanOut', function* (context) {
        const tasks = Array.from({ length: 100 }, (_, i) => context.df.callActivity('Square', i));
        const results: number[] = yield context.df.Task.all(tasks);
        return results.reduce((sum, x) => sum + x, 0);
      });
      df.app.activity('Square', { handler: (n: unknown) => (n as number) * (n as number) });
    });
    const id = await kit.start('FanOut');
    expect(kit.instance(id).runtimeStatus).toBe('Completed');
    expect(kit.output(id)).toBe(Array.from({ length: 100 }, (_, i) => i * i).reduce((a, b) => a + b, 0));
    const ids = kit.instance(id).history.flatMap((e) => (e.type === 'TaskScheduled' ? [e.eventId] : []));
    expect(ids).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('runs sub-orchestrations with an explicit id and with the default <executionId>:<k> id', async () => {
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Parent', function* (context) {
        const explicit: string = yield context.df.callSubOrchestrator('Child', 'one', 'child-explicit');
        const implicit: string = yield context.df.callSubOrchestrator('Child', 'two');
        return [explicit, implicit, context.df.parentInstanceId ?? null];
      });
      df.app.orchestration('Child', function* (context) {
        const greeting: string = yield context.df.callActivity('Hello', context.df.getInput());
        return `${greeting} from ${context.df.parentInstanceId ?? '?'}`;
      });
      df.app.activity('Hello', { handler: greet });
    });
    const id = await kit.start('Parent', { instanceId: 'parent-1' });
    const parent = kit.instance(id);
    expect(parent.runtimeStatus).toBe('Completed');
    expect(kit.output(id)).toEqual(['Hello one from parent-1', 'Hello two from parent-1', null]);
    const created = parent.history.flatMap((e) => (e.type === 'SubOrchestrationInstanceCreated' ? [e.instanceId] : []));
    expect(created).toEqual(['child-explicit', `${parent.executionId}:1`]);
    expect(kit.instance(`${parent.executionId}:1`).runtimeStatus).toBe('Completed');
  });

  it('reports a failed sub-orchestration to the parent with the extension text', async () => {
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Parent', function* (context) {
        try {
          yield context.df.callSubOrchestrator('Broken', null, 'broken-child');
          return 'no error';
        } catch (err) {
          return (err as Error).message;
        }
      });
      df.app.orchestration('Broken', function* () {
        yield* [];
        throw new Error('child exploded');
      });
    });
    const id = await kit.start('Parent');
    expect(kit.instance('broken-child').runtimeStatus).toBe('Failed');
    expect(kit.output(id)).toMatch(/^Orchestrator function 'Broken' failed: child exploded \n Message: child exploded/);
  });

  it('records custom status objects, the last one set winning', async () => {
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Status', function* (context) {
        context.df.setCustomStatus({ step: 1 });
        yield context.df.callActivity('Hello', 'a');
        context.df.setCustomStatus({ step: 2, nested: { ok: true } });
        return 'done';
      });
      df.app.activity('Hello', { handler: greet });
    });
    const id = await kit.start('Status');
    expect(JSON.parse(kit.instance(id).customStatus ?? 'null')).toEqual({ step: 2, nested: { ok: true } });
  });

  it('gives the same newGuid values on every replay and advances currentUtcDateTime per episode', async () => {
    const seen: { guid: string; time: string; replaying: boolean }[][] = [];
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Clocked', function* (context: OrchestrationContext) {
        const episode: { guid: string; time: string; replaying: boolean }[] = [];
        seen.push(episode);
        episode.push({ guid: context.df.newGuid(context.df.instanceId), time: context.df.currentUtcDateTime.toISOString(), replaying: context.df.isReplaying });
        yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));
        episode.push({ guid: context.df.newGuid(context.df.instanceId), time: context.df.currentUtcDateTime.toISOString(), replaying: context.df.isReplaying });
        return 'ok';
      });
    }, { start: new Date('2024-05-01T10:00:00Z') });
    const id = await kit.start('Clocked');
    expect(kit.instance(id).runtimeStatus).toBe('Running');
    await kit.advance(60_000);
    expect(kit.instance(id).runtimeStatus).toBe('Completed');
    expect(seen).toHaveLength(2);
    const [first, second] = seen;
    expect(second?.[0]).toEqual({ ...first?.[0], replaying: true });
    expect(second?.[1]?.time).toBe('2024-05-01T10:01:00.000Z');
    expect(second?.[1]?.replaying).toBe(false);
    expect(second?.[1]?.guid).not.toBe(second?.[0]?.guid);
  });

  it('fails on an uncaught error with the extension text and keeps the error message', async () => {
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Throws', function* (context) {
        yield context.df.callActivity('Hello', 'x');
        throw new Error('orchestrator broke');
      });
      df.app.activity('Hello', { handler: greet });
    });
    const id = await kit.start('Throws');
    const instance = kit.instance(id);
    expect(instance.runtimeStatus).toBe('Failed');
    expect(instance.output).toBe("Orchestrator function 'Throws' failed: orchestrator broke");
    expect(instance.history.at(-2)).toMatchObject({ type: 'ExecutionCompleted', orchestrationStatus: 'Failed' });
  });

  it('surfaces an uncaught activity failure in the orchestrator failure text', async () => {
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Uncaught', function* (context) {
        yield context.df.callActivity('Boom');
      });
      df.app.activity('Boom', { handler: () => { throw new Error('boom'); } });
    });
    const id = await kit.start('Uncaught');
    expect(kit.instance(id).output).toMatch(/^Orchestrator function 'Uncaught' failed: Activity function 'Boom' failed: {2}boom \n /);
  });

  it('fails fast when an orchestrator calls an activity the app does not register', async () => {
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('CallsNothing', function* (context) {
        yield context.df.callActivity('NoSuchActivity', 1);
      });
    });
    const id = await kit.start('CallsNothing');
    const instance = kit.instance(id);
    expect(instance.runtimeStatus).toBe('Failed');
    expect(instance.output).toBe("Orchestrator function 'CallsNothing' failed: The function 'NoSuchActivity' doesn't exist, is disabled, or is not an activity function.");
    expect(instance.history.some((e) => e.type === 'TaskScheduled')).toBe(false);
  });

  it('exposes ExecutionStarted.Version as context.df.version, defaulting to host.json defaultVersion', async () => {
    const register = () => {
      df.app.orchestration('Versioned', function* (context) {
        yield* [];
        return context.df.version;
      });
    };
    const kit = await OrchestrationKit.create(register, { defaultVersion: '2.0' });
    expect(kit.output(await kit.start('Versioned'))).toBe('2.0');
    expect(kit.output(await kit.start('Versioned', { version: '3.1' }))).toBe('3.1');
  });

  it('handles results in completion order with Task.any over the remaining tasks without scheduling them again', async () => {
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('CompletionOrder', function* (context) {
        const remaining = ['a', 'b', 'c'].map((x) => context.df.callActivity('Hello', x));
        const order: string[] = [];
        while (remaining.length > 0) {
          const done = (yield context.df.Task.any(remaining)) as (typeof remaining)[number];
          order.push(done.result as string);
          remaining.splice(remaining.indexOf(done), 1);
        }
        const last: string = yield context.df.callActivity('Hello', 'last');
        return [...order, last];
      });
      df.app.activity('Hello', { handler: greet });
    });
    const id = await kit.start('CompletionOrder');
    expect(kit.instance(id).runtimeStatus).toBe('Completed');
    expect(kit.output(id)).toEqual(['Hello a', 'Hello b', 'Hello c', 'Hello last']);
    const ids = kit.instance(id).history.flatMap((e) => (e.type === 'TaskScheduled' ? [e.eventId] : []));
    expect(ids).toEqual([0, 1, 2, 3]);
  });
});
