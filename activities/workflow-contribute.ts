/**
 * Activity `workflow-contribute`: one agent's inference for one workflow step, with its own
 * purpose, goals and memory (the brief the orchestrator read from its entity), cached and costed
 * like the loop's `agent-decide`.
 */
import * as df from 'durable-functions';
import { MessagingActivities, ValidationError, type DecideOutput } from '../src/domain/index.js';
import { getAppServices, type CachedInference } from '../src/services/index.js';

export async function workflowContributeActivity(input: unknown, deps: { inference: CachedInference }): Promise<DecideOutput> {
  const parsed = MessagingActivities.workflowContribute.input.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod('workflow-contribute input', parsed.error);
  return MessagingActivities.workflowContribute.output.parse(await deps.inference.decide(parsed.data));
}

df.app.activity(MessagingActivities.workflowContribute.name, { handler: (input: unknown) => workflowContributeActivity(input, getAppServices()) });
