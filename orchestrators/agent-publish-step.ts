/**
 * The loop's publish effect: a decision whose action is `publish:<topic>` (see
 * `publicationOf` in src/domain/agent-effects.ts) publishes to that topic, after the `message`
 * policy stage allows it. The fan-out runs in its own `topic-publish` orchestration, started by
 * an activity, so the agent's loop does not wait for every subscriber. Runs before the decision
 * is recorded (effects, then record), so a re-taken batch publishes the same publication again,
 * which its instance id and the subscribers' mailboxes de-duplicate.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { MessagingActivities, PolicyStage, publicationOf, type AgentBrief, type DecideOutput, type EventEnvelope } from '../src/domain/index.js';
import { callTypedActivity } from './durable-call.js';
import { governStep } from './governance-step.js';

export function* publishStep(context: OrchestrationContext, key: string, agent: AgentBrief, event: EventEnvelope, decision: DecideOutput): Generator<Task, void, unknown> {
  const publication = publicationOf(agent.id, event, decision, context.df.currentUtcDateTime.toISOString());
  if (!publication) return;
  const gate = yield* governStep(context, { key: `${key}:message`, stage: PolicyStage.message, agent, event, action: { action: decision.action, topic: publication.topic } });
  if (!gate.allowed) return;
  try {
    yield* callTypedActivity(context, MessagingActivities.publicationStart, publication);
  } catch (err) {
    // After the activity's retries: the decision is still recorded (its action says what was meant); one
    // unreachable task hub must not stall the agent's mailbox.
    if (!context.df.isReplaying) context.warn('publication could not start', { agentId: agent.id, eventId: event.id, topic: publication.topic, error: err instanceof Error ? err.message : String(err) });
  }
}
