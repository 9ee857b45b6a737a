import { describe, expect, it } from 'vitest';
import { EventType, type HistoryEvent } from '../core/history-event.js';
import { HistoryRowError, historyEventToColumns, parseHistoryRow } from './history-row.js';

const t = '2025-05-01T10:00:00.120Z';
const base = { eventId: -1, isPlayed: false, timestamp: t };
const failure = { errorType: 'Error', errorMessage: 'boom', stackTrace: 'at x', innerFailure: { errorType: 'TypeError', errorMessage: 'inner' }, isNonRetriable: true };

/** One event of every type in the domain union, with every optional member set where it has one. */
const samples: HistoryEvent[] = [
  {
    ...base,
    isPlayed: true,
    type: 'ExecutionStarted',
    name: 'HelloCities',
    version: '',
    input: '"Tokyo"',
    instanceId: 'hello-001',
    executionId: '7c9e6679f4c84d6fa1d5e0f3b2a1c4d5',
    parent: { name: 'Parent', version: '', taskScheduleId: 3, instanceId: 'p-1', executionId: 'e0' },
    tags: { team: 'a' },
    scheduledStartTime: '2025-05-01T10:05:00.000Z',
    generation: 2,
  },
  { ...base, type: 'ExecutionStarted', name: 'Bare', version: '', instanceId: 'i', executionId: 'x' },
  { ...base, eventId: 2, type: 'ExecutionCompleted', orchestrationStatus: 'Failed', result: '"r"', failureDetails: failure },
  { ...base, type: 'ExecutionTerminated', input: '"stop"' },
  { ...base, eventId: 0, type: 'TaskScheduled', name: 'SayHello', version: '', input: '["Tokyo"]' },
  { ...base, isPlayed: true, type: 'TaskCompleted', taskScheduledId: 0, result: '"Hello Tokyo!"' },
  { ...base, type: 'TaskFailed', taskScheduledId: 1, reason: 'r', details: 'd', failureDetails: { errorType: 'E', errorMessage: 'm' } },
  { ...base, eventId: 4, type: 'SubOrchestrationInstanceCreated', name: 'Child', version: 'v1', instanceId: 'child-1', input: '1' },
  { ...base, type: 'SubOrchestrationInstanceCompleted', taskScheduledId: 4, result: '2' },
  { ...base, type: 'SubOrchestrationInstanceFailed', taskScheduledId: 4, reason: 'r', details: 'd', failureDetails: failure },
  { ...base, eventId: 1, type: 'TimerCreated', fireAt: '2025-05-01T10:00:30.910Z' },
  { ...base, type: 'TimerFired', timerId: 1, fireAt: '2025-05-01T10:00:30.910Z' },
  { ...base, type: 'OrchestratorStarted' },
  { ...base, type: 'OrchestratorCompleted' },
  { ...base, eventId: 5, type: 'EventSent', instanceId: '@counter@k', name: 'op', input: '{"op":"add"}' },
  { ...base, type: 'EventRaised', name: 'Approval', input: 'true' },
  { ...base, type: 'ContinueAsNew', result: '{"n":1}' },
  { ...base, type: 'GenericEvent', data: 'x' },
  { ...base, type: 'ExecutionSuspended', reason: 'pause' },
  { ...base, type: 'ExecutionResumed', reason: 'go' },
  { ...base, type: 'ExecutionRewound', reason: 'again' },
  { ...base, type: 'ExecutionRewound', reason: 'child', parentExecutionId: 'e2' },
  { ...base, type: 'EventRaised', name: 'NoInput' },
];

const fallback = { instanceId: 'hello-001', executionId: 'e1' };

describe('history rows', () => {
  it('covers every event type of the domain union except the unsupported ones', () => {
    const covered = new Set(samples.map((e) => e.type));
    const expected = Object.keys(EventType).filter((n) => n !== 'ExecutionFailed' && n !== 'HistoryState');
    expect([...covered].sort()).toEqual(expected.sort());
  });

  it.each(samples.map((e) => [`${e.type}${'name' in e ? ` ${e.name}` : ''}`, e] as const))('round-trips %s through its row', (_, event) => {
    expect(parseHistoryRow(historyEventToColumns(event), fallback)).toEqual(event);
  });

  it.each(samples.map((e) => [e.type, e] as const))('round-trips %s through the JSON form a Work message carries', (_, event) => {
    const json = JSON.parse(JSON.stringify(historyEventToColumns(event))) as Record<string, unknown>;
    expect(parseHistoryRow(json, fallback)).toEqual(event);
  });

  it('writes DTFx column names and types', () => {
    const columns = historyEventToColumns(samples[0] as HistoryEvent);
    expect(columns).toMatchObject({ EventType: 'ExecutionStarted', EventId: -1, IsPlayed: true, Name: 'HelloCities', Version: '', Input: '"Tokyo"', Generation: 2 });
    expect(columns['_Timestamp']).toBeInstanceOf(Date);
    expect(columns['ScheduledStartTime']).toBeInstanceOf(Date);
    expect(JSON.parse(columns['OrchestrationInstance'] as string)).toEqual({ InstanceId: 'hello-001', ExecutionId: '7c9e6679f4c84d6fa1d5e0f3b2a1c4d5' });
    expect(JSON.parse(columns['ParentInstance'] as string)).toEqual({ Name: 'Parent', OrchestrationInstance: { InstanceId: 'p-1', ExecutionId: 'e0' }, TaskScheduleId: 3, Version: '' });
    expect(Object.keys(columns)).not.toContain('Timestamp');
  });

  it('omits absent members instead of writing null', () => {
    const columns = historyEventToColumns({ ...base, type: 'EventRaised', name: 'x' });
    expect(columns).toEqual({ EventType: 'EventRaised', EventId: -1, IsPlayed: false, _Timestamp: new Date(t), Name: 'x' });
    expect(Object.values(historyEventToColumns(samples[2] as HistoryEvent))).not.toContain(null);
  });

  it('writes ContinueAsNew with the ContinuedAsNew status as DTFx does', () => {
    expect(historyEventToColumns({ ...base, type: 'ContinueAsNew' })).toMatchObject({ OrchestrationStatus: 'ContinuedAsNew' });
  });

  it('reads DTFx v2 "null" JSON columns and nulls inside FailureDetails as absent', () => {
    const event = parseHistoryRow(
      {
        EventType: 'TaskFailed',
        EventId: -1,
        IsPlayed: true,
        _Timestamp: new Date(t),
        TaskScheduledId: 0,
        FailureDetails: '{"ErrorType":"E","ErrorMessage":"m","StackTrace":null,"InnerFailure":null,"IsNonRetriable":false,"Properties":null}',
        Tags: 'null',
      },
      fallback,
    );
    expect(event).toEqual({ ...base, isPlayed: true, type: 'TaskFailed', taskScheduledId: 0, failureDetails: { errorType: 'E', errorMessage: 'm', isNonRetriable: false } });
  });

  it('takes the instance identity from the fallback when OrchestrationInstance is absent', () => {
    const event = parseHistoryRow({ EventType: 'ExecutionStarted', EventId: -1, _Timestamp: new Date(t), Name: 'N', ExecutionId: 'row-exec' }, fallback);
    expect(event).toMatchObject({ instanceId: 'hello-001', executionId: 'row-exec', version: '', isPlayed: false });
  });

  it('refuses a completion row without TaskScheduledId', () => {
    expect(() => parseHistoryRow({ EventType: 'TaskCompleted', EventId: -1, _Timestamp: new Date(t) }, fallback)).toThrow(HistoryRowError);
  });

  it('refuses an unknown EventType', () => {
    expect(() => parseHistoryRow({ EventType: 'Nope', EventId: -1, _Timestamp: new Date(t) }, fallback)).toThrow();
  });

  it('refuses an EventId outside Int32', () => {
    expect(() => historyEventToColumns({ ...base, eventId: 2 ** 31, type: 'OrchestratorStarted' })).toThrow(/Int32/);
  });
});
