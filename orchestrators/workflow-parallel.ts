/**
 * `workflow-parallel`: every agent contributes at once (fan-out/fan-in). The outcome is the
 * action with the largest alignment-weighted support among the contributions.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import { WORKFLOW_ORCHESTRATIONS, WorkflowInputSchema, leadingChoice, weightedAgreement, type WorkflowOutcome } from '../src/domain/index.js';
import { contextText, contributeAll, progress, readBriefs, recordOutcome } from './workflow-steps.js';

export function* workflowParallel(context: OrchestrationContext): Generator<Task, WorkflowOutcome, unknown> {
  const input = WorkflowInputSchema.parse(context.df.getInput());
  const total = input.agentIds.length;
  progress(context, { phase: 'reading-agents', completedSteps: 0, totalSteps: total });
  const briefs = yield* readBriefs(context, input.agentIds);
  progress(context, { phase: 'contributing', completedSteps: 0, totalSteps: total });
  const text = `Task: ${input.purpose}${contextText(input)}`;
  const contributions = yield* contributeAll(context, input, briefs, input.agentIds.map((agentId) => ({ agentId, role: 'contribute', round: 1, text })));
  const answers = contributions.map((c) => ({ agentId: c.agentId, choice: c.action, alignment: c.alignment.score }));
  const actions = [...new Set(contributions.map((c) => c.action))];
  const decision = leadingChoice(answers, actions) ?? actions[0] ?? '';
  const agreement = weightedAgreement(answers, decision);
  const backers = contributions.filter((c) => c.action === decision).map((c) => c.agentId);
  progress(context, { phase: 'recording', completedSteps: total, totalSteps: total });
  return yield* recordOutcome(context, input, {
    workflowId: input.workflowId,
    kind: input.kind,
    purpose: input.purpose,
    decision,
    rationale: `alignment-weighted support ${agreement.toFixed(2)} from ${backers.join(', ')}`,
    agreement,
    rounds: 1,
    stoppedBy: 'complete',
    contributions,
  });
}

df.app.orchestration(WORKFLOW_ORCHESTRATIONS.parallel, workflowParallel);
