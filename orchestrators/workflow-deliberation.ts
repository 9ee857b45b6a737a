/**
 * `workflow-deliberation`: a chaired deliberation. The chair (first agent) frames the question;
 * then in each round the members answer in parallel, choosing among the options with their own
 * purpose and context, and the chair picks a candidate having read the answers. The termination
 * rule (`judgeRound`, src/domain/deliberation-rule.ts) stops when the alignment-weighted share of
 * members backing the chair's candidate reaches the threshold, or at the round cap; the chair's
 * last candidate is the decision.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import {
  DeliberationSettingsSchema,
  WORKFLOW_ORCHESTRATIONS,
  WorkflowInputSchema,
  judgeRound,
  leadingChoice,
  type Contribution,
  type RoundVerdict,
  type WorkflowOutcome,
} from '../src/domain/index.js';
import { contextText, contribute, contributeAll, contributionLines, progress, readBriefs, recordOutcome } from './workflow-steps.js';

export function* workflowDeliberation(context: OrchestrationContext): Generator<Task, WorkflowOutcome, unknown> {
  const input = WorkflowInputSchema.parse(context.df.getInput());
  const settings = input.deliberation ?? DeliberationSettingsSchema.parse({});
  const [chair, ...members] = input.agentIds as [string, ...string[]];
  const total = 1 + settings.maxRounds * (members.length + 1);
  let done = 0;
  progress(context, { phase: 'reading-agents', completedSteps: 0, totalSteps: total });
  const briefs = yield* readBriefs(context, input.agentIds);

  progress(context, { phase: 'framing', round: 0, completedSteps: done, totalSteps: total });
  const frame = yield* contribute(context, input, briefs, { agentId: chair, role: 'frame', round: 0, text: `Frame this question for the members of a deliberation: ${input.purpose}${contextText(input)}` });
  done += 1;
  const contributions: Contribution[] = [frame];

  let previous: Contribution[] = [];
  let candidate = settings.options[0] as string;
  let verdict: RoundVerdict = { agreement: 0, stop: undefined };
  let round = 0;
  while (verdict.stop === undefined) {
    round += 1;
    progress(context, { phase: 'members-answering', round, completedSteps: done, totalSteps: total });
    const before = previous.length === 0 ? '' : `\nAnswers of round ${round - 1}:\n${contributionLines(previous)}`;
    const question = `Question: ${input.purpose}${contextText(input)}\nFraming by the chair ${chair}: ${frame.action}. ${frame.rationale}${before}`;
    const answers = yield* contributeAll(context, input, briefs, members.map((agentId) => ({ agentId, role: 'answer', round, text: question, options: settings.options })));
    done += answers.length;
    contributions.push(...answers);

    progress(context, { phase: 'chair-deciding', round, completedSteps: done, totalSteps: total });
    const choice = yield* contribute(context, input, briefs, { agentId: chair, role: 'decide', round, text: `${question}\nAnswers of round ${round}:\n${contributionLines(answers)}\nDecide.`, options: settings.options });
    done += 1;
    contributions.push(choice);
    const scored = answers.map((a) => ({ agentId: a.agentId, choice: a.action, alignment: a.alignment.score }));
    // A chair answer outside the options (a model that did not follow the instruction) falls back to the members' lead.
    candidate = settings.options.includes(choice.action) ? choice.action : (leadingChoice(scored, settings.options) ?? candidate);
    verdict = judgeRound({ round, maxRounds: settings.maxRounds, threshold: settings.agreementThreshold, candidate, answers: scored });
    previous = answers;
  }

  progress(context, { phase: 'recording', round, completedSteps: total, totalSteps: total });
  return yield* recordOutcome(context, input, {
    workflowId: input.workflowId,
    kind: input.kind,
    purpose: input.purpose,
    decision: candidate,
    rationale: `chair ${chair} decided ${candidate} after ${round} round(s); alignment-weighted agreement ${verdict.agreement.toFixed(2)} (threshold ${settings.agreementThreshold}); stopped by ${verdict.stop}`,
    agreement: verdict.agreement,
    rounds: round,
    stoppedBy: verdict.stop,
    contributions,
  });
}

df.app.orchestration(WORKFLOW_ORCHESTRATIONS.deliberation, workflowDeliberation);
