import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../core/history-event.js';
import { historyEventToColumns, parseHistoryRow } from '../wire/history-row.js';
import { HISTORY_COPY_CHARS_PER_COLUMN, HISTORY_COPY_MAX_COLUMNS, HISTORY_COPY_PREFIX, historyCopyColumns, readHistoryCopy } from './history-copy.js';

const instanceId = 'agent-a00001';
const executionId = 'e0f1a2b3c4d5';

function history(input = '"Tokyo"'): HistoryEvent[] {
  let now = Date.parse('2025-05-01T10:00:00.000Z');
  const at = (): string => new Date((now += 10)).toISOString();
  return [
    { type: 'OrchestratorStarted', eventId: -1, isPlayed: false, timestamp: at() },
    {
      type: 'ExecutionStarted',
      eventId: -1,
      isPlayed: true,
      timestamp: at(),
      name: 'AgentLoop',
      version: '1.0',
      input,
      instanceId,
      executionId,
      generation: 3,
      tags: { team: 'a' },
      parent: { name: 'Parent', version: '', taskScheduleId: 4, instanceId: 'p', executionId: 'pe' },
    },
    { type: 'TaskScheduled', eventId: 0, isPlayed: false, timestamp: at(), name: 'Handle', version: '', input: '["e1"]' },
    { type: 'EventSent', eventId: 1, isPlayed: false, timestamp: at(), instanceId: '@agent@a00001', name: 'op', input: '{"op":"take"}' },
    { type: 'TimerCreated', eventId: 2, isPlayed: false, timestamp: at(), fireAt: '2025-05-01T11:00:00.000Z' },
    { type: 'OrchestratorCompleted', eventId: -1, isPlayed: false, timestamp: at() },
    { type: 'OrchestratorStarted', eventId: -1, isPlayed: false, timestamp: at() },
    { type: 'TaskFailed', eventId: -1, isPlayed: true, timestamp: at(), taskScheduledId: 0, reason: 'boom', failureDetails: { errorType: 'Error', errorMessage: 'boom', stackTrace: 'at x' } },
    { type: 'TimerFired', eventId: -1, isPlayed: true, timestamp: at(), timerId: 2, fireAt: '2025-05-01T11:00:00.000Z' },
    { type: 'EventRaised', eventId: -1, isPlayed: true, timestamp: at(), name: 'wake', input: 'null' },
    { type: 'ExecutionCompleted', eventId: 3, isPlayed: false, timestamp: at(), orchestrationStatus: 'Completed', result: '"done"' },
    { type: 'OrchestratorCompleted', eventId: -1, isPlayed: false, timestamp: at() },
  ];
}

/** What a reader gets from the History rows: the columns as the SDK returns them (times as Date), parsed. */
function fromRows(events: readonly HistoryEvent[]): HistoryEvent[] {
  return events.map((e) => parseHistoryRow({ ...historyEventToColumns(e), ExecutionId: executionId }, { instanceId, executionId }));
}

/** The copy as stored and read back: through JSON, as the table service carries it. */
function stored(columns: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(columns)) as Record<string, unknown>;
}

describe('history copy in the sentinel', () => {
  it('reads back the events exactly as the history rows do', () => {
    const events = history();
    const columns = historyCopyColumns(executionId, events);
    expect(Object.keys(columns)).toEqual([`${HISTORY_COPY_PREFIX}0`]);
    const copy = readHistoryCopy(stored(columns), { instanceId, executionId, eventCount: events.length });
    expect(copy).toEqual(fromRows(events));
    expect(copy).toEqual(events);
  });

  it('splits a larger history over several columns without cutting a surrogate pair', () => {
    // Each emoji is two UTF-16 units; an odd prefix puts a pair across every slice boundary sooner or later.
    const input = JSON.stringify(`xy${'😀'.repeat(20_000)}`);
    const events = history(input);
    const columns = historyCopyColumns(executionId, events);
    const parts = Object.values(columns) as string[];
    expect(parts.length).toBeGreaterThan(1);
    // At least one slice was shortened by one unit to keep a pair whole (this input is chosen so).
    expect(parts.slice(0, -1).some((part) => part.length === HISTORY_COPY_CHARS_PER_COLUMN - 1)).toBe(true);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(HISTORY_COPY_CHARS_PER_COLUMN);
      // Each slice is well-formed UTF-16: it survives UTF-8 encoding unchanged.
      expect(Buffer.from(part, 'utf8').toString('utf8')).toBe(part);
    }
    const viaUtf8 = Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, Buffer.from(String(v), 'utf8').toString('utf8')]));
    expect(readHistoryCopy(viaUtf8, { instanceId, executionId, eventCount: events.length })).toEqual(fromRows(events));
  });

  it('writes no copy when the history is too large (the reader then queries the rows)', () => {
    const events = history(JSON.stringify('p'.repeat(HISTORY_COPY_CHARS_PER_COLUMN * HISTORY_COPY_MAX_COLUMNS)));
    expect(historyCopyColumns(executionId, events)).toEqual({});
    expect(readHistoryCopy({}, { instanceId, executionId, eventCount: events.length })).toBeUndefined();
  });

  it('does not serialise again a history already found too large, until the execution changes', () => {
    const events = history(JSON.stringify('p'.repeat(HISTORY_COPY_CHARS_PER_COLUMN * HISTORY_COPY_MAX_COLUMNS)));
    expect(historyCopyColumns(executionId, events)).toEqual({});
    // The same first event object of the same execution: known too large, whatever follows it now.
    const small = [events[0] as HistoryEvent, ...history().slice(1)];
    expect(historyCopyColumns(executionId, small)).toEqual({});
    // Another execution (continue-as-new, rewind) or fresh objects (a cold load) are serialised again.
    expect(Object.keys(historyCopyColumns('next-execution', small))).toEqual([`${HISTORY_COPY_PREFIX}0`]);
    expect(Object.keys(historyCopyColumns(executionId, history()))).toEqual([`${HISTORY_COPY_PREFIX}0`]);
  });

  it('refuses a copy of another execution or another event count (a merge of a split commit)', () => {
    const events = history();
    const columns = stored(historyCopyColumns(executionId, events));
    expect(readHistoryCopy(columns, { instanceId, executionId: 'next-generation', eventCount: events.length })).toBeUndefined();
    expect(readHistoryCopy(columns, { instanceId, executionId, eventCount: events.length + 3 })).toBeUndefined();
    expect(readHistoryCopy(columns, { instanceId, executionId, eventCount: 0 })).toBeUndefined();
  });

  it('refuses an unreadable copy instead of failing the load', () => {
    const events = history();
    expect(readHistoryCopy({ [`${HISTORY_COPY_PREFIX}0`]: '{"executionId":' }, { instanceId, executionId, eventCount: events.length })).toBeUndefined();
    const badRow = JSON.stringify({ executionId, rows: [{ EventType: 'NoSuchType', _Timestamp: '2025-05-01T10:00:00.000Z' }] });
    expect(readHistoryCopy({ [`${HISTORY_COPY_PREFIX}0`]: badRow }, { instanceId, executionId, eventCount: 1 })).toBeUndefined();
  });

  it('an empty history has a copy of no events', () => {
    const columns = stored(historyCopyColumns(executionId, []));
    expect(readHistoryCopy(columns, { instanceId, executionId, eventCount: 0 })).toEqual([]);
  });
});
