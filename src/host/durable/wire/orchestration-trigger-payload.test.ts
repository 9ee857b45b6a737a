import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../core/history-event.js';
import { buildOrchestrationTriggerPayload, orchestrationTriggerPayloadText } from './orchestration-trigger-payload.js';

const T = '2024-03-18T17:44:50.123Z';
const ev = { eventId: -1, isPlayed: false, timestamp: T };

describe('buildOrchestrationTriggerPayload', () => {
  const history: HistoryEvent[] = [
    { ...ev, type: 'OrchestratorStarted' },
    { ...ev, type: 'ExecutionStarted', name: 'HelloOrch', version: '', instanceId: 'abc', executionId: 'e1', input: '{"city":"Tokyo"}', parent: { name: 'P', version: '', taskScheduleId: 3, instanceId: 'parent', executionId: 'pe' } },
    { ...ev, type: 'TaskScheduled', eventId: 0, name: 'Hello', version: '', input: '["\\"Tokyo\\""]' },
    { ...ev, type: 'OrchestratorCompleted' },
    { ...ev, type: 'OrchestratorStarted', timestamp: '2024-03-18T17:44:50.623Z' },
    { ...ev, type: 'TaskFailed', taskScheduledId: 0 },
  ];

  it('advertises schema V4, the three duration fields and a maximal short-timer duration', () => {
    const payload = buildOrchestrationTriggerPayload(history);
    expect(payload).toMatchObject({
      instanceId: 'abc',
      input: { city: 'Tokyo' },
      isReplaying: true,
      parentInstanceId: 'parent',
      upperSchemaVersion: 1,
      upperSchemaVersionNew: 3,
      longRunningTimerIntervalDuration: '3.00:00:00',
      maximumShortTimerDuration: '10675199.02:48:05.4775807',
      defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
    });
  });

  it('writes PascalCase events with integer types and marks only the newest episode as not played', () => {
    const payload = buildOrchestrationTriggerPayload(history);
    expect(payload.history.map((e) => [e.EventType, e.IsPlayed])).toEqual([[12, true], [0, true], [4, true], [13, true], [12, false], [6, false]]);
    expect(payload.history[1]).toMatchObject({ Name: 'HelloOrch', OrchestrationInstance: { InstanceId: 'abc', ExecutionId: 'e1' }, ParentInstance: { TaskScheduleId: 3 } });
    expect(payload.history[2]).toEqual({ EventType: 4, EventId: 0, IsPlayed: true, Timestamp: T, Name: 'Hello', Version: '', Input: '["\\"Tokyo\\""]' });
    // The JS throws on a failure without string Reason/Details, so absent texts are empty strings.
    expect(payload.history[5]).toMatchObject({ TaskScheduledId: 0, Reason: '', Details: '', FailureDetails: null });
  });

  it('starts a first episode with isReplaying false', () => {
    const first = buildOrchestrationTriggerPayload(history.slice(0, 2));
    expect(first.isReplaying).toBe(false);
    expect(first.history.every((e) => e.IsPlayed === false)).toBe(true);
  });

  it('gives as text exactly the payload object, episode after episode over the same event objects', () => {
    // Each episode's text reuses the cached text of played events: it must still match the object
    // form, including events that were unplayed in the episode before and are played now.
    for (let end = 2; end <= history.length; end++) {
      const episode = history.slice(0, end);
      expect(orchestrationTriggerPayloadText(episode, { httpAsyncSleepMs: 5 })).toBe(JSON.stringify(buildOrchestrationTriggerPayload(episode, { httpAsyncSleepMs: 5 })));
    }
    const next: HistoryEvent[] = [...history, { ...ev, type: 'OrchestratorCompleted' }, { ...ev, type: 'OrchestratorStarted' }, { ...ev, type: 'EventRaised', name: 'x', input: '1' }];
    expect(JSON.parse(orchestrationTriggerPayloadText(next))).toEqual(buildOrchestrationTriggerPayload(next));
    expect(() => orchestrationTriggerPayloadText(history.slice(2))).toThrow('no ExecutionStarted');
  });

  it('gives the same JSON as text, episode after episode on the same event objects', () => {
    // The text form reuses a played event's JSON; the events passed in are the same objects each time.
    for (const length of [2, 4, 6, 2, 6]) {
      const episode = history.slice(0, length);
      expect(JSON.parse(orchestrationTriggerPayloadText(episode))).toEqual(buildOrchestrationTriggerPayload(episode));
    }
    // An event marked played in memory is still sent as not played when it is in the newest episode.
    const played = history.map((e) => ({ ...e, isPlayed: true }));
    expect(JSON.parse(orchestrationTriggerPayloadText(played, { httpAsyncSleepMs: 5 }))).toEqual(buildOrchestrationTriggerPayload(played, { httpAsyncSleepMs: 5 }));
  });
});
