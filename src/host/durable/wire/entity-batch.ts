/**
 * The entity wire formats: the batch the host hands an entity function and the state it returns
 * (durable-protocol.md C.2), and the scheduler state stored as an entity's Instances `Input`
 * (taskhub-layout.md section 4, DF 2.x `SchedulerState`, Newtonsoft with defaults omitted).
 * @see https://github.com/Azure/azure-functions-durable-extension/blob/v2.13.7/src/WebJobs.Extensions.DurableTask/Bindings/EntityTriggerAttributeBindingProvider.cs
 * @see https://github.com/Azure/azure-functions-durable-extension/blob/v2.13.7/src/WebJobs.Extensions.DurableTask/EntityScheduler/SchedulerState.cs
 */
import { z } from 'zod';
import { EntityIdSchema, RequestMessageSchema } from '../core/entity-messages.js';
import type { RpcTypedData } from '../../worker/rpc-types.js';

/** One operation of a batch as the JS `Entity` reads it: `input` is JSON text or null. */
export const EntityBatchOperationSchema = z.object({
  name: z.string(),
  input: z.string().nullable(),
  isSignal: z.boolean(),
});
export type EntityBatchOperation = z.infer<typeof EntityBatchOperationSchema>;

/**
 * The entity trigger value. The JS requires own properties `self`, `exists` and `batch`;
 * `self.name` is the lower-cased name of the scheduler id, as the extension derives it.
 */
export const EntityBatchInputSchema = z.object({
  self: EntityIdSchema,
  exists: z.boolean(),
  /** The stored entity state as JSON text, null when there is none. */
  state: z.string().nullable(),
  batch: z.array(EntityBatchOperationSchema),
});
export type EntityBatchInput = z.infer<typeof EntityBatchInputSchema>;

/** `OperationResult` of durable-functions: `result` is JSON text (absent when the operation returned nothing). */
export const EntityOperationResultSchema = z.object({
  isError: z.boolean(),
  duration: z.number().optional(),
  startTime: z.number().optional(),
  result: z.string().nullish(),
});
export type EntityOperationResult = z.infer<typeof EntityOperationResultSchema>;

/**
 * A signal an operation sent to another entity. `target` keeps the case the user wrote (it is
 * the JS `EntityId`), so the receiver id must be normalised; `input` is `""` for falsy inputs.
 */
export const EntitySignalSchema = z.object({
  target: EntityIdSchema,
  name: z.string(),
  input: z.string().nullish(),
  requestId: z.string().nullish(),
  requestTime: z.number().nullish(),
});
export type EntitySignal = z.infer<typeof EntitySignalSchema>;

/** The JS `EntityState`, returned by the entity function. */
export const EntityBatchOutputSchema = z.object({
  results: z.array(EntityOperationResultSchema),
  signals: z.array(EntitySignalSchema).default([]),
  entityExists: z.boolean(),
  /** JSON text; absent (or null) after `destructOnExit` or when no state was ever set. */
  entityState: z.string().nullish(),
});
export type EntityBatchOutput = z.infer<typeof EntityBatchOutputSchema>;

/** Trigger data for an entity invocation (A.6: the batch as a JSON string). */
export function entityBatchTriggerData(input: EntityBatchInput): RpcTypedData {
  return { string: JSON.stringify(input) };
}

/** Validates what an entity function returned (already read from its typed data). */
export function parseEntityBatchOutput(value: unknown): EntityBatchOutput {
  return EntityBatchOutputSchema.parse(value);
}

/** One sender's de-duplication record (our addition to the sorter; see entity-dedup.ts). */
export const ReceivedIdsJsonSchema = z.object({
  /** When the newest request from this sender was received (ISO). */
  Last: z.string(),
  /** Ids of the newest requests received from this sender, oldest first. */
  Ids: z.array(z.string()),
});

/** One sender stream's record of received requests (ours; see entity-dedup.ts). */
export const SequenceRecordJsonSchema = z.object({
  Sender: z.string(),
  /** Orchestration streams: the sender's execution id. */
  Execution: z.string().optional(),
  /** Entity streams: the sender's turn the chain belongs to. */
  Turn: z.number().int().optional(),
  /** Orchestration streams: the newest sender turn a request of this execution came from. */
  LastTurn: z.number().int().optional(),
  /** When the newest request of the stream was received (ISO). */
  Last: z.string(),
  /** Sequence number of the newest request of the unbroken chain received. */
  UpTo: z.number().int().optional(),
  /** Requests received ahead of a gap in the chain. */
  Above: z.array(z.object({ N: z.number().int(), Prev: z.number().int().optional() })).optional(),
});
export type SequenceRecordJson = z.infer<typeof SequenceRecordJsonSchema>;

/**
 * DF 2.x `MessageSorter`. Its own keys (`LastSentToInstance`, `ReceivedFromInstance`, ...) are kept
 * as they are; `ReceivedRequestIds` (request ids, written before requests carried sequence
 * numbers) and `ReceivedSequences` are ours. The extension's sorter is opt-in serialised, so it
 * ignores a key it does not know.
 */
export const SorterJsonSchema = z.looseObject({
  ReceivedRequestIds: z.record(z.string(), ReceivedIdsJsonSchema).optional(),
  ReceivedSequences: z.array(SequenceRecordJsonSchema).optional(),
});
export type SorterJson = z.infer<typeof SorterJsonSchema>;

/**
 * The serialised scheduler state. `scheduled` is ours: signals whose `due` time has not come yet
 * (the extension re-sends such messages to itself with a delay; we keep them here instead).
 */
export const SchedulerStateJsonSchema = z.looseObject({
  exists: z.boolean().optional(),
  state: z.string().nullish(),
  queue: z.array(RequestMessageSchema).nullish(),
  lockedBy: z.string().nullish(),
  /** Ours: the id of the lock request that holds the lock, so a stale release cannot free a later lock. */
  lockId: z.string().nullish(),
  suspended: z.boolean().optional(),
  scheduled: z.array(RequestMessageSchema).nullish(),
  sorter: SorterJsonSchema.nullish(),
});
export type SchedulerStateJson = z.infer<typeof SchedulerStateJsonSchema>;

/** The entity status stored as the Instances row `CustomStatus` (DF `EntityStatus`, defaults omitted). */
export interface EntityStatusJson {
  entityExists?: true;
  queueSize?: number;
  lockedBy?: string;
}
