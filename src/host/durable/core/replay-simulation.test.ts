import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from './history-event.js';
import { decideEpisode } from './orchestration-turn.js';
import { simulateReplay } from './replay-simulation.js';
import type { OrchestratorAction } from '../wire/orchestrator-state.js';

const T = '2024-03-18T17:44:50.123Z';
const ev = { eventId: -1, isPlayed: false, timestamp: T };
const started: HistoryEvent = { ...ev, type: 'ExecutionStarted', name: 'HelloOrch', version: '', instanceId: 'abc', executionId: 'exec-1' };
const orchestratorStarted = (timestamp = T): HistoryEvent => ({ ...ev, type: 'OrchestratorStarted', timestamp });
const orchestratorCompleted: HistoryEvent = { ...ev, type: 'OrchestratorCompleted' };
const scheduled = (k: number, name = 'Hello'): HistoryEvent => ({ ...ev, type: 'TaskScheduled', eventId: k, name, version: '', input: '[null]' });
const completed = (k: number, result = '"ok"'): HistoryEvent => ({ ...ev, type: 'TaskCompleted', taskScheduledId: k, result });
const failed = (k: number): HistoryEvent => ({ ...ev, type: 'TaskFailed', taskScheduledId: k, reason: "Activity function 'Hello' failed:  boom", details: '{}' });
const timerCreated = (k: number, fireAt: string): HistoryEvent => ({ ...ev, type: 'TimerCreated', eventId: k, fireAt });
const timerFired = (k: number, fireAt: string): HistoryEvent => ({ ...ev, type: 'TimerFired', timerId: k, fireAt });

const activity = (name: string, input?: unknown): OrchestratorAction => ({ actionType: 0, functionName: name, ...(input !== undefined ? { input } : {}) });
const retry = (name: string): OrchestratorAction => ({ actionType: 1, functionName: name, retryOptions: { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 2 } });

const seqs = (ops: { seq: number; spec: { kind: string } }[]) => ops.map((o) => `${o.spec.kind} ${o.seq}`);

describe('simulateReplay', () => {
  it('replays the two-episode example of B.7 without scheduling the completed activity again', () => {
    const history: HistoryEvent[] = [
      { ...orchestratorStarted(), isPlayed: true },
      { ...started, isPlayed: true },
      { ...ev, type: 'TaskScheduled', eventId: 0, name: 'Hello', version: '', input: '["\\"Tokyo\\""]', isPlayed: true },
      { ...orchestratorCompleted, isPlayed: true },
      orchestratorStarted('2024-03-18T17:44:50.623Z'),
      completed(0, '"Hello Tokyo"'),
    ];
    const decision = decideEpisode({
      history,
      outcome: { kind: 'reply', state: { isDone: false, actions: [[activity('Hello', '"Tokyo"'), activity('Hello', '"Seattle"')]] } },
      now: new Date('2024-03-18T17:44:50.623Z'),
    });
    expect(decision.appended.map((e) => [e.type, e.eventId])).toEqual([['TaskScheduled', 1], ['OrchestratorCompleted', -1]]);
    expect(decision.work).toEqual([{ kind: 'activity', taskId: 1, name: 'Hello', input: '"Seattle"' }]);
    expect(decision.runtimeStatus).toBe('Running');
  });

  it('numbers the retry sequence of B.9: attempt, timer, attempt, immediate timer', () => {
    const h: HistoryEvent[] = [orchestratorStarted('2024-01-01T00:00:00.000Z'), started, scheduled(0), orchestratorCompleted, orchestratorStarted('2024-01-01T00:00:00.500Z'), failed(0)];
    const first = simulateReplay({ actions: [retry('Hello')], history: h, finished: false, httpAsyncSleepMs: 30000 });
    expect(seqs(first.ops)).toEqual(['activity 0', 'timer 1']);
    expect(first.ops[1]?.spec).toMatchObject({ fireAt: '2024-01-01T00:00:01.500Z' });

    const h2 = [...h, timerCreated(1, '2024-01-01T00:00:01.500Z'), orchestratorCompleted, orchestratorStarted('2024-01-01T00:00:01.500Z'), timerFired(1, '2024-01-01T00:00:01.500Z')];
    expect(seqs(simulateReplay({ actions: [retry('Hello')], history: h2, finished: false, httpAsyncSleepMs: 30000 }).ops)).toEqual(['activity 0', 'timer 1', 'activity 2']);

    const h3 = [...h2, scheduled(2), orchestratorCompleted, orchestratorStarted('2024-01-01T00:00:02.000Z'), failed(2)];
    const third = simulateReplay({ actions: [retry('Hello')], history: h3, finished: false, httpAsyncSleepMs: 30000 });
    expect(seqs(third.ops)).toEqual(['activity 0', 'timer 1', 'activity 2', 'timer 3']);
    expect(third.ops[3]?.spec).toMatchObject({ fireAt: '2024-01-01T00:00:02.000Z' });
  });

  it('gives the next yield its number before a retry timer triggered later in the same episode (the Task.any pitfall)', () => {
    // Task.any([A, retry(B)]) then C; the episode delivers [A done, B failed] => C = 2, retry timer = 3.
    const actions: OrchestratorAction[] = [{ actionType: 11, compoundActions: [activity('A'), retry('B')] }, activity('C')];
    const history: HistoryEvent[] = [orchestratorStarted(), started, scheduled(0, 'A'), scheduled(1, 'B'), orchestratorCompleted, orchestratorStarted(), completed(0), failed(1)];
    const result = simulateReplay({ actions, history, finished: false, httpAsyncSleepMs: 30000 });
    expect(seqs(result.ops)).toEqual(['activity 0', 'activity 1', 'activity 2', 'timer 3']);
    expect(result.ops[2]?.spec).toMatchObject({ name: 'C' });
  });

  it('completes a Task.all of two waits for one name from two raised events', () => {
    const actions: OrchestratorAction[] = [
      { actionType: 12, compoundActions: [{ actionType: 6, externalEventName: 'E' }, { actionType: 6, externalEventName: 'E' }] },
      activity('After'),
    ];
    const raised = (input: string): HistoryEvent => ({ ...ev, type: 'EventRaised', name: 'E', input });
    const history = [orchestratorStarted(), started, orchestratorCompleted, orchestratorStarted(), raised('1'), raised('2')];
    expect(seqs(simulateReplay({ actions, history, finished: false, httpAsyncSleepMs: 30000 }).ops)).toEqual(['activity 0']);
  });

  it('does not block completion on a canceled timer but does on an un-canceled one', () => {
    const history = [orchestratorStarted(), started, timerCreated(0, '2030-01-01T00:00:00.000Z'), orchestratorCompleted, orchestratorStarted(), { ...ev, type: 'EventRaised', name: 'Go' } as HistoryEvent];
    const race = (isCanceled: boolean): OrchestratorAction[] => [{ actionType: 11, compoundActions: [{ actionType: 6, externalEventName: 'Go' }, { actionType: 5, fireAt: '2030-01-01T00:00:00.000Z', isCanceled }] }];
    const decide = (isCanceled: boolean) => decideEpisode({ history, outcome: { kind: 'reply', state: { isDone: true, actions: [race(isCanceled)], output: 'go' } }, now: new Date(T) });
    expect(decide(true).runtimeStatus).toBe('Completed');
    expect(decide(false).runtimeStatus).toBe('Running');
  });

  it('schedules the actions of a failure reply and fails only once no task is open', () => {
    const history = [orchestratorStarted(), started];
    const failure = { message: 'boom', state: { isDone: false, error: 'boom', actions: [[{ actionType: 12, compoundActions: [activity('A'), activity('B')] } as OrchestratorAction]] } };
    const decision = decideEpisode({ history, outcome: { kind: 'failure', failure }, now: new Date(T) });
    expect(decision.runtimeStatus).toBe('Running');
    expect(decision.work.map((w) => w.kind)).toEqual(['activity', 'activity']);
    const later = [...history, scheduled(0, 'A'), scheduled(1, 'B'), orchestratorCompleted, orchestratorStarted(), failed(0), completed(1)];
    const final = decideEpisode({ history: later, outcome: { kind: 'failure', failure }, now: new Date(T) });
    expect(final.runtimeStatus).toBe('Failed');
    expect(final.failure).toEqual({ reason: "Orchestrator function 'HelloOrch' failed: boom", details: 'Message: boom, StackTrace: ' });
  });

  it('carries over only the events of the same episode that follow the continue-as-new decision', () => {
    const raised = (name: string): HistoryEvent => ({ ...ev, type: 'EventRaised', name, input: '1' });
    const actions: OrchestratorAction[] = [{ actionType: 6, externalEventName: 'Go' }, { actionType: 4, input: 5 }];
    const history = [orchestratorStarted(), started, raised('Old'), orchestratorCompleted, orchestratorStarted(), raised('Early'), raised('Go'), raised('Late')];
    const decision = decideEpisode({ history, outcome: { kind: 'reply', state: { isDone: true, actions: [actions] } }, now: new Date(T) });
    expect(decision.runtimeStatus).toBe('ContinuedAsNew');
    expect(decision.continueAsNew?.input).toBe('5');
    expect(decision.continueAsNew?.carryOverEvents.map((e) => (e.type === 'EventRaised' ? e.name : e.type))).toEqual(['Late']);
    expect(decision.appended.map((e) => e.type)).toEqual(['ContinueAsNew']);
  });
});
