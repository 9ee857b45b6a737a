/**
 * `agent-loop`: the eternal loop of one agent (instance `agent-<id>`). Each generation takes a batch
 * from the entity mailbox; with none it marks the agent sleeping and waits for a `wake` event or
 * the heartbeat timer; otherwise it decides on each event (inference), writes the transcript,
 * records the decision in the entity, acknowledges the batch, and continues as new.
 *
 * Deterministic: time from `context.df.currentUtcDateTime`, ids from `context.df.newGuid`, all I/O
 * in activities. The mailbox is the source of truth: a `wake` raised while a batch is processed is
 * dropped by continue-as-new, and the next generation finds the event in the mailbox anyway.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import {
  AGENT_LOOP_NAME,
  AgentActivities,
  AgentLoopEvents,
  AgentLoopInputSchema,
  AgentOps,
  PolicyStage,
  RemoteOperationError,
  clip,
  type DecideOutput,
  type EventEnvelope,
  type TakeBatchResult,
} from '../src/domain/index.js';
import { callAgent, callTypedActivity } from './durable-call.js';
import { governStep, recordDecisionRecord, refusedDecision, sealDecision, type ApprovalWaitStatus } from './governance-step.js';
import { toolStep } from './agent-tool-step.js';
import { publishStep } from './agent-publish-step.js';

/** Heartbeat of an agent whose entity does not exist yet (registration still in flight). */
const UNREGISTERED_RETRY_SECONDS = 60;

/** The loop's custom status; while a step waits for a human it is an `ApprovalWaitStatus` instead. */
export type AgentLoopCustomStatus = AgentLoopStatus | ApprovalWaitStatus;

export interface AgentLoopStatus {
  state: 'sleeping' | 'processing' | 'waiting-for-registration';
  generation: number;
  batch?: number;
  wakeAt?: string;
}

export interface AgentLoopResult {
  agentId: string;
  ended: 'terminated';
}

function eventSummary(event: EventEnvelope): string {
  const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data ?? null);
  return clip(`${event.type} from ${event.source}${event.subject ? ` about ${event.subject}` : ''}: ${data}`, 500);
}

/** Sleeps until `wake` or the heartbeat, cancelling the timer when the event wins (no timer left behind). */
function* sleepUntilWake(context: OrchestrationContext, seconds: number, status: AgentLoopStatus): Generator<Task, void, unknown> {
  const wakeAt = new Date(context.df.currentUtcDateTime.getTime() + seconds * 1000);
  context.df.setCustomStatus({ ...status, wakeAt: wakeAt.toISOString() });
  const wake = context.df.waitForExternalEvent(AgentLoopEvents.wake);
  const timer = context.df.createTimer(wakeAt);
  const winner = yield context.df.Task.any([wake, timer]);
  if (winner === wake) timer.cancel();
}

/** Inference for one event; a failure after the activity's retries becomes a recorded `failed:` decision so one bad event cannot stall the agent. */
function* decide(context: OrchestrationContext, taken: TakeBatchResult, event: EventEnvelope): Generator<Task, DecideOutput, unknown> {
  try {
    return yield* callTypedActivity(context, AgentActivities.decide, { agent: taken.agent, event });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { action: `failed:${event.type}`, rationale: clip(`inference failed: ${message}`, 1000), alignment: { score: 0, reasons: ['inference failed'] }, provider: 'none', model: 'none', tokensIn: 0, tokensOut: 0, cost: 0, cached: false };
  }
}

function* processBatch(context: OrchestrationContext, agentId: string, taken: TakeBatchResult): Generator<Task, void, unknown> {
  const done = new Set(taken.recorded);
  for (const event of taken.events) {
    if (done.has(event.id)) continue;
    // Governance (governance-step.ts): policy check and, if required, the approval wait before
    // inference; a refused step is skipped but still audited and recorded, and the agent goes on.
    const key = `${taken.token}:${event.id}`;
    const gate = yield* governStep(context, { key: `${key}:inference`, stage: PolicyStage.inference, agent: taken.agent, event });
    const decision = gate.allowed ? yield* decide(context, taken, event) : refusedDecision(event, gate);
    const auditRecordId = yield* sealDecision(context, key, agentId, event, decision, gate);
    if (gate.allowed) yield* toolStep(context, agentId, event, decision.action);
    if (gate.allowed) yield* publishStep(context, key, taken.agent, event, decision);
    const at = context.df.currentUtcDateTime.toISOString();
    const { ref } = yield* callTypedActivity(context, AgentActivities.appendTranscript, { agentId, event, decision, at });
    const memory = yield* governStep(context, { key: `${key}:memory-write`, stage: PolicyStage.memoryWrite, agent: taken.agent, event, action: { action: decision.action, rationale: decision.rationale } });
    yield* recordDecisionRecord(context, key, agentId, event, decision, auditRecordId);
    yield* callAgent(context, agentId, AgentOps.recordDecision, {
      token: taken.token,
      decision: { ...decision, eventId: event.id, eventType: event.type, at, transcriptRef: ref },
      eventSummary: memory.allowed ? eventSummary(event) : clip(`event ${event.id} withheld from memory: ${memory.reason}`, 500),
    });
  }
  yield* callAgent(context, agentId, AgentOps.acknowledgeBatch, { token: taken.token });
}

/** Brings a new agent up: created -> initialized -> running (no-ops once it is past them). */
function* bringUp(context: OrchestrationContext, agentId: string, lifecycle: TakeBatchResult['lifecycle']): Generator<Task, void, unknown> {
  if (lifecycle === 'created') yield* callAgent(context, agentId, AgentOps.setLifecycle, { to: 'initialized', reason: 'loop started' });
  if (lifecycle === 'created' || lifecycle === 'initialized') yield* callAgent(context, agentId, AgentOps.setLifecycle, { to: 'running', reason: 'loop started' });
}

function isCode(err: unknown, code: string): boolean {
  return err instanceof RemoteOperationError && err.code === code;
}

export function* agentLoop(context: OrchestrationContext): Generator<Task, AgentLoopResult | undefined, unknown> {
  const input = AgentLoopInputSchema.parse(context.df.getInput());
  const { agentId, generation } = input;
  const next = { agentId, generation: generation + 1 };
  try {
    const token = context.df.newGuid(`${context.df.instanceId}:${generation}`);
    let taken: TakeBatchResult;
    try {
      taken = yield* callAgent(context, agentId, AgentOps.takeBatch, { token });
    } catch (err) {
      if (!isCode(err, 'AGENT_NOT_FOUND')) throw err;
      yield* sleepUntilWake(context, UNREGISTERED_RETRY_SECONDS, { state: 'waiting-for-registration', generation });
      context.df.continueAsNew(next);
      return undefined;
    }
    if (taken.lifecycle === 'terminated') return { agentId, ended: 'terminated' };
    yield* bringUp(context, agentId, taken.lifecycle);
    if (taken.events.length === 0) {
      if (taken.lifecycle !== 'sleeping') yield* callAgent(context, agentId, AgentOps.setLifecycle, { to: 'sleeping', reason: 'mailbox empty' });
      yield* sleepUntilWake(context, taken.heartbeatSeconds, { state: 'sleeping', generation });
    } else {
      if (taken.lifecycle === 'sleeping') yield* callAgent(context, agentId, AgentOps.setLifecycle, { to: 'running', reason: 'events in mailbox' });
      context.df.setCustomStatus({ state: 'processing', generation, batch: taken.events.length } satisfies AgentLoopStatus);
      yield* processBatch(context, agentId, taken);
    }
  } catch (err) {
    // Terminated while a batch was in flight: the context is kept and the loop ends.
    if (isCode(err, 'AGENT_TERMINATED')) return { agentId, ended: 'terminated' };
    throw err;
  }
  context.df.continueAsNew(next);
  return undefined;
}

df.app.orchestration(AGENT_LOOP_NAME, agentLoop);
