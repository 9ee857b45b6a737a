/**
 * The durable message a fired timer becomes: a TimerFired Work row for its instance, written
 * before the Timers row is deleted, so a crash in between re-fires the timer rather than losing it.
 */
import { isEntityInstanceId } from '../core/entity-messages.js';
import type { InstanceMessage } from '../core/work.js';
import type { TimerRecord } from '../wire/work-row.js';

/** The TimerFired message for a fired timer, stamped `now`. */
export function timerFiredMessage(timer: TimerRecord, now: Date): InstanceMessage {
  const event = { type: 'TimerFired', eventId: -1, isPlayed: false, timestamp: now.toISOString(), timerId: timer.timerId, fireAt: timer.fireAt } as const;
  if (isEntityInstanceId(timer.instanceId)) {
    // An entity's timer only wakes it for its scheduled signals (they wait in its committed state).
    // Its execution changes every turn, so the message is for the entity, not for an execution;
    // the fire time in the id keeps wake-ups of different times apart.
    return { messageId: `${timer.instanceId}|${timer.executionId}|${timer.timerId}|${Date.parse(timer.fireAt)}|fired`, targetInstanceId: timer.instanceId, event };
  }
  return { messageId: `${timer.instanceId}|${timer.executionId}|${timer.timerId}|fired`, targetInstanceId: timer.instanceId, targetExecutionId: timer.executionId, event };
}
