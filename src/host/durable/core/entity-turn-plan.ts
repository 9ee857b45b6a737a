/**
 * The first half of an entity turn: take the entity's new messages into its scheduler state and
 * decide which requests run now. Mirrors the extension's `EntityMiddleware` step 1-2: requests
 * queue in arrival order, the lock holder's requests jump the queue, a release unlocks, and a
 * batch stops at a lock request or at the size limit.
 * @see durable-protocol.md C.2, C.4, C.6
 * @see https://github.com/Azure/azure-functions-durable-extension/blob/v2.13.7/src/WebJobs.Extensions.DurableTask/DurableTaskExtension.cs (EntityMiddleware)
 */
import { expireSenders, orderWithinStreams, receiveOnce, streamPosition, type DedupOptions } from './entity-dedup.js';
import {
  EntityMessageName,
  ReleaseMessageSchema,
  RequestMessageSchema,
  parseEntityInstanceId,
  type EntityId,
  type ReleaseMessage,
  type RequestMessage,
} from './entity-messages.js';
import { cloneSchedulerState, type SchedulerState } from './entity-scheduler-state.js';
import type { InstanceMessage } from './work.js';
import type { EntityBatchInput } from '../wire/entity-batch.js';
import { parseJsonText } from '../wire/instance-row.js';

/** Options of {@link planEntityTurn}. */
export interface PlanEntityTurnOptions {
  /** The entity's scheduler id, `@name@key`. */
  instanceId: string;
  /** The time of this turn: scheduled signals due by then run. */
  now: Date;
  /** Most operations per batch; the rest wait for the next turn (`moreWork`). @default 100 */
  maxBatchSize?: number;
  dedup?: DedupOptions;
}

export const DEFAULT_MAX_BATCH_SIZE = 100;

/** Why a message did not become a request. */
export const DroppedReason = {
  Duplicate: 'duplicate',
  Invalid: 'invalid',
  NotForEntities: 'not-an-entity-message',
} as const;
export type DroppedReason = (typeof DroppedReason)[keyof typeof DroppedReason];

export interface DroppedMessage {
  messageId: string;
  reason: DroppedReason;
  detail?: string;
}

/** What a turn decided to run; hand it to {@link completeEntityTurn} with the batch's outcome. */
export interface EntityTurnPlan {
  instanceId: string;
  self: EntityId;
  /**
   * The scheduler state with this turn's messages received and the batch taken off the queue.
   * Its `exists`/`state` are still those before the batch.
   */
  state: SchedulerState;
  /** The requests of the batch, aligned with `batch.batch`. */
  operations: RequestMessage[];
  /** A lock request that runs after the operations. */
  lockRequest?: RequestMessage;
  /** Messages that were consumed without becoming a request. */
  dropped: DroppedMessage[];
}

export interface PlannedEntityTurn {
  /** The entity function's input, or undefined when no operation runs (nothing to invoke). */
  batch: EntityBatchInput | undefined;
  plan: EntityTurnPlan;
}

/**
 * Receives `messages` (EventRaised `op`, `op@<time>` or `release`, in arrival order; TimerFired
 * wake-ups for scheduled signals) into a copy of `state` and picks the batch. Every message is
 * consumed. The input state is not changed.
 * @throws Error when `instanceId` is not an entity scheduler id
 */
export function planEntityTurn(state: SchedulerState, messages: readonly InstanceMessage[], options: PlanEntityTurnOptions): PlannedEntityTurn {
  const self = parseEntityInstanceId(options.instanceId);
  if (!self) throw new Error(`not an entity instance id: ${options.instanceId}`);
  const s = cloneSchedulerState(state);
  const now = options.now.getTime();
  const dropped: DroppedMessage[] = [];
  const lockHolder: RequestMessage[] = [];

  const enqueue = (request: RequestMessage): void => {
    if (s.lockedBy !== undefined && s.lockedBy === request.parent) lockHolder.push(request);
    else s.queue.push(request);
  };

  // Scheduled signals that have come due join first: they were due before anything in this turn arrived.
  const due = s.scheduled.filter((r) => dueTime(r) <= now);
  s.scheduled = s.scheduled.filter((r) => dueTime(r) > now);
  for (const request of due) enqueue(request);

  // Requests of one sender stream run in the order sent, whatever order storage listed them in.
  const received = orderWithinStreams(messages.map(readMessage), (m) => (m.kind === 'request' ? streamPosition(m.request) : undefined));
  for (const m of received) {
    switch (m.kind) {
      case 'dropped':
        dropped.push(m.dropped);
        continue;
      case 'wake':
        continue;
      case 'release':
        // The extension checks the holder only; we also check the lock id when we know it, so a
        // release re-delivered after the same orchestration locked again does not free the new lock.
        if (s.lockedBy === m.release.parent && (s.lockId === undefined || s.lockId === m.release.id)) {
          delete s.lockedBy;
          delete s.lockId;
        }
        continue;
      case 'request': {
        const { request } = m;
        if (!receiveOnce(s, request, options.now, options.dedup)) {
          dropped.push({ messageId: m.messageId, reason: DroppedReason.Duplicate, detail: request.id });
          continue;
        }
        if (request.due && dueTime(request) > now) {
          insertScheduled(s.scheduled, request);
          continue;
        }
        enqueue(request);
      }
    }
  }
  expireSenders(s, options.dedup);
  // The lock holder's requests go to the front of the queue (the extension's PutBack).
  s.queue = [...lockHolder, ...s.queue];

  const limit = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
  const operations: RequestMessage[] = [];
  let lockRequest: RequestMessage | undefined;
  while (operations.length < limit && mayDequeue(s)) {
    const next = s.queue.shift() as RequestMessage;
    if (next.lockset) {
      lockRequest = next;
      break;
    }
    operations.push(next);
  }

  const plan: EntityTurnPlan = { instanceId: options.instanceId, self, state: s, operations, dropped, ...(lockRequest ? { lockRequest } : {}) };
  const batch: EntityBatchInput | undefined =
    operations.length === 0
      ? undefined
      : {
          self,
          exists: s.exists,
          state: s.state ?? null,
          batch: operations.map((r) => ({ name: r.op ?? '', input: r.input ?? null, isSignal: r.signal === true })),
        };
  return { batch, plan };
}

/** A message as the plan takes it in. */
type ReadMessage =
  | { kind: 'request'; messageId: string; request: RequestMessage }
  | { kind: 'release'; release: ReleaseMessage }
  /** A durable timer fired for a scheduled signal: it only wakes the entity (the due signals join the turn). */
  | { kind: 'wake' }
  | { kind: 'dropped'; dropped: DroppedMessage };

function readMessage(message: InstanceMessage): ReadMessage {
  const { event } = message;
  const drop = (reason: DroppedReason, detail: string): ReadMessage => ({ kind: 'dropped', dropped: { messageId: message.messageId, reason, detail } });
  if (event.type === 'TimerFired') return { kind: 'wake' };
  if (event.type !== 'EventRaised') return drop(DroppedReason.NotForEntities, event.type);
  if (event.name === EntityMessageName.Release) {
    const release = parseJsonText(ReleaseMessageSchema, event.input);
    return release ? { kind: 'release', release } : drop(DroppedReason.Invalid, 'release');
  }
  if (!isRequestEventName(event.name)) return drop(DroppedReason.NotForEntities, event.name);
  const request = parseJsonText(RequestMessageSchema, event.input);
  if (!request || (request.op === undefined && !request.lockset)) return drop(DroppedReason.Invalid, 'request');
  return { kind: 'request', messageId: message.messageId, request };
}

/** Whether the head of the queue may run: nothing is locked, or the lock holder sent it. */
export function mayDequeue(state: SchedulerState): boolean {
  const head = state.queue[0];
  return head !== undefined && (state.lockedBy === undefined || state.lockedBy === head.parent);
}

/** `op`, or `op@<time>` for scheduled signals (EntityMessageEventNames.IsRequestMessage). */
export function isRequestEventName(name: string): boolean {
  return name === EntityMessageName.Request || name.startsWith(`${EntityMessageName.Request}@`);
}

/** The earliest `due` time among waiting scheduled signals (ISO), if any. */
export function nextDueAt(state: SchedulerState): string | undefined {
  const first = state.scheduled[0];
  return first?.due ? new Date(dueTime(first)).toISOString() : undefined;
}

function dueTime(request: RequestMessage): number {
  if (!request.due) return Number.NEGATIVE_INFINITY;
  const t = Date.parse(request.due);
  // An unreadable time must not park a signal forever.
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

function insertScheduled(scheduled: RequestMessage[], request: RequestMessage): void {
  const t = dueTime(request);
  const at = scheduled.findIndex((r) => dueTime(r) > t);
  if (at === -1) scheduled.push(request);
  else scheduled.splice(at, 0, request);
}

