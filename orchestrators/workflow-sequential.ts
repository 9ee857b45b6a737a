/**
 * `workflow-sequential`: each agent in turn contributes, reading the task and every contribution
 * before its own (the accumulated context). The last contribution is the outcome.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import { WORKFLOW_ORCHESTRATIONS, WorkflowInputSchema, type Contribution, type WorkflowOutcome } from '../src/domain/index.js';
import { contextText, contribute, contributionLines, progress, readBriefs, recordOutcome } from './workflow-steps.js';

export function* workflowSequential(context: OrchestrationContext): Generator<Task, WorkflowOutcome, unknown> {
  const input = WorkflowInputSchema.parse(context.df.getInput());
  const total = input.agentIds.length;
  progress(context, { phase: 'reading-agents', completedSteps: 0, totalSteps: total });
  const briefs = yield* readBriefs(context, input.agentIds);
  const contributions: Contribution[] = [];
  for (const agentId of input.agentIds) {
    progress(context, { phase: 'contributing', completedSteps: contributions.length, totalSteps: total });
    const so = contributions.length === 0 ? '' : `\nContributions so far:\n${contributionLines(contributions)}`;
    contributions.push(yield* contribute(context, input, briefs, { agentId, role: 'contribute', round: 1, text: `Task: ${input.purpose}${contextText(input)}${so}` }));
  }
  const last = contributions[contributions.length - 1] as Contribution;
  progress(context, { phase: 'recording', completedSteps: total, totalSteps: total });
  return yield* recordOutcome(context, input, {
    workflowId: input.workflowId,
    kind: input.kind,
    purpose: input.purpose,
    decision: last.action,
    rationale: last.rationale,
    agreement: last.alignment.score,
    rounds: 1,
    stoppedBy: 'complete',
    contributions,
  });
}

df.app.orchestration(WORKFLOW_ORCHESTRATIONS.sequential, workflowSequential);
