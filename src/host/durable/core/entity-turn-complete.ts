/**
 * The second half of an entity turn: apply what the entity function returned (or its failure)
 * to the scheduler state, answer the callers, send the signals, and grant a planned lock.
 * No rollback: the state the function returned stands even when an operation threw (I.11).
 * @see durable-protocol.md C.2, C.4, C.6
 */
import { LOCK_ACQUIRED_RESULT, entityInstanceId, type ResponseMessage } from './entity-messages.js';
import { ENTITY_OPERATION_EXCEPTION_TYPE, EntityOutbox } from './entity-outbound.js';
import {
  cloneSchedulerState,
  entityStatusJson,
  isSchedulerIdle,
  serializeSchedulerState,
  type SchedulerState,
} from './entity-scheduler-state.js';
import { mayDequeue, nextDueAt, type EntityTurnPlan } from './entity-turn-plan.js';
import type { OutboundWork } from './work.js';
import type { EntityBatchOutput } from '../wire/entity-batch.js';

/** How the entity function invocation ended. */
export type EntityBatchOutcome =
  | { type: 'completed'; output: EntityBatchOutput }
  /** The function failed as a whole (threw outside an operation, or the invocation failed). */
  | { type: 'failed'; error: { name?: string; message: string } };

/** Options of {@link completeEntityTurn}. */
export interface CompleteEntityTurnOptions {
  now: Date;
  /**
   * This entity's turn number (the engine's sentinel `TurnNumber`): outbound message ids are
   * `<entity>|<turn>|<i>`, so they must differ between turns and repeat when a turn is redone.
   */
  turn: number;
}

/** The entity's Instances row fields after the turn. */
export interface EntityInstanceFields {
  /** `Name` of an entity row is its full scheduler id. */
  name: string;
  /** `Input`: the serialised scheduler state. */
  input: string;
  /** `CustomStatus`: the entity status JSON. */
  customStatus: string;
  entityExists: boolean;
}

export interface EntityTurnResult {
  state: SchedulerState;
  /** Responses, signals and lock messages, all `kind: 'message'`, in send order. */
  work: OutboundWork[];
  instance: EntityInstanceFields;
  /**
   * Nothing is left (no entity, no queue, no lock, no scheduled signal): the extension removes
   * such a scheduler instance, and so may the engine.
   */
  deleted: boolean;
  /** Requests are runnable right now (the batch hit its size limit): run another turn. */
  moreWork: boolean;
  /** When the earliest scheduled signal comes due (ISO): set a timer for a turn then. */
  nextDueAt?: string;
  /** Operations of the batch that failed (an error response or a signal that threw). */
  failedOperations: number;
}

/**
 * Finishes a planned turn. Pass the batch outcome when the plan had a batch, `undefined` otherwise.
 * The plan's state is not changed.
 * @throws Error when the plan had a batch and no outcome was given
 */
export function completeEntityTurn(plan: EntityTurnPlan, outcome: EntityBatchOutcome | undefined, options: CompleteEntityTurnOptions): EntityTurnResult {
  if (plan.operations.length > 0 && !outcome) throw new Error(`entity turn of ${plan.instanceId} has a batch but no outcome`);
  const s = cloneSchedulerState(plan.state);
  const outbox = new EntityOutbox(plan.instanceId, options.turn, options.now);
  let failedOperations = 0;

  if (outcome?.type === 'completed') {
    const { output } = outcome;
    s.exists = output.entityExists;
    if (output.entityExists && output.entityState !== null && output.entityState !== undefined) s.state = output.entityState;
    else delete s.state;
    plan.operations.forEach((request, i) => {
      const result = output.results[i];
      if (!result || result.isError) failedOperations++;
      if (request.signal) return;
      outbox.respond(request, responseFor(result));
    });
    for (const signal of output.signals) outbox.signal(signal);
  } else if (outcome?.type === 'failed') {
    // Every caller learns the batch failed; the entity keeps the state it had before the batch.
    const response: ResponseMessage = {
      result: JSON.stringify(outcome.error.message),
      exceptionType: outcome.error.name || ENTITY_OPERATION_EXCEPTION_TYPE,
    };
    failedOperations = plan.operations.length;
    for (const request of plan.operations) if (!request.signal) outbox.respond(request, response);
  }

  const lock = plan.lockRequest;
  if (lock?.parent && lock.lockset) {
    // The lock is taken after the batch's operations; the last entity of the set answers the caller.
    s.lockedBy = lock.parent;
    s.lockId = lock.id;
    const next = lock.lockset[(lock.pos ?? 0) + 1];
    if (next) outbox.forwardLock(lock, entityInstanceId(next));
    else outbox.respond(lock, { result: LOCK_ACQUIRED_RESULT });
  }

  const due = nextDueAt(s);
  return {
    state: s,
    work: outbox.messages.map((message) => ({ kind: 'message', message })),
    instance: { name: plan.instanceId, input: serializeSchedulerState(s), customStatus: entityStatusJson(s), entityExists: s.exists },
    deleted: isSchedulerIdle(s),
    moreWork: mayDequeue(s),
    ...(due ? { nextDueAt: due } : {}),
    failedOperations,
  };
}

function responseFor(result: EntityBatchOutput['results'][number] | undefined): ResponseMessage {
  if (!result) return { result: JSON.stringify('the entity function returned no result for this operation'), exceptionType: ENTITY_OPERATION_EXCEPTION_TYPE };
  const text = result.result ?? undefined;
  if (result.isError) return { ...(text !== undefined ? { result: text } : {}), exceptionType: ENTITY_OPERATION_EXCEPTION_TYPE };
  return text !== undefined ? { result: text } : {};
}
