/**
 * Typed calls from orchestrators (rule 10): `yield* callAgent(ctx, id, AgentOps.x, input)` and
 * `yield* callTypedActivity(ctx, descriptor, input)` check the input, yield the durable task and
 * parse the result, so orchestrator code never handles the `any` that `yield` gives.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import type { z } from 'zod';
import { AGENT_ENTITY_NAME, OperationOutcomeSchema, RemoteOperationError, type OperationDescriptor } from '../src/domain/index.js';

/** Retries of agent activities: 3 attempts, 2 s then 4 s (Durable retry policy, replay-safe). */
export const AGENT_ACTIVITY_RETRY = (() => {
  const retry = new df.RetryOptions(2000, 3);
  retry.backoffCoefficient = 2;
  retry.maxRetryIntervalInMilliseconds = 30_000;
  return retry;
})();

/** Calls an operation of the `agent` entity and unwraps its outcome; a refused operation throws `RemoteOperationError` with its code. */
export function* callAgent<I extends z.ZodType, O extends z.ZodType>(
  context: OrchestrationContext,
  agentId: string,
  op: OperationDescriptor<I, O>,
  input: z.input<I>,
): Generator<Task, z.output<O>, unknown> {
  const checked = op.input.parse(input);
  const raw = yield context.df.callEntity(new df.EntityId(AGENT_ENTITY_NAME, agentId), op.name, checked);
  const outcome = OperationOutcomeSchema.parse(raw);
  if (!outcome.ok) throw new RemoteOperationError(outcome.error.code, outcome.error.kind, outcome.error.message, outcome.error.details);
  return op.output.parse(outcome.value);
}

/** Calls an activity with the agent retry policy and parses its output. */
export function* callTypedActivity<I extends z.ZodType, O extends z.ZodType>(
  context: OrchestrationContext,
  activity: OperationDescriptor<I, O>,
  input: z.input<I>,
): Generator<Task, z.output<O>, unknown> {
  const checked = activity.input.parse(input);
  const raw = yield context.df.callActivityWithRetry(activity.name, AGENT_ACTIVITY_RETRY, checked);
  return activity.output.parse(raw);
}
