import { describe, expect, it } from 'vitest';
import type { InstanceMessage, OutboundWork } from '../core/work.js';
import { MessageRowSchema, OutboxSchema, outboxFromJson, outboxToJson, TimerRowSchema, messageRowToMessage, messageToColumns, timerRowToTimer, timerToColumns } from './work-row.js';

describe('work rows', () => {
  it('round-trip a message with its event in History-row form', () => {
    const message: InstanceMessage = {
      messageId: 'parent|e1|3',
      targetInstanceId: 'child',
      targetExecutionId: 'e2',
      sender: 'parent',
      event: { type: 'TaskCompleted', eventId: -1, isPlayed: false, timestamp: '2025-05-01T10:00:00.000Z', taskScheduledId: 3, result: '1' },
    };
    const columns = messageToColumns(message);
    expect(columns).toMatchObject({ MessageId: 'parent|e1|3', EventType: 'TaskCompleted' });
    expect(JSON.parse(columns['Event'] as string)).toMatchObject({ EventType: 'TaskCompleted', TaskScheduledId: 3, _Timestamp: '2025-05-01T10:00:00.000Z' });
    expect(messageRowToMessage(MessageRowSchema.parse({ rowKey: 'm-1', ...columns }))).toEqual({ ...message, rowKey: 'm-1' });
  });

  it('round-trip a timer', () => {
    const timer = { instanceId: 'a|b', executionId: 'e', timerId: 4, fireAt: '2025-05-01T10:00:30.910Z' };
    const columns = timerToColumns(timer);
    expect(columns['FireAt']).toBeInstanceOf(Date);
    expect(timerRowToTimer(TimerRowSchema.parse(columns))).toEqual(timer);
  });
});

describe('outbox', () => {
  it('round-trips every kind of outbound work through its JSON form', () => {
    const work: OutboundWork[] = [
      { kind: 'activity', taskId: 0, name: 'SayHello', input: '["Tokyo"]' },
      { kind: 'activity', taskId: 1, name: 'NoInput' },
      { kind: 'timer', timerId: 2, fireAt: '2025-05-01T10:00:30.910Z' },
      {
        kind: 'message',
        message: { messageId: 'p|e|3', targetInstanceId: '@counter@k', sender: 'p', event: { type: 'EventRaised', eventId: -1, isPlayed: false, timestamp: '2025-05-01T10:00:00.000Z', name: 'op', input: '{}' } },
      },
      { kind: 'startSubOrchestration', taskId: 4, name: 'Child', instanceId: 'c-1', version: '', input: '1', parent: { name: 'P', version: '', taskScheduleId: 4, instanceId: 'p', executionId: 'e' } },
    ];
    const text = outboxToJson(work);
    expect(JSON.parse(text)[0]).toEqual({ Kind: 'activity', TaskId: 0, Name: 'SayHello', Input: '["Tokyo"]' });
    expect(outboxFromJson(OutboxSchema.parse(JSON.parse(text)))).toEqual(work);
  });
});
