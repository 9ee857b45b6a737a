/**
 * The loop's governance steps, kept apart from the loop so other steps (messages, tool calls) can
 * use them too:
 * - `governStep`: policy check (activity) and, when a policy requires it, the wait for a human:
 *   `Task.any([waitForExternalEvent('approval:<id>'), createTimer(timeout)])`; a timeout denies or
 *   escalates (asks once more, level 2, then denies) as the rule says. A check that fails denies.
 * - `sealDecision`: appends the decision to the agent's audit chain (activity).
 * - `recordDecisionRecord`: stores the decision record that names its audit record (activity).
 * Deterministic: orchestration time only; every I/O is an activity keyed by the step, so a retried
 * or re-taken step appends to the ledger once.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import {
  ApprovalAnswerSchema,
  ApprovalStatus,
  AuditAction,
  GovernanceActivities,
  OnTimeout,
  PolicyEffect,
  agentChainId,
  approvalEventName,
  clip,
  type AgentBrief,
  type Approval,
  type DecideOutput,
  type EventEnvelope,
  type PolicyStage,
  type PolicyVerdict,
} from '../src/domain/index.js';
import { callTypedActivity } from './durable-call.js';

/** Whether a step may go ahead; a refused step says why (and is skipped, not failed). */
export type StepGate = { allowed: true } | { allowed: false; reason: string; policyId?: string; ruleId?: string };

export interface GovernedStep {
  /** Unique and stable per step across retries and re-taken batches, e.g. `<batch token>:<event id>:<stage>`. */
  key: string;
  stage: PolicyStage;
  agent: AgentBrief;
  event: EventEnvelope;
  /** The step's own facts, seen by policies as `action` (decision, message, tool call). */
  action?: Record<string, unknown>;
}

export interface ApprovalWaitStatus {
  state: 'waiting-for-approval';
  approvalId: string;
  eventId: string;
  stage: PolicyStage;
  until: string;
}

function now(context: OrchestrationContext): string {
  return context.df.currentUtcDateTime.toISOString();
}

function message(err: unknown): string {
  return clip(err instanceof Error ? err.message : String(err), 500);
}

/** Policy check, then (if required) approval. Never throws for a policy reason: the caller skips the step. */
export function* governStep(context: OrchestrationContext, step: GovernedStep): Generator<Task, StepGate, unknown> {
  let verdict: PolicyVerdict;
  try {
    const checked = yield* callTypedActivity(context, GovernanceActivities.checkPolicy, {
      key: step.key,
      stage: step.stage,
      agent: { id: step.agent.id, name: step.agent.name, role: step.agent.role, policies: step.agent.policies ?? [] },
      event: step.event,
      ...(step.action ? { action: step.action } : {}),
      at: now(context),
    });
    verdict = checked.verdict;
  } catch (err) {
    // Fail closed: a step nobody could check is not taken.
    return { allowed: false, reason: `policy check failed: ${message(err)}` };
  }
  if (verdict.type === PolicyEffect.allow) return { allowed: true };
  if (verdict.type === PolicyEffect.deny) return { allowed: false, reason: verdict.reason, policyId: verdict.policyId, ruleId: verdict.ruleId };
  return yield* awaitApproval(context, step, verdict);
}

function* awaitApproval(context: OrchestrationContext, step: GovernedStep, verdict: Extract<PolicyVerdict, { type: 'require-approval' }>): Generator<Task, StepGate, unknown> {
  const refused = (reason: string): StepGate => ({ allowed: false, reason, policyId: verdict.policyId, ruleId: verdict.ruleId });
  let escalatedFrom: string | undefined;
  for (const level of [1, 2]) {
    let approval: Approval;
    try {
      approval = yield* callTypedActivity(context, GovernanceActivities.requestApproval, {
        key: step.key,
        agentId: step.agent.id,
        instanceId: context.df.instanceId,
        eventId: step.event.id,
        stage: step.stage,
        policyId: verdict.policyId,
        ruleId: verdict.ruleId,
        reason: verdict.reason,
        timeoutSeconds: verdict.timeoutSeconds,
        onTimeout: verdict.onTimeout,
        level,
        ...(escalatedFrom ? { escalatedFrom } : {}),
        at: now(context),
      });
    } catch (err) {
      return refused(`approval could not be requested: ${message(err)}`);
    }
    // A re-taken batch finds its approval already decided: no second wait.
    if (approval.status === ApprovalStatus.pending) approval = yield* waitForAnswer(context, step, approval);
    if (approval.status === ApprovalStatus.approved) return { allowed: true };
    if (approval.status === ApprovalStatus.denied) return refused(`approval ${approval.id} denied by ${approval.resolvedBy ?? 'someone'}${approval.resolution ? `: ${approval.resolution}` : ''}`);
    if (verdict.onTimeout !== OnTimeout.escalate || level === 2) return refused(`approval ${approval.id} timed out (${verdict.reason})`);
    escalatedFrom = approval.id;
  }
  return refused('approval was not granted');
}

function* waitForAnswer(context: OrchestrationContext, step: GovernedStep, approval: Approval): Generator<Task, Approval, unknown> {
  const until = new Date(context.df.currentUtcDateTime.getTime() + approval.timeoutSeconds * 1000);
  context.df.setCustomStatus({ state: 'waiting-for-approval', approvalId: approval.id, eventId: step.event.id, stage: step.stage, until: until.toISOString() } satisfies ApprovalWaitStatus);
  const answer = context.df.waitForExternalEvent(approvalEventName(approval.id));
  const timer = context.df.createTimer(until);
  const winner = yield context.df.Task.any([answer, timer]);
  let outcome: { type: 'answer'; answer: { approve: boolean; by: string; reason?: string } } | { type: 'timeout' };
  if (winner === answer) {
    timer.cancel();
    const parsed = ApprovalAnswerSchema.safeParse(answer.result);
    // An unreadable answer is a refusal: only a clear yes lets the step through.
    outcome = { type: 'answer', answer: parsed.success ? parsed.data : { approve: false, by: 'unknown', reason: 'unreadable approval event body' } };
  } else {
    outcome = { type: 'timeout' };
  }
  try {
    return yield* callTypedActivity(context, GovernanceActivities.settleApproval, { approvalId: approval.id, outcome, at: now(context) });
  } catch {
    // The record could not be updated: only a clear, received yes counts.
    const approved = outcome.type === 'answer' && outcome.answer.approve;
    return { ...approval, status: approved ? ApprovalStatus.approved : ApprovalStatus.denied, resolvedBy: 'unknown', resolution: 'approval record not updated' };
  }
}

/** The decision recorded for a step a policy refused: the event counts as processed, nothing ran. */
export function refusedDecision(event: EventEnvelope, gate: Extract<StepGate, { allowed: false }>): DecideOutput {
  const by = gate.policyId ? `policy ${gate.policyId}/${gate.ruleId ?? '-'}` : 'governance';
  return {
    action: clip(`denied:${event.type}`, 500),
    rationale: clip(`skipped by ${by}: ${gate.reason}`, 1000),
    alignment: { score: 0, reasons: ['denied by policy'] },
    provider: 'governance',
    model: 'none',
    tokensIn: 0,
    tokensOut: 0,
    cost: 0,
    cached: false,
  };
}

/** Appends the decision (or the skipped step) to the agent's audit chain; returns the record id. */
export function* sealDecision(context: OrchestrationContext, key: string, agentId: string, event: EventEnvelope, decision: DecideOutput, gate: StepGate): Generator<Task, string, unknown> {
  const sealed = yield* callTypedActivity(context, GovernanceActivities.audit, {
    chain: agentChainId(agentId),
    entry: {
      actor: `agent:${agentId}`,
      action: gate.allowed ? AuditAction.decision : AuditAction.stepSkipped,
      subject: `event ${event.id} (${event.type})`,
      payload: { event, decision },
      decision: gate.allowed ? decision.action : 'deny',
      details: { action: decision.action, provider: decision.provider, alignment: decision.alignment.score, ...(gate.allowed ? {} : { reason: gate.reason, ...(gate.policyId ? { policyId: gate.policyId, ruleId: gate.ruleId } : {}) }) },
      time: now(context),
      key: `${key}:decision`,
    },
  });
  return sealed.recordId;
}

/** Stores the decision record (rationale, options, scores, audit record id). */
export function* recordDecisionRecord(context: OrchestrationContext, key: string, agentId: string, event: EventEnvelope, decision: DecideOutput, auditRecordId: string): Generator<Task, string, unknown> {
  const data = event.data;
  const raw = data !== null && typeof data === 'object' && 'options' in data ? (data as { options: unknown }).options : undefined;
  const options = Array.isArray(raw) ? raw.filter((o): o is string => typeof o === 'string').slice(0, 50).map((o) => clip(o, 500)) : [];
  const { decisionId } = yield* callTypedActivity(context, GovernanceActivities.recordDecision, { key, agentId, eventId: event.id, at: now(context), decision, options, auditRecordId });
  return decisionId;
}
