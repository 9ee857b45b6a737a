/**
 * Topics: their names, the publication that fans out to subscribers, and the pure logic that keeps
 * the subscriber index (Table storage, topic -> agent ids) in step with agents' subscriptions.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AgentIdSchema } from './agent-id.js';
import { EventEnvelopeSchema } from './event-envelope.js';

/**
 * Letters, digits, dots, dashes and underscores, 1-128 characters: a URL path segment, a Table
 * partition key and a Service Bus topic name all accept it unchanged.
 */
export const TopicNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'a topic is 1-128 letters, digits, dots, dashes or underscores, starting with a letter or digit');
export type TopicName = z.infer<typeof TopicNameSchema>;

/** The orchestration that fans a publication out to a topic's subscribers. */
export const TOPIC_PUBLISH_NAME = 'topic-publish';

/**
 * `topic-<topic>-<hash of the publication id>`: derived from the publication, so publishing the
 * same envelope id to the same topic again finds the instance that already did it. The hash keeps
 * the id short and free of characters an instance id must not have.
 */
export function topicPublishInstanceId(topic: TopicName, publicationId: string): string {
  const digest = createHash('sha256').update(`${topic}\n${publicationId}`, 'utf8').digest('hex').slice(0, 32);
  return `topic-${topic.slice(0, 60)}-${digest}`;
}

export const TopicPublishInputSchema = z.object({
  topic: TopicNameSchema,
  /** The envelope every subscriber receives, with the same id (each mailbox de-duplicates on it). */
  event: EventEnvelopeSchema,
  /** Agent ids that must not receive it (the publishing agent itself). */
  exclude: z.array(AgentIdSchema).max(100).default([]),
  /** Forward the publication to the external bus as well. */
  forward: z.boolean().default(true),
});
export type TopicPublishInput = z.infer<typeof TopicPublishInputSchema>;

export const DeliveryOutcome = {
  delivered: 'delivered',
  duplicate: 'duplicate',
  /** The index named the agent, but its context no longer subscribes (the index is a superset). */
  notSubscribed: 'not-subscribed',
  terminated: 'terminated',
  unknown: 'unknown',
} as const;
export type DeliveryOutcome = (typeof DeliveryOutcome)[keyof typeof DeliveryOutcome];

export const DeliveryResultSchema = z.object({
  agentId: AgentIdSchema,
  outcome: z.enum([DeliveryOutcome.delivered, DeliveryOutcome.duplicate, DeliveryOutcome.notSubscribed, DeliveryOutcome.terminated, DeliveryOutcome.unknown]),
});
export type DeliveryResult = z.infer<typeof DeliveryResultSchema>;

export const TopicPublishResultSchema = z.object({
  topic: TopicNameSchema,
  eventId: z.string(),
  deliveries: z.array(DeliveryResultSchema),
  forwarded: z.boolean(),
});
export type TopicPublishResult = z.infer<typeof TopicPublishResultSchema>;

/** The topics of a subscription list that are valid topic names (others cannot be published to, so they are not indexed). */
export function indexableTopics(topics: readonly string[]): TopicName[] {
  return [...new Set(topics.filter((t) => TopicNameSchema.safeParse(t).success))];
}

/** What the index must gain and lose when an agent's topics change from `before` to `after`. */
export function subscriptionDiff(before: readonly string[], after: readonly string[]): { add: TopicName[]; remove: TopicName[] } {
  const was = new Set(indexableTopics(before));
  const now = new Set(indexableTopics(after));
  return { add: [...now].filter((t) => !was.has(t)), remove: [...was].filter((t) => !now.has(t)) };
}

/**
 * The subscribers a publication goes to: the index's candidates, de-duplicated, in a stable order
 * (so the orchestration schedules the same activities on every replay), without the excluded ones.
 */
export function fanOutTargets(candidates: readonly string[], exclude: readonly string[]): string[] {
  const skip = new Set(exclude);
  return [...new Set(candidates)].filter((id) => !skip.has(id)).sort();
}
