/**
 * New work of an episode: for each newly allocated sequence number, the scheduling event the
 * extension appends (durable-protocol.md B.8) and the outbound work the engine carries out.
 */
import { EntityMessageName, isEntityInstanceId, type RequestMessage, type RequestSequence } from './entity-messages.js';
import { isRequestEventName } from './entity-turn-plan.js';
import type { HistoryEvent, ParentInstance } from './history-event.js';
import { defaultSubOrchestrationId, entityRequestId, outboundMessageId } from './orchestration-ids.js';
import type { AllocatedOp } from './replay-tasks.js';
import type { InstanceMessage, OutboundWork } from './work.js';

/** The built-in activity behind `callHttp` (the engine performs the request). */
export const HTTP_ACTIVITY_NAME = 'BuiltIn::HttpActivity';

/** Who is scheduling: the identity of the current execution. */
export interface SchedulingContext {
  instanceId: string;
  executionId: string;
  name: string;
  version: string;
  /** host.json `defaultVersion`, for sub-orchestrations started without a version. */
  defaultVersion?: string;
  /** ISO time of this episode. */
  timestamp: string;
  /**
   * Event id of the newest request this execution sent to each entity (from {@link lastRequestsByEntity}),
   * so each request names its predecessor for the entity's de-duplication. Scheduling updates it.
   */
  lastRequestTo?: Map<string, number>;
  /** The sender's turn number, carried by entity requests (`seq.turn`) so entities can forget older executions. */
  turn?: number;
}

export interface ScheduledOp {
  event: HistoryEvent;
  work: OutboundWork;
}

/**
 * The JS pre-encodes string inputs of activities (and continueAsNew): the action's `input` is then
 * already JSON text. Other values are raw JSON values. Returns the JSON text the callee receives,
 * so that the activity sees the original value (decoded exactly once, B.8).
 */
export function preEncodedInputText(input: unknown): string | undefined {
  // A null input reaches the activity as no data at all, i.e. `undefined` (durable-protocol.md D).
  if (input === undefined || input === null) return undefined;
  return typeof input === 'string' ? input : JSON.stringify(input);
}

/** A raw JSON value as JSON text; undefined stays absent. */
export function rawInputText(input: unknown): string | undefined {
  return input === undefined ? undefined : JSON.stringify(input);
}

/** Build the scheduling event and work for one new op. */
export function scheduleOp(op: AllocatedOp, ctx: SchedulingContext): ScheduledOp {
  const base = { eventId: op.seq, isPlayed: false, timestamp: ctx.timestamp };
  const spec = op.spec;
  switch (spec.kind) {
    case 'activity': {
      // TaskScheduled.Input is the extension's JSON array `[<action input>]`.
      const input = preEncodedInputText(spec.input);
      return {
        event: { ...base, type: 'TaskScheduled', name: spec.name, version: '', input: JSON.stringify([spec.input ?? null]) },
        work: { kind: 'activity', taskId: op.seq, name: spec.name, ...(input === undefined ? {} : { input }) },
      };
    }
    case 'http': {
      const input = JSON.stringify(spec.request);
      return {
        event: { ...base, type: 'TaskScheduled', name: HTTP_ACTIVITY_NAME, version: '', input: `[${input}]` },
        work: { kind: 'activity', taskId: op.seq, name: HTTP_ACTIVITY_NAME, input },
      };
    }
    case 'timer':
      return {
        event: { ...base, type: 'TimerCreated', fireAt: spec.fireAt },
        work: { kind: 'timer', timerId: op.seq, fireAt: spec.fireAt },
      };
    case 'subOrchestration': {
      const instanceId = spec.instanceId ?? defaultSubOrchestrationId(ctx.executionId, op.seq);
      const version = spec.version ?? ctx.defaultVersion ?? '';
      const input = rawInputText(spec.input);
      const parent: ParentInstance = { name: ctx.name, version: ctx.version, taskScheduleId: op.seq, instanceId: ctx.instanceId, executionId: ctx.executionId };
      return {
        event: { ...base, type: 'SubOrchestrationInstanceCreated', name: spec.name, version, instanceId, ...(input === undefined ? {} : { input }) },
        work: { kind: 'startSubOrchestration', taskId: op.seq, name: spec.name, instanceId, version, parent, ...(input === undefined ? {} : { input }) },
      };
    }
    case 'entityCall':
    case 'signal': {
      const input = rawInputText(spec.input);
      const request: RequestMessage = {
        op: spec.operation,
        ...(spec.kind === 'signal' ? { signal: true } : {}),
        ...(input === undefined ? {} : { input }),
        id: entityRequestId(ctx.instanceId, ctx.executionId, op.seq),
        parent: ctx.instanceId,
        parentExecution: ctx.executionId,
        ...(spec.kind === 'signal' && spec.due ? { due: spec.due } : {}),
        Timestamp: ctx.timestamp,
        seq: requestSequence(ctx, spec.target, op.seq),
      };
      const name = spec.kind === 'signal' && spec.due ? `${EntityMessageName.Request}@${spec.due}` : EntityMessageName.Request;
      return entityMessage(op.seq, spec.target, name, JSON.stringify(request), ctx);
    }
    case 'lock': {
      const first = spec.lockSet[0];
      const target = first ? `@${first.name.toLowerCase()}@${first.key}` : '';
      const request: RequestMessage = {
        id: spec.lockRequestId,
        parent: ctx.instanceId,
        parentExecution: ctx.executionId,
        lockset: spec.lockSet,
        pos: 0,
        Timestamp: ctx.timestamp,
        seq: requestSequence(ctx, target, op.seq),
      };
      return entityMessage(op.seq, target, EntityMessageName.Request, JSON.stringify(request), ctx);
    }
    case 'release':
      return entityMessage(op.seq, spec.target, EntityMessageName.Release, JSON.stringify({ parent: ctx.instanceId, id: spec.lockRequestId }), ctx);
  }
}

/**
 * The newest request (`op`, `op@<time>`; not `release`) the execution sent to each entity, by
 * event id, read from its history (EventSent events).
 */
export function lastRequestsByEntity(history: readonly HistoryEvent[]): Map<string, number> {
  const last = new Map<string, number>();
  for (const e of history) {
    if (e.type !== 'EventSent' || !isEntityInstanceId(e.instanceId) || !isRequestEventName(e.name)) continue;
    last.set(e.instanceId, Math.max(last.get(e.instanceId) ?? e.eventId, e.eventId));
  }
  return last;
}

/** The request's place in this execution's stream: its event id and the previous request's to the same entity. */
function requestSequence(ctx: SchedulingContext, target: string, seq: number): RequestSequence {
  const prev = ctx.lastRequestTo?.get(target);
  ctx.lastRequestTo?.set(target, seq);
  return { n: seq, ...(prev !== undefined ? { prev } : {}), ...(ctx.turn !== undefined ? { turn: ctx.turn } : {}) };
}

/** EventSent(k) in history, and the same request as an EventRaised message to the entity. */
function entityMessage(seq: number, target: string, name: string, input: string, ctx: SchedulingContext): ScheduledOp {
  const message: InstanceMessage = {
    messageId: outboundMessageId(ctx.instanceId, ctx.executionId, seq),
    targetInstanceId: target,
    event: { type: 'EventRaised', eventId: -1, isPlayed: false, timestamp: ctx.timestamp, name, input },
    sender: ctx.instanceId,
  };
  return {
    event: { type: 'EventSent', eventId: seq, isPlayed: false, timestamp: ctx.timestamp, instanceId: target, name, input },
    work: { kind: 'message', message },
  };
}
