import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../core/history-event.js';
import { historyEventsPayload } from './http-history.js';
import { formatStatusTime, statusPayload } from './http-status-payload.js';
import { parseStoredJson } from './http-stored-json.js';

const t = (s: number) => `2024-03-18T17:44:${String(s).padStart(2, '0')}.5Z`;
const base = { isPlayed: true, eventId: -1 };

const history: HistoryEvent[] = [
  { ...base, type: 'OrchestratorStarted', timestamp: t(0) },
  { ...base, type: 'ExecutionStarted', timestamp: t(0), name: 'Hello', version: '1', input: '"in"', instanceId: 'i', executionId: 'e', tags: { a: 'b' } },
  { ...base, eventId: 0, type: 'TaskScheduled', timestamp: t(1), name: 'A', version: '', input: '1' },
  { ...base, eventId: 1, type: 'SubOrchestrationInstanceCreated', timestamp: t(1), name: 'Child', version: '', instanceId: 'c', input: '2' },
  { ...base, eventId: 2, type: 'TaskScheduled', timestamp: t(1), name: 'NeverDone', version: '' },
  { ...base, eventId: 3, type: 'TimerCreated', timestamp: t(1), fireAt: t(9) },
  { ...base, type: 'OrchestratorCompleted', timestamp: t(1) },
  { ...base, type: 'TaskCompleted', timestamp: t(2), taskScheduledId: 0, result: '{"r":1}' },
  { ...base, type: 'SubOrchestrationInstanceFailed', timestamp: t(3), taskScheduledId: 1, reason: 'bad', details: 'trace', failureDetails: { errorType: 'Error', errorMessage: 'bad' } },
  { ...base, type: 'TimerFired', timestamp: t(4), timerId: 3, fireAt: t(9) },
  { ...base, type: 'EventRaised', timestamp: t(5), name: 'Go', input: 'true' },
  { ...base, type: 'ExecutionCompleted', timestamp: t(6), orchestrationStatus: 'Completed', result: 'not json' },
];

describe('historyEventsPayload', () => {
  it('folds completed scheduling rows into their completions and drops episode markers', () => {
    const out = historyEventsPayload(history, { showHistoryOutput: false, showInput: false });
    expect(out).toEqual([
      { EventType: 'ExecutionStarted', FunctionName: 'Hello', Timestamp: t(0) },
      { EventType: 'TaskScheduled', Name: 'NeverDone', Timestamp: t(1) },
      { EventType: 'TimerCreated', FireAt: t(9), Timestamp: t(1) },
      { EventType: 'TaskCompleted', ScheduledTime: t(1), FunctionName: 'A', Timestamp: t(2) },
      {
        EventType: 'SubOrchestrationInstanceFailed',
        Reason: 'bad',
        Details: 'trace',
        FailureDetails: { ErrorType: 'Error', ErrorMessage: 'bad', StackTrace: null, InnerFailure: null, IsNonRetriable: false },
        ScheduledTime: t(1),
        FunctionName: 'Child',
        Timestamp: t(3),
      },
      { EventType: 'TimerFired', FireAt: t(9), Timestamp: t(4) },
      { EventType: 'EventRaised', Name: 'Go', Timestamp: t(5) },
      { EventType: 'ExecutionCompleted', OrchestrationStatus: 'Completed', Timestamp: t(6) },
    ]);
  });

  it('adds parsed results with showHistoryOutput and scheduled inputs with showInput', () => {
    const out = historyEventsPayload(history, { showHistoryOutput: true, showInput: true });
    expect(out[0]).toMatchObject({ Input: '"in"' });
    expect(out.find((e) => e.EventType === 'TaskCompleted')).toMatchObject({ Result: { r: 1 }, Input: '1', FunctionName: 'A' });
    expect(out.find((e) => e.EventType === 'ExecutionCompleted')).toMatchObject({ Result: 'not json' });
    expect(out.find((e) => e.EventType === 'EventRaised')).toMatchObject({ Input: 'true' });
  });
});

describe('status payload values', () => {
  it('formats status times to whole seconds with a Z', () => {
    expect(formatStatusTime('2024-03-18T17:44:50.9999999Z')).toBe('2024-03-18T17:44:50Z');
    expect(formatStatusTime('2024-03-18T19:44:50+02:00')).toBe('2024-03-18T17:44:50Z');
  });

  it('parses stored JSON, falling back to the raw string, null when absent', () => {
    expect(parseStoredJson('{"a":[1]}')).toEqual({ a: [1] });
    expect(parseStoredJson('stopped by user')).toBe('stopped by user');
    expect(parseStoredJson(undefined)).toBeNull();
    expect(parseStoredJson('  ')).toBe('');
  });

  it('omits history for a Pending instance and hides the input when showInput is false', () => {
    const status = { instanceId: 'i', name: 'Hello', version: '', runtimeStatus: 'Pending' as const, executionId: 'e', input: '1', createdTime: t(0), lastUpdatedTime: t(1), history };
    const payload = statusPayload(status, { showHistory: true, showHistoryOutput: false, showInput: false });
    expect(payload).not.toHaveProperty('historyEvents');
    expect(payload).toMatchObject({ input: null, output: null, customStatus: null, createdTime: '2024-03-18T17:44:00Z' });
  });
});
