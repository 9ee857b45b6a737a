/**
 * Rows of the engine's own tables: `<Hub>Work` (inbound messages `m-…` and in-flight activities
 * `a-…`) and `<Hub>Timers`. Not part of the DTFx layout (DfMon ignores both tables), but they keep
 * DTFx's conventions: PascalCase columns, typed EDM values, history events in their row form.
 * @see docs/design/durable-engine.md "Storage beyond the DTFx layout"
 */
import { z } from 'zod';
import type { InstanceMessage, OutboundWork } from '../core/work.js';
import { assertNever } from '../core/history-event.js';
import { historyEventToColumns, parseHistoryRow } from './history-row.js';
import { DateColumnSchema, Int32ColumnSchema, definedColumns, toDateColumn, toInt32Column, type Columns } from './table-columns.js';

/** A message waiting in an instance's Work partition. */
export interface StoredMessage extends InstanceMessage {
  /** The Work row key (`m-<ms>-<id>`), to delete it once a turn consumed it. */
  rowKey: string;
}

/** An activity scheduled by a committed turn whose completion is not yet in history. */
export interface ActivityWork {
  executionId: string;
  taskId: number;
  name: string;
  /** JSON text as the activity receives it; undefined for no input. */
  input?: string;
}

export interface StoredActivity extends ActivityWork {
  rowKey: string;
}

/** A durable timer (one row of `<Hub>Timers`). */
export interface TimerRecord {
  instanceId: string;
  executionId: string;
  timerId: number;
  /** ISO-8601 UTC. */
  fireAt: string;
}

/**
 * Message columns. `Event` is the event's History-row columns as JSON, so messages and history share
 * one converter; `EventType` is repeated as a column so a table browser shows what is waiting.
 */
export function messageToColumns(message: InstanceMessage): Columns {
  return definedColumns({
    MessageId: message.messageId,
    TargetInstanceId: message.targetInstanceId,
    TargetExecutionId: message.targetExecutionId,
    Sender: message.sender,
    EventType: message.event.type,
    Event: JSON.stringify(historyEventToColumns(message.event)),
  });
}

export const MessageRowSchema = z.object({
  rowKey: z.string(),
  MessageId: z.string(),
  TargetInstanceId: z.string(),
  TargetExecutionId: z.string().optional(),
  Sender: z.string().optional(),
  Event: z.string(),
});
export type MessageRow = z.infer<typeof MessageRowSchema>;

export function messageRowToMessage(row: MessageRow): StoredMessage {
  const eventColumns = z.record(z.string(), z.unknown()).parse(JSON.parse(row.Event));
  const event = parseHistoryRow(eventColumns, { instanceId: row.TargetInstanceId, executionId: row.TargetExecutionId ?? '' });
  const message: StoredMessage = { rowKey: row.rowKey, messageId: row.MessageId, targetInstanceId: row.TargetInstanceId, event };
  if (row.TargetExecutionId !== undefined) message.targetExecutionId = row.TargetExecutionId;
  if (row.Sender !== undefined) message.sender = row.Sender;
  return message;
}

export function activityToColumns(activity: ActivityWork): Columns {
  return definedColumns({
    ExecutionId: activity.executionId,
    TaskId: toInt32Column(activity.taskId),
    Name: activity.name,
    Input: activity.input,
  });
}

export const ActivityRowSchema = z.object({
  rowKey: z.string(),
  ExecutionId: z.string(),
  TaskId: Int32ColumnSchema,
  Name: z.string(),
  Input: z.string().optional(),
});

export function activityRowToActivity(row: z.infer<typeof ActivityRowSchema>): StoredActivity {
  const activity: StoredActivity = { rowKey: row.rowKey, executionId: row.ExecutionId, taskId: row.TaskId, name: row.Name };
  if (row.Input !== undefined) activity.input = row.Input;
  return activity;
}

export function timerToColumns(timer: TimerRecord): Columns {
  return { InstanceId: timer.instanceId, ExecutionId: timer.executionId, TimerId: toInt32Column(timer.timerId), FireAt: toDateColumn(timer.fireAt) };
}

export const TimerRowSchema = z.object({
  InstanceId: z.string(),
  ExecutionId: z.string(),
  TimerId: Int32ColumnSchema,
  FireAt: DateColumnSchema,
});

export function timerRowToTimer(row: z.infer<typeof TimerRowSchema>): TimerRecord {
  return { instanceId: row.InstanceId, executionId: row.ExecutionId, timerId: row.TimerId, fireAt: row.FireAt.toISOString() };
}

/**
 * A turn's outbound work as the sentinel's `Outbox` column keeps it (PascalCase JSON; messages in
 * their Work-row form), so recovery can redo an interrupted post-commit with the same keys.
 */
const OutboxItemSchema = z.discriminatedUnion('Kind', [
  z.object({ Kind: z.literal('activity'), TaskId: z.number().int(), Name: z.string(), Input: z.string().optional() }),
  z.object({ Kind: z.literal('timer'), TimerId: z.number().int(), FireAt: z.string() }),
  z.object({ Kind: z.literal('message'), Message: MessageRowSchema.omit({ rowKey: true }) }),
  z.object({
    Kind: z.literal('startSubOrchestration'),
    TaskId: z.number().int(),
    Name: z.string(),
    InstanceId: z.string(),
    Version: z.string(),
    Input: z.string().optional(),
    Parent: z.object({ Name: z.string(), Version: z.string(), TaskScheduleId: z.number().int(), InstanceId: z.string(), ExecutionId: z.string() }),
  }),
]);
export const OutboxSchema = z.array(OutboxItemSchema);

export function outboxToJson(work: readonly OutboundWork[]): string {
  return JSON.stringify(
    work.map((item) => {
      switch (item.kind) {
        case 'activity':
          return { Kind: item.kind, TaskId: item.taskId, Name: item.name, Input: item.input };
        case 'timer':
          return { Kind: item.kind, TimerId: item.timerId, FireAt: item.fireAt };
        case 'message':
          return { Kind: item.kind, Message: messageToColumns(item.message) };
        case 'startSubOrchestration':
          return {
            Kind: item.kind,
            TaskId: item.taskId,
            Name: item.name,
            InstanceId: item.instanceId,
            Version: item.version,
            Input: item.input,
            Parent: { Name: item.parent.name, Version: item.parent.version, TaskScheduleId: item.parent.taskScheduleId, InstanceId: item.parent.instanceId, ExecutionId: item.parent.executionId },
          };
        default:
          return assertNever(item, 'outbound work');
      }
    }),
  );
}

export function outboxFromJson(items: z.infer<typeof OutboxSchema>): OutboundWork[] {
  return items.map((item): OutboundWork => {
    switch (item.Kind) {
      case 'activity':
        return item.Input === undefined ? { kind: 'activity', taskId: item.TaskId, name: item.Name } : { kind: 'activity', taskId: item.TaskId, name: item.Name, input: item.Input };
      case 'timer':
        return { kind: 'timer', timerId: item.TimerId, fireAt: item.FireAt };
      case 'message': {
        const { rowKey: _, ...message } = messageRowToMessage({ ...item.Message, rowKey: '' });
        return { kind: 'message', message };
      }
      case 'startSubOrchestration': {
        const p = item.Parent;
        const parent = { name: p.Name, version: p.Version, taskScheduleId: p.TaskScheduleId, instanceId: p.InstanceId, executionId: p.ExecutionId };
        const base = { kind: 'startSubOrchestration' as const, taskId: item.TaskId, name: item.Name, instanceId: item.InstanceId, version: item.Version, parent };
        return item.Input === undefined ? base : { ...base, input: item.Input };
      }
      default:
        return assertNever(item, 'outbox item');
    }
  });
}
