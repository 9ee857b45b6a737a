import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../core/history-event.js';
import { activityMarker, openActivities } from './activity-marker.js';

const at = '2026-01-01T00:00:00.000Z';
const turn = (): HistoryEvent => ({ type: 'OrchestratorStarted', eventId: -1, isPlayed: false, timestamp: at });
// TaskScheduled.Input is the extension's array `[<action input>]`; the activity gets the element.
const scheduled = (eventId: number, input?: unknown): HistoryEvent => ({ type: 'TaskScheduled', eventId, isPlayed: false, timestamp: at, name: `A${eventId}`, version: '', input: JSON.stringify([input ?? null]) });
const completed = (taskScheduledId: number): HistoryEvent => ({ type: 'TaskCompleted', eventId: -1, isPlayed: false, timestamp: at, taskScheduledId });
const failed = (taskScheduledId: number): HistoryEvent => ({ type: 'TaskFailed', eventId: -1, isPlayed: false, timestamp: at, taskScheduledId });

describe('activityMarker', () => {
  it('keeps the first activity of a sequence as the marker while each step opens the next', () => {
    const events = [turn(), scheduled(0, { x: 1 }), turn(), completed(0), scheduled(1), turn(), completed(1), scheduled(2)];
    expect(activityMarker('e1', events)).toEqual({ executionId: 'e1', taskId: 0, name: 'A0', input: '{"x":1}' });
  });

  it('has no marker once a turn leaves nothing open, and a new one for the next run', () => {
    const closed = [turn(), scheduled(0), turn(), completed(0)];
    expect(activityMarker('e1', closed)).toBeUndefined();
    expect(activityMarker('e1', [...closed, turn(), scheduled(1), scheduled(2), turn(), failed(1)])?.taskId).toBe(1);
  });

  it('lists the open activities with their names and inputs', () => {
    const events = [turn(), scheduled(0), scheduled(1, 2), scheduled(2), turn(), completed(0), failed(2)];
    expect(openActivities('e1', events)).toEqual([{ executionId: 'e1', taskId: 1, name: 'A1', input: '2' }]);
  });
});
