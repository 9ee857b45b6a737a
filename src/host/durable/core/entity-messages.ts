/**
 * The messages entities exchange with orchestrations and clients: requests (`op`, `release`)
 * and responses (an EventRaised named by the request id). JSON field names are the extension's.
 * @see durable-protocol.md C.4; azure-functions-durable-extension EntityScheduler/RequestMessage.cs, ResponseMessage.cs
 */
import { z } from 'zod';

/** Event names of entity messages (EntityMessageEventNames.cs). */
export const EntityMessageName = {
  Request: 'op',
  Release: 'release',
} as const;

export const EntityIdSchema = z.object({ name: z.string(), key: z.string() });
export type EntityId = z.infer<typeof EntityIdSchema>;

/**
 * Ours (the extension and the JS never read it): where a request stands in its sender's stream, so
 * the entity drops re-deliveries exactly (entity-dedup.ts). An orchestration's stream is one
 * execution (`parent`, `parentExecution`), numbered by the EventSent event id; an entity's stream
 * is the sender itself, numbered by turn and by the message's index in that turn.
 */
export const RequestSequenceSchema = z.object({
  /** The orchestration's event id of this request, or the index of the message in the sending entity's turn. */
  n: z.number().int().nonnegative(),
  /**
   * `n` of the sender's previous request to the same entity (same execution; for entities, the
   * same turn); absent for the first. The chain lets the receiver tell a gap from a duplicate.
   */
  prev: z.number().int().nonnegative().optional(),
  /** Entity senders: the sender's scheduler id (a forwarded lock request keeps its orchestration `parent`). */
  from: z.string().optional(),
  /**
   * The sender's turn number (its sentinel `TurnNumber`). Entity senders: a newer turn supersedes
   * older ones. Orchestration senders: it outlives continue-as-new, so a request of a later turn
   * tells the entity that the instance's older executions will send nothing more (entity-dedup.ts).
   */
  turn: z.number().int().nonnegative().optional(),
});
export type RequestSequence = z.infer<typeof RequestSequenceSchema>;

export const RequestMessageSchema = z.object({
  /** Operation name; absent for lock requests. */
  op: z.string().optional(),
  signal: z.boolean().optional(),
  /** Operation input as JSON text. */
  input: z.string().nullish(),
  /** Request id: GUID; the response is an EventRaised with this name. */
  id: z.string(),
  /** Instance id of the requesting orchestration (or entity, for signals between entities). */
  parent: z.string().nullish(),
  parentExecution: z.string().nullish(),
  /** Scheduled signals: when to deliver (ISO). */
  due: z.string().nullish(),
  /** Lock requests: the whole lock set, sorted; `pos` is the index of the entity this message is for. */
  lockset: z.array(EntityIdSchema).nullish(),
  pos: z.number().int().nullish(),
  Timestamp: z.string().optional(),
  Predecessor: z.string().optional(),
  /** Ours: the request's place in its sender's stream (absent in requests sent before it existed). */
  seq: RequestSequenceSchema.optional(),
});
export type RequestMessage = z.infer<typeof RequestMessageSchema>;

export const ReleaseMessageSchema = z.object({ parent: z.string(), id: z.string() });
export type ReleaseMessage = z.infer<typeof ReleaseMessageSchema>;

export const ResponseMessageSchema = z.object({
  /** The operation result as JSON text; absent when the operation returned nothing. */
  result: z.string().optional(),
  /** Set when the operation failed. */
  exceptionType: z.string().optional(),
});
export type ResponseMessage = z.infer<typeof ResponseMessageSchema>;

/** Scheduler id of an entity: `@<name lower-cased>@<key>` (EntityId.cs). */
export function entityInstanceId(id: EntityId): string {
  return `@${id.name.toLowerCase()}@${id.key}`;
}

/** Parse `@name@key`; only the first `@` after position 0 splits, keys may contain `@`. */
export function parseEntityInstanceId(instanceId: string): EntityId | undefined {
  if (!instanceId.startsWith('@')) return undefined;
  const at = instanceId.indexOf('@', 1);
  if (at === -1) return undefined;
  return { name: instanceId.slice(1, at), key: instanceId.slice(at + 1) };
}

export function isEntityInstanceId(instanceId: string): boolean {
  return parseEntityInstanceId(instanceId) !== undefined;
}

/** The lock message for the result of a lock acquisition (the JS ignores the text). */
export const LOCK_ACQUIRED_RESULT = 'Lock Acquisition Completed';
