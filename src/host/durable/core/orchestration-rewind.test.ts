import * as df from 'durable-functions';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from './history-event.js';
import { acceptMessages, DropReason } from './orchestration-messages.js';
import { taskTrace } from './testing/history-trace.js';
import { OrchestrationKit } from './testing/orchestration-kit.js';
import type { InstanceMessage } from './work.js';

/** The task trace plus the control events rewind deals with. */
const trace = (history: readonly HistoryEvent[]): string[] => taskTrace(history, { control: true });

function executionIdOf(history: readonly HistoryEvent[]): string | undefined {
  const started = history.find((e) => e.type === 'ExecutionStarted');
  return started?.type === 'ExecutionStarted' ? started.executionId : undefined;
}

describe('orchestration rewind with real durable-functions orchestrators', () => {
  it('reschedules the failed activity under its sequence number in a new execution and completes', async () => {
    let healthy = false;
    const calls: string[] = [];
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Pipeline', function* (context) {
        const a: string = yield context.df.callActivity('Step', 'a');
        const b: string = yield context.df.callActivity('Fragile', 'b');
        return [a, b, context.df.version];
      });
      df.app.activity('Step', { handler: (input: string) => (calls.push(`Step ${input}`), `step ${input}`) });
      df.app.activity('Fragile', {
        handler: (input: string) => {
          calls.push(`Fragile ${input}`);
          if (!healthy) throw new Error('dependency down');
          return `fragile ${input}`;
        },
      });
    });
    const id = await kit.start('Pipeline', { version: '1.0' });
    expect(kit.instance(id).runtimeStatus).toBe('Failed');
    const failedExecution = kit.instance(id).executionId;

    healthy = true;
    await kit.rewind(id, 'dependency repaired');

    const instance = kit.instance(id);
    expect(instance.runtimeStatus).toBe('Completed');
    expect(kit.output(id)).toEqual(['step a', 'fragile b', '1.0']);
    expect(calls).toEqual(['Step a', 'Fragile b', 'Fragile b']);
    expect(instance.executionId).not.toBe(failedExecution);
    expect(executionIdOf(instance.history)).toBe(instance.executionId);
    expect(trace(instance.history)).toEqual([
      'TaskScheduled 0', 'TaskCompleted 0', 'ExecutionRewound', 'TaskScheduled 1', 'TaskCompleted 1', 'ExecutionCompleted Completed',
    ]);
    const rewound = instance.history.find((e) => e.type === 'ExecutionRewound');
    expect(rewound).toMatchObject({ reason: 'dependency repaired' });
  });

  it('rewinds a failed sub-orchestration too, and the child reports to the parent\'s new execution', async () => {
    let healthy = false;
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Parent', function* (context) {
        const child: string = yield context.df.callSubOrchestrator('Child', 'x', 'child-1');
        return `parent got ${child}`;
      });
      df.app.orchestration('Child', function* (context) {
        return yield context.df.callActivity('Fragile', context.df.getInput());
      });
      df.app.activity('Fragile', {
        handler: (input: string) => {
          if (!healthy) throw new Error('still broken');
          return `fixed ${input}`;
        },
      });
    });
    const id = await kit.start('Parent', { instanceId: 'parent-1' });
    expect(kit.instance(id).runtimeStatus).toBe('Failed');
    expect(kit.instance('child-1').runtimeStatus).toBe('Failed');

    healthy = true;
    await kit.rewind(id);

    expect(kit.instance('child-1').runtimeStatus).toBe('Completed');
    expect(kit.instance(id).runtimeStatus).toBe('Completed');
    expect(kit.output(id)).toBe('parent got fixed x');
    // The parent kept the child's creation (no second child start) and waited for the rewound child.
    expect(trace(kit.instance(id).history)).toEqual(['SubOrchestrationInstanceCreated 0', 'ExecutionRewound', 'SubOrchestrationInstanceCompleted 0', 'ExecutionCompleted Completed']);
    const childStart = kit.instance('child-1').history.find((e) => e.type === 'ExecutionStarted');
    expect(childStart?.type === 'ExecutionStarted' && childStart.parent?.executionId).toBe(kit.instance(id).executionId);
    // The child ran again from its own rewound history, not as a new start.
    expect(kit.instance('child-1').executions.map((h) => trace(h).at(-1))).toEqual(['ExecutionCompleted Failed']);
    expect(trace(kit.instance('child-1').history)).toEqual(['ExecutionRewound', 'TaskScheduled 0', 'TaskCompleted 0', 'ExecutionCompleted Completed']);
  });

  it('drops the work a catch block scheduled, so a later call never reads its result', async () => {
    let healthy = false;
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Careful', function* (context) {
        try {
          yield context.df.callActivity('Fragile', 'x');
        } catch (err) {
          yield context.df.callActivity('Cleanup', 'x');
          throw err;
        }
        return yield context.df.callActivity('Next', 'x');
      });
      df.app.activity('Fragile', {
        handler: () => {
          if (!healthy) throw new Error('down');
          return 'ok';
        },
      });
      df.app.activity('Cleanup', { handler: () => 'cleaned' });
      df.app.activity('Next', { handler: () => 'next result' });
    });
    const id = await kit.start('Careful');
    expect(trace(kit.instance(id).history)).toEqual(['TaskScheduled 0', 'TaskFailed 0', 'TaskScheduled 1', 'TaskCompleted 1', 'ExecutionCompleted Failed']);

    healthy = true;
    await kit.rewind(id);

    expect(kit.instance(id).runtimeStatus).toBe('Completed');
    expect(kit.output(id)).toBe('next result');
    const names = kit.instance(id).history.flatMap((e) => (e.type === 'TaskScheduled' ? [`${e.eventId} ${e.name}`] : []));
    expect(names).toEqual(['0 Fragile', '1 Next']);
  });

  it('starts a retried activity over from its first attempt without the old retry timers', async () => {
    let healthy = false;
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Retrying', function* (context) {
        return yield context.df.callActivityWithRetry('Fragile', new df.RetryOptions(1000, 2), 'x');
      });
      df.app.activity('Fragile', {
        handler: () => {
          if (!healthy) throw new Error('down');
          return 'finally';
        },
      });
    });
    const id = await kit.start('Retrying');
    await kit.advance(1000);
    await kit.advance(0);
    expect(kit.instance(id).runtimeStatus).toBe('Failed');

    healthy = true;
    await kit.rewind(id);

    expect(kit.instance(id).runtimeStatus).toBe('Completed');
    expect(kit.output(id)).toBe('finally');
    expect(trace(kit.instance(id).history)).toEqual(['ExecutionRewound', 'TaskScheduled 0', 'TaskCompleted 0', 'ExecutionCompleted Completed']);
  });
});

describe('acceptMessages with ExecutionRewound', () => {
  const base = { eventId: -1, isPlayed: false, timestamp: '2024-01-01T00:00:00.000Z' };
  const history = (status: 'Failed' | 'Completed' | undefined): HistoryEvent[] => [
    { ...base, type: 'OrchestratorStarted' },
    { ...base, type: 'ExecutionStarted', name: 'O', version: '', instanceId: 'i', executionId: 'e1' },
    { ...base, eventId: 0, type: 'TaskScheduled', name: 'A', version: '' },
    { ...base, type: 'OrchestratorCompleted' },
    { ...base, type: 'OrchestratorStarted' },
    { ...base, type: 'TaskFailed', taskScheduledId: 0, reason: 'r', details: 'd' },
    ...(status ? [{ ...base, type: 'ExecutionCompleted', orchestrationStatus: status } as HistoryEvent, { ...base, type: 'OrchestratorCompleted' } as HistoryEvent] : []),
  ];
  const message = (event: HistoryEvent, targetExecutionId?: string): InstanceMessage => ({ messageId: `m-${event.type}-${targetExecutionId ?? ''}`, targetInstanceId: 'i', event, ...(targetExecutionId ? { targetExecutionId } : {}) });
  const rewind = message({ ...base, type: 'ExecutionRewound', reason: 'again' });

  it('accepts a rewind of a failed execution and marks the batch as a rewind', () => {
    const result = acceptMessages({ history: history('Failed') }, [rewind]);
    expect(result.accepted).toEqual([rewind]);
    expect(result.rewind).toBe(true);
  });

  it('drops a rewind of a completed or a running execution', () => {
    expect(acceptMessages({ history: history('Completed') }, [rewind]).dropped).toEqual([{ message: rewind, reason: DropReason.ExecutionEnded }]);
    expect(acceptMessages({ history: history(undefined) }, [rewind]).dropped).toEqual([{ message: rewind, reason: DropReason.NoEffect }]);
  });

  it('drops messages for the failed execution that arrive after the rewind, and takes events', () => {
    const stale = message({ ...base, type: 'TaskCompleted', taskScheduledId: 0, result: '"late"' }, 'e1');
    const event = message({ ...base, type: 'EventRaised', name: 'Go', input: '1' });
    const result = acceptMessages({ history: history('Failed') }, [rewind, stale, event]);
    expect(result.accepted).toEqual([rewind, event]);
    expect(result.dropped).toEqual([{ message: stale, reason: DropReason.OtherExecution }]);
  });
});
