/**
 * Effects of an agent's decision that reach other agents. A decision whose action is
 * `publish:<topic>` publishes to that topic: a model can answer it, and an event can offer it as
 * an option (`data.options`), which is how the offline lexical provider gets to choose it.
 */
import { agentSource } from './agent-message.js';
import type { DecideOutput } from './agent-activities.js';
import type { AgentId } from './agent-id.js';
import type { EventEnvelope } from './event-envelope.js';
import { TopicNameSchema, type TopicPublishInput } from './topic.js';

export const PUBLISH_ACTION_PREFIX = 'publish:';

/**
 * The publication a decision asks for, or undefined. Its envelope id is derived from the agent
 * and the event, so re-processing the event (a re-taken batch) publishes the same publication,
 * which the `topic-publish` instance id and every subscriber's mailbox de-duplicate.
 */
export function publicationOf(agentId: AgentId, event: EventEnvelope, decision: Pick<DecideOutput, 'action' | 'rationale'>, at: string): TopicPublishInput | undefined {
  if (!decision.action.startsWith(PUBLISH_ACTION_PREFIX)) return undefined;
  const topic = TopicNameSchema.safeParse(decision.action.slice(PUBLISH_ACTION_PREFIX.length).trim());
  if (!topic.success) return undefined;
  const publication: EventEnvelope = {
    id: `pub-${agentId}-${event.id}`.slice(0, 128),
    type: 'agent.publication',
    source: agentSource(agentId),
    subject: topic.data,
    time: at,
    causationId: event.id,
    ...(event.correlationId === undefined ? {} : { correlationId: event.correlationId }),
    data: { action: decision.action, rationale: decision.rationale, cause: { type: event.type, source: event.source, data: event.data ?? null } },
  };
  return { topic: topic.data, event: publication, exclude: [agentId], forward: true };
}
