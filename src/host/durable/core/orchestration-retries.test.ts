import * as df from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { taskTrace } from './testing/history-trace.js';
import { OrchestrationKit } from './testing/orchestration-kit.js';

describe('orchestration retries with real durable-functions orchestrators', () => {
  it('retries a failing activity after the retry interval and completes when an attempt succeeds', async () => {
    let calls = 0;
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Retrying', function* (context) {
        const options = new df.RetryOptions(1000, 3);
        options.backoffCoefficient = 2;
        return yield context.df.callActivityWithRetry('Flaky', options, 'x');
      });
      df.app.activity('Flaky', {
        handler: () => {
          calls++;
          if (calls < 3) throw new Error(`attempt ${calls} failed`);
          return `ok after ${calls}`;
        },
      });
    });
    const id = await kit.start('Retrying');
    expect(kit.pendingTimers().map((t) => t.fireAt)).toEqual(['2024-01-01T00:00:01.000Z']);
    await kit.advance(1000);
    expect(kit.pendingTimers().map((t) => t.fireAt)).toEqual(['2024-01-01T00:00:03.000Z']);
    await kit.advance(2000);
    expect(kit.instance(id).runtimeStatus).toBe('Completed');
    expect(kit.output(id)).toBe('ok after 3');
    expect(taskTrace(kit.instance(id).history)).toEqual([
      'TaskScheduled 0', 'TaskFailed 0', 'TimerCreated 1', 'TimerFired 1',
      'TaskScheduled 2', 'TaskFailed 2', 'TimerCreated 3', 'TimerFired 3',
      'TaskScheduled 4', 'TaskCompleted 4',
    ]);
  });

  it('surfaces the last failure after the immediate timer that follows the last attempt', async () => {
    let calls = 0;
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Exhausts', function* (context) {
        try {
          yield context.df.callActivityWithRetry('AlwaysFails', new df.RetryOptions(1000, 2), null);
          return 'unreachable';
        } catch (err) {
          return (err as Error).message;
        }
      });
      df.app.activity('AlwaysFails', { handler: () => { calls++; throw new Error(`failure ${calls}`); } });
    });
    const id = await kit.start('Exhausts');
    await kit.advance(1000);
    expect(kit.instance(id).runtimeStatus).toBe('Completed');
    expect(kit.output(id)).toMatch(/^Activity function 'AlwaysFails' failed: {2}failure 2 \n /);
    expect(taskTrace(kit.instance(id).history)).toEqual([
      'TaskScheduled 0', 'TaskFailed 0', 'TimerCreated 1', 'TimerFired 1',
      'TaskScheduled 2', 'TaskFailed 2', 'TimerCreated 3', 'TimerFired 3',
    ]);
    const timers = kit.instance(id).history.flatMap((e) => (e.type === 'TimerCreated' ? [e.fireAt] : []));
    expect(timers).toEqual(['2024-01-01T00:00:01.000Z', '2024-01-01T00:00:01.000Z']);
  });

  it('retries a sub-orchestration with a new default child id per attempt', async () => {
    let calls = 0;
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Parent', function* (context) {
        return yield context.df.callSubOrchestratorWithRetry('FlakyChild', new df.RetryOptions(500, 3), 'in');
      });
      df.app.orchestration('FlakyChild', function* (context) {
        const n: number = yield context.df.callActivity('Count');
        if (n < 2) throw new Error(`child attempt ${n}`);
        return `child ok ${context.df.getInput() as string}`;
      });
      df.app.activity('Count', { handler: () => ++calls });
    });
    const id = await kit.start('Parent');
    await kit.advance(500);
    const parent = kit.instance(id);
    expect(parent.runtimeStatus).toBe('Completed');
    expect(kit.output(id)).toBe('child ok in');
    const children = parent.history.flatMap((e) => (e.type === 'SubOrchestrationInstanceCreated' ? [e.instanceId] : []));
    expect(children).toEqual([`${parent.executionId}:0`, `${parent.executionId}:2`]);
    expect(taskTrace(parent.history)).toEqual([
      'SubOrchestrationInstanceCreated 0', 'SubOrchestrationInstanceFailed 0', 'TimerCreated 1', 'TimerFired 1',
      'SubOrchestrationInstanceCreated 2', 'SubOrchestrationInstanceCompleted 2',
    ]);
  });

  it('numbers the next yield before a retry timer when both are triggered in one episode (Task.any pitfall)', async () => {
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Pitfall', function* (context) {
        const a = context.df.callActivity('Fast', 'a');
        const b = context.df.callActivityWithRetry('FailsOnce', new df.RetryOptions(1000, 2), 'b');
        const first: unknown = yield context.df.Task.any([a, b]);
        const c: string = yield context.df.callActivity('Fast', 'c');
        const bResult: string = yield b;
        return [first === a ? 'a first' : 'b first', c, bResult];
      });
      let bCalls = 0;
      df.app.activity('Fast', { handler: (x: unknown) => `fast ${x as string}` });
      df.app.activity('FailsOnce', { handler: (x: unknown) => { if (bCalls++ === 0) throw new Error('once'); return `slow ${x as string}`; } });
    });
    const id = await kit.start('Pitfall');
    await kit.advance(1000);
    expect(kit.instance(id).runtimeStatus).toBe('Completed');
    expect(kit.output(id)).toEqual(['a first', 'fast c', 'slow b']);
    expect(taskTrace(kit.instance(id).history)).toEqual([
      'TaskScheduled 0', 'TaskScheduled 1', 'TaskCompleted 0', 'TaskFailed 1', 'TaskScheduled 2', 'TimerCreated 3',
      'TaskCompleted 2', 'TimerFired 3', 'TaskScheduled 4', 'TaskCompleted 4',
    ]);
  });
});
