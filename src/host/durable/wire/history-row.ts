/**
 * `<Hub>History` event rows (DTFx `TableEntityConverter` layout) <-> domain `HistoryEvent`s.
 * Column names, EDM types and per-type columns follow taskhub-layout.md section 5.1; the keys
 * (PartitionKey, X16 RowKey) and `ExecutionId` are added by the store.
 * @see https://github.com/Azure/durabletask/tree/main/src/DurableTask.Core/History
 */
import { z } from 'zod';
import {
  EventType,
  OrchestrationStatus,
  assertNever,
  type EventTypeName,
  type FailureDetails,
  type HistoryEvent,
  type OrchestrationStatusName,
} from '../core/history-event.js';
import { DateColumnSchema, Int32ColumnSchema, definedColumns, jsonColumn, toDateColumn, toInt32Column, type Columns } from './table-columns.js';

const eventTypeNames = Object.keys(EventType) as [EventTypeName, ...EventTypeName[]];
const statusNames = Object.keys(OrchestrationStatus) as [OrchestrationStatusName, ...OrchestrationStatusName[]];

interface FailureDetailsJson {
  ErrorType?: string | null | undefined;
  ErrorMessage?: string | null | undefined;
  StackTrace?: string | null | undefined;
  InnerFailure?: FailureDetailsJson | null | undefined;
  IsNonRetriable?: boolean | null | undefined;
}

/** DTFx `FailureDetails` as Newtonsoft writes it (PascalCase; nulls tolerated, `Properties` ignored). */
export const FailureDetailsJsonSchema: z.ZodType<FailureDetailsJson> = z.lazy(() =>
  z.object({
    ErrorType: z.string().nullish(),
    ErrorMessage: z.string().nullish(),
    StackTrace: z.string().nullish(),
    InnerFailure: FailureDetailsJsonSchema.nullish(),
    IsNonRetriable: z.boolean().nullish(),
  }),
);

/** DTFx `OrchestrationInstance` JSON. */
export const OrchestrationInstanceJsonSchema = z.object({ InstanceId: z.string(), ExecutionId: z.string().nullish() });

/** DTFx `ParentInstance` JSON (the sub-orchestration's caller). */
export const ParentInstanceJsonSchema = z.object({
  Name: z.string().nullish(),
  Version: z.string().nullish(),
  TaskScheduleId: z.number().int(),
  OrchestrationInstance: OrchestrationInstanceJsonSchema,
});

/**
 * One History event row as read through `@azure/data-tables` (type conversion on). Every
 * per-type column is optional here; {@link historyRowToEvent} checks what each type needs.
 */
export const HistoryRowSchema = z.object({
  EventType: z.enum(eventTypeNames),
  EventId: Int32ColumnSchema.default(-1),
  IsPlayed: z.boolean().default(false),
  _Timestamp: DateColumnSchema,
  ExecutionId: z.string().optional(),
  Name: z.string().optional(),
  Version: z.string().optional(),
  Input: z.string().optional(),
  Result: z.string().optional(),
  Reason: z.string().optional(),
  /** ExecutionRewound of a child rewound by its parent (DTFx `ExecutionRewoundEvent.ParentExecutionId`). */
  ParentExecutionId: z.string().optional(),
  Details: z.string().optional(),
  Data: z.string().optional(),
  InstanceId: z.string().optional(),
  OrchestrationStatus: z.enum(statusNames).optional(),
  FailureDetails: jsonColumn(FailureDetailsJsonSchema).optional(),
  OrchestrationInstance: jsonColumn(OrchestrationInstanceJsonSchema).optional(),
  ParentInstance: jsonColumn(ParentInstanceJsonSchema).optional(),
  Tags: jsonColumn(z.record(z.string(), z.string())).optional(),
  TaskScheduledId: Int32ColumnSchema.optional(),
  TimerId: Int32ColumnSchema.optional(),
  Generation: Int32ColumnSchema.optional(),
  FireAt: DateColumnSchema.optional(),
  ScheduledStartTime: DateColumnSchema.optional(),
});
export type HistoryRow = z.infer<typeof HistoryRowSchema>;

function failureToJson(details: FailureDetails): FailureDetailsJson {
  // Absent optional members are omitted rather than written as null (v1 readers and Azurite agree on absence).
  const json: FailureDetailsJson = { ErrorType: details.errorType, ErrorMessage: details.errorMessage };
  if (details.stackTrace !== undefined) json.StackTrace = details.stackTrace;
  if (details.innerFailure !== undefined) json.InnerFailure = failureToJson(details.innerFailure);
  if (details.isNonRetriable !== undefined) json.IsNonRetriable = details.isNonRetriable;
  return json;
}

function failureFromJson(json: FailureDetailsJson): FailureDetails {
  const details: FailureDetails = { errorType: json.ErrorType ?? '', errorMessage: json.ErrorMessage ?? '' };
  if (json.StackTrace != null) details.stackTrace = json.StackTrace;
  if (json.InnerFailure != null) details.innerFailure = failureFromJson(json.InnerFailure);
  if (json.IsNonRetriable != null) details.isNonRetriable = json.IsNonRetriable;
  return details;
}

const failureColumn = (details: FailureDetails | undefined) => (details ? JSON.stringify(failureToJson(details)) : undefined);

/**
 * The columns of one event row (without PartitionKey, RowKey and ExecutionId). Undefined members
 * become absent columns; times become Edm.DateTime, ids Edm.Int32, `IsPlayed` Edm.Boolean.
 */
export function historyEventToColumns(event: HistoryEvent): Columns {
  const common = { EventType: event.type, EventId: toInt32Column(event.eventId), IsPlayed: event.isPlayed, _Timestamp: toDateColumn(event.timestamp) };
  switch (event.type) {
    case 'ExecutionStarted':
      return definedColumns({
        ...common,
        Name: event.name,
        Version: event.version,
        Input: event.input,
        OrchestrationInstance: JSON.stringify({ InstanceId: event.instanceId, ExecutionId: event.executionId }),
        ParentInstance: event.parent
          ? JSON.stringify({
              Name: event.parent.name,
              OrchestrationInstance: { InstanceId: event.parent.instanceId, ExecutionId: event.parent.executionId },
              TaskScheduleId: event.parent.taskScheduleId,
              Version: event.parent.version,
            })
          : undefined,
        Tags: event.tags ? JSON.stringify(event.tags) : undefined,
        ScheduledStartTime: event.scheduledStartTime === undefined ? undefined : toDateColumn(event.scheduledStartTime),
        Generation: event.generation === undefined ? undefined : toInt32Column(event.generation),
      });
    case 'ExecutionCompleted':
      return definedColumns({ ...common, OrchestrationStatus: event.orchestrationStatus, Result: event.result, FailureDetails: failureColumn(event.failureDetails) });
    case 'ContinueAsNew':
      // DTFx ContinueAsNewEvent derives from ExecutionCompletedEvent, hence the status column.
      return definedColumns({ ...common, OrchestrationStatus: 'ContinuedAsNew', Result: event.result });
    case 'ExecutionTerminated':
      return definedColumns({ ...common, Input: event.input });
    case 'TaskScheduled':
      return definedColumns({ ...common, Name: event.name, Version: event.version, Input: event.input });
    case 'TaskCompleted':
    case 'SubOrchestrationInstanceCompleted':
      return definedColumns({ ...common, TaskScheduledId: toInt32Column(event.taskScheduledId), Result: event.result });
    case 'TaskFailed':
    case 'SubOrchestrationInstanceFailed':
      return definedColumns({
        ...common,
        TaskScheduledId: toInt32Column(event.taskScheduledId),
        Reason: event.reason,
        Details: event.details,
        FailureDetails: failureColumn(event.failureDetails),
      });
    case 'SubOrchestrationInstanceCreated':
      return definedColumns({ ...common, Name: event.name, Version: event.version, InstanceId: event.instanceId, Input: event.input });
    case 'TimerCreated':
      return definedColumns({ ...common, FireAt: toDateColumn(event.fireAt) });
    case 'TimerFired':
      return definedColumns({ ...common, TimerId: toInt32Column(event.timerId), FireAt: toDateColumn(event.fireAt) });
    case 'OrchestratorStarted':
    case 'OrchestratorCompleted':
      return definedColumns(common);
    case 'EventSent':
      return definedColumns({ ...common, InstanceId: event.instanceId, Name: event.name, Input: event.input });
    case 'EventRaised':
      return definedColumns({ ...common, Name: event.name, Input: event.input });
    case 'GenericEvent':
      return definedColumns({ ...common, Data: event.data });
    case 'ExecutionSuspended':
    case 'ExecutionResumed':
      return definedColumns({ ...common, Reason: event.reason });
    case 'ExecutionRewound':
      return definedColumns({ ...common, Reason: event.reason, ParentExecutionId: event.parentExecutionId });
    default:
      return assertNever(event, 'history event');
  }
}

/** Thrown when a row lacks a column its EventType requires; the message names both. */
export class HistoryRowError extends Error {
  override name = 'HistoryRowError';
}

function need<T>(value: T | undefined, row: HistoryRow, column: string): T {
  if (value === undefined) throw new HistoryRowError(`${row.EventType} row has no ${column}`);
  return value;
}

/** `{key: value}` without the undefined members, so optional domain fields stay absent. */
function present<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Convert a parsed row (large columns already fetched back) to the domain event.
 * @param fallback identity used when an ExecutionStarted row omits `OrchestrationInstance` (DTFx allows it).
 */
export function historyRowToEvent(row: HistoryRow, fallback: { instanceId: string; executionId: string }): HistoryEvent {
  const base = { eventId: row.EventId, isPlayed: row.IsPlayed, timestamp: row._Timestamp.toISOString() };
  const failureDetails = row.FailureDetails ? failureFromJson(row.FailureDetails) : undefined;
  switch (row.EventType) {
    case 'ExecutionStarted': {
      const parent = row.ParentInstance;
      return present({
        ...base,
        type: 'ExecutionStarted' as const,
        name: need(row.Name, row, 'Name'),
        version: row.Version ?? '',
        input: row.Input,
        instanceId: row.OrchestrationInstance?.InstanceId ?? fallback.instanceId,
        executionId: row.OrchestrationInstance?.ExecutionId ?? row.ExecutionId ?? fallback.executionId,
        parent: parent
          ? {
              name: parent.Name ?? '',
              version: parent.Version ?? '',
              taskScheduleId: parent.TaskScheduleId,
              instanceId: parent.OrchestrationInstance.InstanceId,
              executionId: parent.OrchestrationInstance.ExecutionId ?? '',
            }
          : undefined,
        tags: row.Tags,
        scheduledStartTime: row.ScheduledStartTime?.toISOString(),
        generation: row.Generation,
      });
    }
    case 'ExecutionCompleted':
      return present({ ...base, type: 'ExecutionCompleted' as const, orchestrationStatus: need(row.OrchestrationStatus, row, 'OrchestrationStatus'), result: row.Result, failureDetails });
    case 'ContinueAsNew':
      return present({ ...base, type: 'ContinueAsNew' as const, result: row.Result });
    case 'ExecutionTerminated':
      return present({ ...base, type: 'ExecutionTerminated' as const, input: row.Input });
    case 'TaskScheduled':
      return present({ ...base, type: 'TaskScheduled' as const, name: need(row.Name, row, 'Name'), version: row.Version ?? '', input: row.Input });
    case 'TaskCompleted':
    case 'SubOrchestrationInstanceCompleted':
      return present({ ...base, type: row.EventType, taskScheduledId: need(row.TaskScheduledId, row, 'TaskScheduledId'), result: row.Result });
    case 'TaskFailed':
    case 'SubOrchestrationInstanceFailed':
      return present({
        ...base,
        type: row.EventType,
        taskScheduledId: need(row.TaskScheduledId, row, 'TaskScheduledId'),
        reason: row.Reason,
        details: row.Details,
        failureDetails,
      });
    case 'SubOrchestrationInstanceCreated':
      return present({
        ...base,
        type: 'SubOrchestrationInstanceCreated' as const,
        name: need(row.Name, row, 'Name'),
        version: row.Version ?? '',
        instanceId: need(row.InstanceId, row, 'InstanceId'),
        input: row.Input,
      });
    case 'TimerCreated':
      return { ...base, type: 'TimerCreated', fireAt: need(row.FireAt, row, 'FireAt').toISOString() };
    case 'TimerFired':
      return { ...base, type: 'TimerFired', timerId: need(row.TimerId, row, 'TimerId'), fireAt: need(row.FireAt, row, 'FireAt').toISOString() };
    case 'OrchestratorStarted':
    case 'OrchestratorCompleted':
      return { ...base, type: row.EventType };
    case 'EventSent':
      return present({ ...base, type: 'EventSent' as const, instanceId: need(row.InstanceId, row, 'InstanceId'), name: need(row.Name, row, 'Name'), input: row.Input });
    case 'EventRaised':
      return present({ ...base, type: 'EventRaised' as const, name: need(row.Name, row, 'Name'), input: row.Input });
    case 'GenericEvent':
      return present({ ...base, type: 'GenericEvent' as const, data: row.Data });
    case 'ExecutionSuspended':
    case 'ExecutionResumed':
      return present({ ...base, type: row.EventType, reason: row.Reason });
    case 'ExecutionRewound':
      return present({ ...base, type: 'ExecutionRewound' as const, reason: row.Reason, parentExecutionId: row.ParentExecutionId });
    case 'ExecutionFailed':
    case 'HistoryState':
      // Written by no DTFx version we interoperate with (ExecutionFailed is reserved; HistoryState is a
      // DTFx-internal snapshot), and the domain union has no place for them.
      throw new HistoryRowError(`${row.EventType} rows are not supported`);
    default:
      return assertNever(row.EventType, 'event type');
  }
}

/** Parse raw columns (as the SDK returns them) into a domain event. */
export function parseHistoryRow(columns: Record<string, unknown>, fallback: { instanceId: string; executionId: string }): HistoryEvent {
  return historyRowToEvent(HistoryRowSchema.parse(columns), fallback);
}

/** The column names that may hold a large payload (DTFx `MaxTablePropertySizeInBytes` applies to these). */
export const HISTORY_PAYLOAD_COLUMNS = ['Name', 'Input', 'Result', 'Reason', 'Details', 'FailureDetails', 'Tags', 'Data'] as const;
