import { describe, expect, it } from 'vitest';
import type { InstanceMessage } from '../core/work.js';
import { MessageRowSchema, TimerRowSchema, messageRowToMessage, messageToColumns, timerRowToTimer, timerToColumns } from './work-row.js';

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
