import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from './history-event.js';
import { acceptMessages } from './orchestration-messages.js';
import type { InstanceMessage } from './work.js';

const T = '2024-01-01T00:00:00.000Z';
const ev = { eventId: -1, isPlayed: false, timestamp: T };
const start = (executionId: string): HistoryEvent => ({ ...ev, type: 'ExecutionStarted', name: 'O', version: '', instanceId: 'i', executionId });
const msg = (event: HistoryEvent, targetExecutionId?: string): InstanceMessage => ({ messageId: `m-${Math.random()}`, targetInstanceId: 'i', event, ...(targetExecutionId ? { targetExecutionId } : {}) });
const history: HistoryEvent[] = [
  { ...ev, type: 'OrchestratorStarted' },
  start('e1'),
  { ...ev, type: 'TaskScheduled', eventId: 0, name: 'A', version: '' },
  { ...ev, type: 'TimerCreated', eventId: 1, fireAt: T },
  { ...ev, type: 'TaskScheduled', eventId: 2, name: 'B', version: '' },
  { ...ev, type: 'OrchestratorCompleted' },
  { ...ev, type: 'OrchestratorStarted' },
  { ...ev, type: 'TaskCompleted', taskScheduledId: 2, result: '1' },
];
const reasons = (r: ReturnType<typeof acceptMessages>) => r.dropped.map((d) => d.reason);

describe('acceptMessages', () => {
  it('applies an entity answer once, however often it is re-delivered, but every external event of a name', () => {
    const answer = (name: string): InstanceMessage => ({ ...msg({ ...ev, type: 'EventRaised', name, input: '{"result":"1"}' }), sender: '@counter@k' });
    const withAnswer: HistoryEvent[] = [...history, { ...ev, type: 'EventRaised', name: 'req-1', input: '{}' }];
    const result = acceptMessages({ history: withAnswer }, [answer('req-1'), answer('req-2'), answer('req-2'), msg({ ...ev, type: 'EventRaised', name: 'go' }), msg({ ...ev, type: 'EventRaised', name: 'go' })]);
    expect(result.accepted.map((m) => (m.event.type === 'EventRaised' ? m.event.name : ''))).toEqual(['req-2', 'go', 'go']);
    expect(reasons(result)).toEqual(['duplicate', 'duplicate']);
  });

  it('accepts a completion of a scheduled task once, even when delivered twice in one batch', () => {
    const done = msg({ ...ev, type: 'TaskCompleted', taskScheduledId: 0, result: '1' });
    const result = acceptMessages({ history }, [done, { ...done, messageId: 'again' }]);
    expect(result.accepted).toEqual([done]);
    expect(reasons(result)).toEqual(['duplicate']);
  });

  it('drops completions for tasks already completed or never scheduled, and a second TimerFired', () => {
    const result = acceptMessages({ history }, [
      msg({ ...ev, type: 'TaskCompleted', taskScheduledId: 2, result: '1' }),
      msg({ ...ev, type: 'TaskFailed', taskScheduledId: 9 }),
      msg({ ...ev, type: 'TaskCompleted', taskScheduledId: 1 }),
      msg({ ...ev, type: 'TimerFired', timerId: 1, fireAt: T }),
      msg({ ...ev, type: 'TimerFired', timerId: 1, fireAt: T }),
    ]);
    expect(result.accepted.map((m) => m.event.type)).toEqual(['TimerFired']);
    expect(reasons(result)).toEqual(['duplicate', 'never-scheduled', 'never-scheduled', 'duplicate']);
  });

  it('drops messages addressed to another execution and a second start of a running execution', () => {
    const result = acceptMessages({ history }, [
      msg({ ...ev, type: 'EventRaised', name: 'x' }, 'e0'),
      msg(start('e1')),
      msg(start('e2')),
      msg({ ...ev, type: 'EventRaised', name: 'y' }, 'e1'),
    ]);
    expect(result.accepted.map((m) => m.event.type)).toEqual(['EventRaised']);
    expect(reasons(result)).toEqual(['other-execution', 'already-started', 'already-started']);
  });

  it('drops everything but a start before the instance started', () => {
    const result = acceptMessages({ history: [] }, [msg({ ...ev, type: 'EventRaised', name: 'x' }), msg(start('e1')), msg({ ...ev, type: 'EventRaised', name: 'y' })]);
    expect(result.accepted.map((m) => m.event.type)).toEqual(['ExecutionStarted', 'EventRaised']);
    expect(reasons(result)).toEqual(['not-started']);
  });

  it('holds non-control messages while the instance stays suspended', () => {
    const suspended = [...history, { ...ev, type: 'ExecutionSuspended' } as HistoryEvent];
    const raised = msg({ ...ev, type: 'EventRaised', name: 'x' });
    const held = acceptMessages({ history: suspended }, [raised]);
    expect(held).toMatchObject({ accepted: [], held: [raised] });
    const resumed = acceptMessages({ history: suspended }, [raised, msg({ ...ev, type: 'ExecutionResumed' })]);
    expect(resumed.accepted.map((m) => m.event.type)).toEqual(['EventRaised', 'ExecutionResumed']);
    expect(reasons(acceptMessages({ history: suspended }, [msg({ ...ev, type: 'ExecutionSuspended' })]))).toEqual(['no-effect']);
  });

  it('drops messages for an ended execution but accepts a new start that overwrites it', () => {
    const ended = [...history, { ...ev, type: 'ExecutionCompleted', orchestrationStatus: 'Completed', result: '1' } as HistoryEvent];
    const result = acceptMessages({ history: ended }, [msg({ ...ev, type: 'EventRaised', name: 'x' }), msg(start('e2'))]);
    expect(reasons(result)).toEqual(['execution-ended']);
    expect(result.accepted.map((m) => m.event.type)).toEqual(['ExecutionStarted']);
    expect(result.newExecution).toBe(true);
  });
});
