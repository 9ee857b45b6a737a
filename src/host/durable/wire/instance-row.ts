/**
 * `<Hub>Instances` rows (DTFx `OrchestrationInstanceStatus`) <-> the engine's instance records,
 * and the entity scheduler state DF keeps in an entity row's `Input`.
 * @see taskhub-layout.md sections 3 and 4
 */
import { z } from 'zod';
import { OrchestrationStatus, type OrchestrationStatusName } from '../core/history-event.js';
import { DateColumnSchema, Int32ColumnSchema, definedColumns, jsonColumn, toDateColumn, toInt32Column, type Columns } from './table-columns.js';

const statusNames = Object.keys(OrchestrationStatus) as [OrchestrationStatusName, ...OrchestrationStatusName[]];

/** Statuses after which a client may start a new instance with the same id (DTFx dedupe default). */
export const TERMINAL_STATUSES: readonly OrchestrationStatusName[] = ['Completed', 'Failed', 'Terminated', 'Canceled'];

/**
 * What the engine writes to an Instances row. Undefined members are left untouched by a merge
 * (except `customStatus`, see {@link instanceFieldsToColumns}). Times are ISO-8601 UTC strings.
 */
export interface InstanceFields {
  instanceId: string;
  name?: string;
  version?: string;
  runtimeStatus?: OrchestrationStatusName;
  /** JSON text; large values go to a blob and the column holds its URL. */
  input?: string;
  output?: string;
  /** JSON text; written as the literal `"null"` when undefined, as DTFx does on every checkpoint. */
  customStatus?: string;
  createdTime?: string;
  lastUpdatedTime?: string;
  completedTime?: string;
  scheduledStartTime?: string;
  executionId?: string;
  generation?: number;
  tags?: Record<string, string>;
  /** Ours, not DTFx's: the number of the last turn whose post-commit wrote this row (recovery compares it with the sentinel's). */
  turnNumber?: number;
}

/** An Instances row as the store reads it back (camelCase, payloads already fetched from blobs). */
export interface InstanceRecord {
  instanceId: string;
  name: string;
  version: string;
  runtimeStatus: OrchestrationStatusName;
  input?: string;
  output?: string;
  /** Undefined when the row holds `"null"` or nothing. */
  customStatus?: string;
  createdTime: string;
  lastUpdatedTime: string;
  completedTime?: string;
  scheduledStartTime?: string;
  executionId: string;
  generation: number;
  tags?: Record<string, string>;
  turnNumber?: number;
  /** The row's ETag, for a conditional replace. */
  etag: string;
}

/**
 * Columns for a merge or insert. `TaskHubName` is always written (v2 does); `CustomStatus` too,
 * defaulting to `"null"`, because DTFx readers expect the column after the first checkpoint.
 */
export function instanceFieldsToColumns(fields: InstanceFields, taskHubName: string): Columns {
  return definedColumns({
    Name: fields.name,
    Version: fields.version,
    RuntimeStatus: fields.runtimeStatus,
    Input: fields.input,
    Output: fields.output,
    CustomStatus: fields.customStatus ?? 'null',
    CreatedTime: fields.createdTime === undefined ? undefined : toDateColumn(fields.createdTime),
    LastUpdatedTime: fields.lastUpdatedTime === undefined ? undefined : toDateColumn(fields.lastUpdatedTime),
    CompletedTime: fields.completedTime === undefined ? undefined : toDateColumn(fields.completedTime),
    ScheduledStartTime: fields.scheduledStartTime === undefined ? undefined : toDateColumn(fields.scheduledStartTime),
    ExecutionId: fields.executionId,
    Generation: fields.generation === undefined ? undefined : toInt32Column(fields.generation),
    Tags: fields.tags === undefined ? undefined : JSON.stringify(fields.tags),
    TaskHubName: taskHubName,
    TurnNumber: fields.turnNumber === undefined ? undefined : toInt32Column(fields.turnNumber),
  });
}

/**
 * An Instances row as read through `@azure/data-tables`. Lenient about what DTFx may omit
 * (a Pending row written by a client has no CustomStatus/ExecutionId in v1) so that rows written
 * by DfMon's own DTFx still read.
 */
export const InstanceRowSchema = z.object({
  partitionKey: z.string(),
  etag: z.string().default(''),
  Name: z.string().default(''),
  Version: z.string().default(''),
  RuntimeStatus: z.enum(statusNames),
  Input: z.string().optional(),
  Output: z.string().optional(),
  CustomStatus: z.string().optional(),
  CreatedTime: DateColumnSchema,
  LastUpdatedTime: DateColumnSchema.optional(),
  CompletedTime: DateColumnSchema.optional(),
  ScheduledStartTime: DateColumnSchema.optional(),
  ExecutionId: z.string().default(''),
  Generation: Int32ColumnSchema.default(0),
  Tags: jsonColumn(z.record(z.string(), z.string())).optional(),
  TurnNumber: Int32ColumnSchema.optional(),
});
export type InstanceRow = z.infer<typeof InstanceRowSchema>;

/** Convert a parsed row; `instanceId` is the unescaped PartitionKey (the store owns key sanitation). */
export function instanceRowToRecord(row: InstanceRow, instanceId: string): InstanceRecord {
  const record: InstanceRecord = {
    instanceId,
    name: row.Name,
    version: row.Version,
    runtimeStatus: row.RuntimeStatus,
    createdTime: row.CreatedTime.toISOString(),
    lastUpdatedTime: (row.LastUpdatedTime ?? row.CreatedTime).toISOString(),
    executionId: row.ExecutionId,
    generation: row.Generation,
    etag: row.etag,
  };
  if (row.Input !== undefined) record.input = row.Input;
  if (row.Output !== undefined) record.output = row.Output;
  if (row.CustomStatus !== undefined && row.CustomStatus !== 'null' && row.CustomStatus !== '') record.customStatus = row.CustomStatus;
  if (row.CompletedTime) record.completedTime = row.CompletedTime.toISOString();
  if (row.ScheduledStartTime) record.scheduledStartTime = row.ScheduledStartTime.toISOString();
  if (row.Tags) record.tags = row.Tags;
  if (row.TurnNumber !== undefined) record.turnNumber = row.TurnNumber;
  return record;
}

/** The Instances columns a status query selects (DTFx `OrchestrationInstanceStatus` members plus ours). */
export const INSTANCE_COLUMNS = [
  'PartitionKey', 'Name', 'Version', 'RuntimeStatus', 'Input', 'Output', 'CustomStatus', 'CreatedTime', 'LastUpdatedTime',
  'CompletedTime', 'ScheduledStartTime', 'ExecutionId', 'Generation', 'Tags', 'TurnNumber',
] as const;

/**
 * DF 2.x scheduler state, the JSON in an entity row's `Input`. DTFx-native entities omit
 * `exists` (existence = `state` present). `state` is the entity state as JSON *text*.
 * @see azure-functions-durable-extension EntityScheduler/SchedulerState.cs
 */
export const SchedulerStateSchema = z.looseObject({
  exists: z.boolean().optional(),
  state: z.string().nullish(),
  queue: z.array(z.unknown()).nullish(),
  lockedBy: z.string().nullish(),
});
export type SchedulerState = z.infer<typeof SchedulerStateSchema>;

/**
 * DF entity status, the JSON in an entity row's `CustomStatus`. DTFx decides existence by
 * whether the text contains `entityExists`.
 * @see azure-functions-durable-extension EntityScheduler/EntityStatus.cs
 */
export const EntityStatusSchema = z.looseObject({
  entityExists: z.boolean().optional(),
  queueSize: z.number().int().optional(),
  lockedBy: z.string().nullish(),
});
export type EntityStatus = z.infer<typeof EntityStatusSchema>;

/** Parse JSON text with a schema; undefined when absent, `"null"`, or not matching. */
export function parseJsonText<T extends z.ZodType>(schema: T, text: string | undefined): z.output<T> | undefined {
  if (text === undefined || text === '' || text === 'null') return undefined;
  try {
    const result = schema.safeParse(JSON.parse(text));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
