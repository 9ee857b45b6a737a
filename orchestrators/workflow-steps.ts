/**
 * The steps multi-agent workflows share: read the participants' briefs from their entities, ask
 * agents for contributions (inference through `workflow-contribute`), and record the outcome in
 * every participant's context (entity `recordWorkflowOutcome`) and audit chain (`governance-audit`).
 * Deterministic: ids and times come from the workflow id and `currentUtcDateTime`.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import {
  AGENT_ENTITY_NAME,
  AgentOps,
  ContributionSchema,
  DecideOutputSchema,
  GovernanceActivities,
  MessagingActivities,
  OperationOutcomeSchema,
  agentBrief,
  agentChainId,
  clip,
  workflowStepEvent,
  type AgentBrief,
  type Contribution,
  type WorkflowInput,
  type WorkflowOutcome,
  type WorkflowProgress,
} from '../src/domain/index.js';
import { AGENT_ACTIVITY_RETRY, callTypedActivity } from './durable-call.js';

/** Reads every participant's brief (purpose, goals, memory) from its entity, in parallel. */
export function* readBriefs(context: OrchestrationContext, agentIds: readonly string[]): Generator<Task, Map<string, AgentBrief>, unknown> {
  const tasks = agentIds.map((id) => context.df.callEntity(new df.EntityId(AGENT_ENTITY_NAME, id), AgentOps.read.name));
  const raw = (yield context.df.Task.all(tasks)) as unknown[];
  const briefs = new Map<string, AgentBrief>();
  raw.forEach((r, i) => {
    const outcome = OperationOutcomeSchema.parse(r);
    if (!outcome.ok) throw new Error(`agent ${agentIds[i]} cannot take part: ${outcome.error.code} ${outcome.error.message}`);
    const view = AgentOps.read.output.parse(outcome.value);
    briefs.set(view.context.id, agentBrief(view.context));
  });
  return briefs;
}

export interface StepRequest {
  agentId: string;
  role: string;
  round: number;
  text: string;
  options?: readonly string[];
}

function brief(briefs: Map<string, AgentBrief>, agentId: string): AgentBrief {
  const b = briefs.get(agentId);
  if (!b) throw new Error(`no brief for agent ${agentId}`);
  return b;
}

/** Asks several agents at once (fan-out/fan-in); contributions come back in request order. */
export function* contributeAll(context: OrchestrationContext, input: WorkflowInput, briefs: Map<string, AgentBrief>, requests: readonly StepRequest[]): Generator<Task, Contribution[], unknown> {
  const at = context.df.currentUtcDateTime.toISOString();
  const tasks = requests.map((r) =>
    context.df.callActivityWithRetry(
      MessagingActivities.workflowContribute.name,
      AGENT_ACTIVITY_RETRY,
      MessagingActivities.workflowContribute.input.parse({
        agent: brief(briefs, r.agentId),
        event: workflowStepEvent({ workflowId: input.workflowId, kind: input.kind, role: r.role, round: r.round, agentId: r.agentId, text: r.text, ...(r.options ? { options: r.options } : {}), at }),
      }),
    ),
  );
  const raw = tasks.length === 0 ? [] : ((yield context.df.Task.all(tasks)) as unknown[]);
  return raw.map((value, i) => {
    const d = DecideOutputSchema.parse(value);
    const r = requests[i] as StepRequest;
    return ContributionSchema.parse({ agentId: r.agentId, role: r.role, round: r.round, action: d.action, rationale: d.rationale, alignment: d.alignment, provider: d.provider, model: d.model, tokensIn: d.tokensIn, tokensOut: d.tokensOut, cost: d.cost });
  });
}

export function* contribute(context: OrchestrationContext, input: WorkflowInput, briefs: Map<string, AgentBrief>, request: StepRequest): Generator<Task, Contribution, unknown> {
  const [one] = yield* contributeAll(context, input, briefs, [request]);
  return one as Contribution;
}

export function progress(context: OrchestrationContext, p: WorkflowProgress): void {
  context.df.setCustomStatus(p);
}

/** One line per contribution, for the next agent's prompt. */
export function contributionLines(contributions: readonly Contribution[]): string {
  return contributions.map((c) => `- ${c.agentId} (${c.role}, round ${c.round}): ${c.action} [alignment ${c.alignment.score.toFixed(2)}] ${clip(c.rationale, 200)}`).join('\n');
}

export function contextText(input: WorkflowInput): string {
  const shown = Object.fromEntries(Object.entries(input.context).filter(([k]) => k !== 'options'));
  return Object.keys(shown).length === 0 ? '' : `\nContext: ${clip(JSON.stringify(shown), 1500)}`;
}

export type OutcomeDraft = Omit<WorkflowOutcome, 'recordedIn' | 'notRecordedIn' | 'completedAt'>;

/**
 * Records the outcome in every participant's context (its own spend counted) and appends it to
 * each participant's audit chain. A participant terminated meanwhile cannot record it and is
 * listed in `notRecordedIn`; an audit append that fails after its retries does not undo the
 * workflow, it is reported in `audit`.
 */
export function* recordOutcome(context: OrchestrationContext, input: WorkflowInput, draft: OutcomeDraft): Generator<Task, WorkflowOutcome & { audit: { appended: string[]; failed: string[] } }, unknown> {
  const at = context.df.currentUtcDateTime.toISOString();
  const tasks = input.agentIds.map((id) => {
    const own = draft.contributions.filter((c) => c.agentId === id);
    return context.df.callEntity(new df.EntityId(AGENT_ENTITY_NAME, id), AgentOps.recordWorkflowOutcome.name, AgentOps.recordWorkflowOutcome.input.parse({
      workflowId: input.workflowId,
      kind: input.kind,
      decision: clip(draft.decision, 500),
      rationale: clip(draft.rationale, 1000),
      alignment: { score: draft.agreement, reasons: [`${draft.stoppedBy} after ${draft.rounds} round(s)`] },
      tokensIn: own.reduce((s, c) => s + c.tokensIn, 0),
      tokensOut: own.reduce((s, c) => s + c.tokensOut, 0),
      cost: own.reduce((s, c) => s + c.cost, 0),
      at,
    }));
  });
  const raw = (yield context.df.Task.all(tasks)) as unknown[];
  const recordedIn: string[] = [];
  const notRecordedIn: string[] = [];
  raw.forEach((r, i) => (OperationOutcomeSchema.parse(r).ok ? recordedIn : notRecordedIn).push(input.agentIds[i] as string));

  const appended: string[] = [];
  const failed: string[] = [];
  for (const id of input.agentIds) {
    try {
      yield* callTypedActivity(context, GovernanceActivities.audit, {
        chain: agentChainId(id),
        entry: {
          actor: `workflow:${input.workflowId}`,
          action: 'workflow-decision',
          subject: clip(input.purpose, 500),
          decision: clip(draft.decision, 100),
          details: { workflowId: input.workflowId, kind: input.kind, agreement: draft.agreement, rounds: draft.rounds, stoppedBy: draft.stoppedBy, participants: input.agentIds },
          payload: draft.contributions,
          time: at,
          key: `workflow:${input.workflowId}:outcome`,
        },
      });
      appended.push(id);
    } catch {
      failed.push(id);
    }
  }
  return { ...draft, recordedIn, notRecordedIn, completedAt: at, audit: { appended, failed } };
}
