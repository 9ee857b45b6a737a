import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from './history-event.js';
import { pendingTimers, waitsOnlyOnTimersOrEvents } from './orchestration-waits.js';

const t = '2025-01-01T00:00:00.000Z';
const base = { isPlayed: false, timestamp: t };
const started: HistoryEvent = { ...base, type: 'ExecutionStarted', eventId: -1, name: 'loop', version: '', instanceId: 'i', executionId: 'e' };
const timer = (id: number, fireAt = '2025-01-01T01:00:00.000Z'): HistoryEvent => ({ ...base, type: 'TimerCreated', eventId: id, fireAt });
const fired = (id: number): HistoryEvent => ({ ...base, type: 'TimerFired', eventId: -1, timerId: id, fireAt: t });
const request = (seq: number, id: string, extra: Record<string, unknown> = {}): HistoryEvent => ({
  ...base,
  type: 'EventSent',
  eventId: seq,
  instanceId: '@agent@a',
  name: 'op',
  input: JSON.stringify({ op: 'read', id, parent: 'i', ...extra }),
});
const response = (id: string): HistoryEvent => ({ ...base, type: 'EventRaised', eventId: -1, name: id, input: '{"result":"1"}' });

describe('orchestration waits', () => {
  it('lists the timers that were created and have not fired', () => {
    expect(pendingTimers([started, timer(0), timer(1, '2025-01-02T00:00:00.000Z'), fired(0)])).toEqual([{ timerId: 1, fireAt: '2025-01-02T00:00:00.000Z' }]);
  });

  it('finds an execution dormant when only a timer or an external event is awaited', () => {
    expect(waitsOnlyOnTimersOrEvents([started, timer(0)])).toBe(true);
    expect(waitsOnlyOnTimersOrEvents([started])).toBe(true);
  });

  it('does not find it dormant while an activity, a sub-orchestration or an entity call is outstanding', () => {
    const activity: HistoryEvent = { ...base, type: 'TaskScheduled', eventId: 0, name: 'a', version: '' };
    const done: HistoryEvent = { ...base, type: 'TaskCompleted', eventId: -1, taskScheduledId: 0, result: '1' };
    expect(waitsOnlyOnTimersOrEvents([started, activity, timer(1)])).toBe(false);
    expect(waitsOnlyOnTimersOrEvents([started, activity, done, timer(1)])).toBe(true);
    const child: HistoryEvent = { ...base, type: 'SubOrchestrationInstanceCreated', eventId: 0, name: 'c', version: '', instanceId: 'c1' };
    expect(waitsOnlyOnTimersOrEvents([started, child])).toBe(false);
    expect(waitsOnlyOnTimersOrEvents([started, request(0, 'r1')])).toBe(false);
    expect(waitsOnlyOnTimersOrEvents([started, request(0, 'r1'), response('r1'), timer(1)])).toBe(true);
  });

  it('does not wait for signals, but waits for a lock until it is granted', () => {
    expect(waitsOnlyOnTimersOrEvents([started, request(0, 's1', { signal: true })])).toBe(true);
    expect(waitsOnlyOnTimersOrEvents([started, request(0, 'l1', { op: undefined, lockset: [{ name: 'agent', key: 'a' }], pos: 0 })])).toBe(false);
  });

  it('does not find a finished execution dormant', () => {
    expect(waitsOnlyOnTimersOrEvents([started, { ...base, type: 'ExecutionCompleted', eventId: -1, orchestrationStatus: 'Completed' }])).toBe(false);
  });
});
