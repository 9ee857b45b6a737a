/**
 * Descriptors of the messaging and workflow activities (names and schemas only, so orchestrators
 * import no services): topic fan-out, bus forwarding, publication effects, and workflow inference.
 */
import { z } from 'zod';
import { AgentBriefSchema, DecideOutputSchema } from './agent-activities.js';
import { AgentIdSchema } from './agent-id.js';
import { EventEnvelopeSchema } from './event-envelope.js';
import { defineOperation } from './operation-descriptor.js';
import { DeliveryResultSchema, TopicNameSchema, TopicPublishInputSchema } from './topic.js';

export const TopicSubscribersInputSchema = z.object({ topic: TopicNameSchema });
export const TopicSubscribersOutputSchema = z.object({ agentIds: z.array(AgentIdSchema) });

export const TopicDeliverInputSchema = z.object({ topic: TopicNameSchema, agentId: AgentIdSchema, event: EventEnvelopeSchema });

export const BusForwardInputSchema = z.object({ topic: TopicNameSchema, event: EventEnvelopeSchema });
export const BusForwardOutputSchema = z.object({ forwarded: z.boolean(), provider: z.string() });

/** Starts (idempotently) the `topic-publish` orchestration of a publication; used by the agent loop's publish effect. */
export const PublicationStartOutputSchema = z.object({ instanceId: z.string(), started: z.boolean() });

export const WorkflowContributeInputSchema = z.object({ agent: AgentBriefSchema, event: EventEnvelopeSchema });

export const MessagingActivities = {
  topicSubscribers: defineOperation('topic-subscribers', TopicSubscribersInputSchema, TopicSubscribersOutputSchema),
  topicDeliver: defineOperation('topic-deliver', TopicDeliverInputSchema, DeliveryResultSchema),
  busForward: defineOperation('bus-forward', BusForwardInputSchema, BusForwardOutputSchema),
  publicationStart: defineOperation('publication-start', TopicPublishInputSchema, PublicationStartOutputSchema),
  workflowContribute: defineOperation('workflow-contribute', WorkflowContributeInputSchema, DecideOutputSchema),
} as const;
