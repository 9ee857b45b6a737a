import * as df from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { OrchestrationKit } from './testing/orchestration-kit.js';

describe('timers, external events and continue-as-new with real durable-functions orchestrators', () => {
  it('completes a durable timer only when the clock reaches it', async () => {
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Sleeper', function* (context) {
        const wakeAt = new Date(context.df.currentUtcDateTime.getTime() + 5 * 60_000);
        yield context.df.createTimer(wakeAt);
        return context.df.currentUtcDateTime.toISOString();
      });
    });
    const id = await kit.start('Sleeper');
    await kit.advance(4 * 60_000);
    expect(kit.instance(id).runtimeStatus).toBe('Running');
    await kit.advance(60_000);
    expect(kit.instance(id).runtimeStatus).toBe('Completed');
    expect(kit.output(id)).toBe('2024-01-01T00:05:00.000Z');
  });

  it('lets an event win a race against a timer and completes at once when the timer is canceled', async () => {
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Race', function* (context) {
        const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 3_600_000));
        const approval = context.df.waitForExternalEvent('Approval');
        const winner: unknown = yield context.df.Task.any([approval, timer]);
        if (winner === approval) {
          timer.cancel();
          return `approved: ${JSON.stringify(approval.result)}`;
        }
        return 'timed out';
      });
    });
    const id = await kit.start('Race');
    await kit.raiseEvent(id, 'Approval', { by: 'ana' });
    expect(kit.instance(id).runtimeStatus).toBe('Completed');
    expect(kit.output(id)).toBe('approved: {"by":"ana"}');
  });

  it('keeps the instance running until an un-canceled losing timer fires (the open-task gate)', async () => {
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('RaceNoCancel', function* (context) {
        const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));
        const approval = context.df.waitForExternalEvent('Approval');
        const winner: unknown = yield context.df.Task.any([approval, timer]);
        return winner === approval ? 'approved' : 'timed out';
      });
    });
    const id = await kit.start('RaceNoCancel');
    await kit.raiseEvent(id, 'Approval');
    expect(kit.instance(id).runtimeStatus).toBe('Running');
    await kit.advance(60_000);
    expect(kit.instance(id).runtimeStatus).toBe('Completed');
    expect(kit.output(id)).toBe('approved');
  });

  it('lets the timer win the race when no event arrives', async () => {
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('RaceTimeout', function* (context) {
        const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));
        const winner: unknown = yield context.df.Task.any([context.df.waitForExternalEvent('Approval'), timer]);
        return winner === timer ? 'timed out' : 'approved';
      });
    });
    const id = await kit.start('RaceTimeout');
    await kit.advance(60_000);
    expect(kit.output(id)).toBe('timed out');
  });

  it('delivers events raised before the wait, and several events of one name in order', async () => {
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Collector', function* (context) {
        yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 1000));
        const first: unknown = yield context.df.waitForExternalEvent('Item');
        const second: unknown = yield context.df.waitForExternalEvent('Item');
        const third: unknown = yield context.df.waitForExternalEvent('Item');
        return [first, second, third];
      });
    });
    const id = await kit.start('Collector');
    await kit.raiseEvent(id, 'Item', 1);
    await kit.raiseEvent(id, 'Item', 2);
    expect(kit.instance(id).runtimeStatus).toBe('Running');
    await kit.advance(1000);
    expect(kit.instance(id).runtimeStatus).toBe('Running');
    await kit.raiseEvent(id, 'Item', 3);
    expect(kit.output(id)).toEqual([1, 2, 3]);
  });

  it('runs an eternal loop through ten generations of continue-as-new', async () => {
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Eternal', function* (context) {
        const n = context.df.getInput() as number;
        const doubled: number = yield context.df.callActivity('Double', n);
        if (n >= 10) return doubled;
        yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 1000));
        context.df.continueAsNew(n + 1);
        return undefined;
      });
      df.app.activity('Double', { handler: (n: unknown) => (n as number) * 2 });
    });
    const id = await kit.start('Eternal', { input: 1 });
    for (let i = 0; i < 9; i++) await kit.advance(1000);
    const instance = kit.instance(id);
    expect(instance.runtimeStatus).toBe('Completed');
    expect(kit.output(id)).toBe(20);
    expect(instance.executions).toHaveLength(9);
    expect(instance.executions.every((h) => h.some((e) => e.type === 'ContinueAsNew'))).toBe(true);
    const generations = instance.history.flatMap((e) => (e.type === 'ExecutionStarted' ? [e.generation, e.input] : []));
    expect(generations).toEqual([9, '10']);
    // Numbering restarts at 0 in every generation.
    expect(instance.history.find((e) => e.type === 'TaskScheduled')?.eventId).toBe(0);
  });

  it('continues as new with a string input decoded once', async () => {
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('StringLoop', function* (context) {
        yield* [];
        const input = context.df.getInput() as string;
        if (input.length >= 3) return input;
        context.df.continueAsNew(`${input}a`);
        return undefined;
      });
    });
    const id = await kit.start('StringLoop', { input: 'a' });
    expect(kit.output(id)).toBe('aaa');
  });

  it('suspends without running the orchestrator and delivers held events after resume', async () => {
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Waiter', function* (context) {
        return yield context.df.waitForExternalEvent('Go');
      });
    });
    const id = await kit.start('Waiter');
    await kit.control(id, 'ExecutionSuspended', 'pause');
    expect(kit.instance(id).runtimeStatus).toBe('Suspended');
    await kit.raiseEvent(id, 'Go', 'went');
    expect(kit.instance(id).runtimeStatus).toBe('Suspended');
    expect(kit.instance(id).pending).toHaveLength(1);
    await kit.control(id, 'ExecutionResumed', 'continue');
    expect(kit.instance(id).runtimeStatus).toBe('Completed');
    expect(kit.output(id)).toBe('went');
  });

  it('terminates without running the orchestrator and tells the parent the child failed', async () => {
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Parent', function* (context) {
        try {
          yield context.df.callSubOrchestrator('Forever', null, 'forever-child');
          return 'child completed';
        } catch (err) {
          return `child failed: ${(err as Error).message}`;
        }
      });
      df.app.orchestration('Forever', function* (context) {
        return yield context.df.waitForExternalEvent('Never');
      });
    });
    const id = await kit.start('Parent');
    await kit.control('forever-child', 'ExecutionTerminated', 'enough');
    const child = kit.instance('forever-child');
    expect(child.runtimeStatus).toBe('Terminated');
    expect(child.output).toBe('enough');
    expect(child.history.slice(-3).map((e) => e.type)).toEqual(['ExecutionTerminated', 'ExecutionCompleted', 'OrchestratorCompleted']);
    expect(kit.output(id)).toBe('child failed: enough \n ');
  });
});
