/**
 * The activities of topic publication: `topic-subscribers` (read the subscriber index),
 * `topic-deliver` (one subscriber's mailbox, through the lossless event path), `bus-forward` (the
 * publication to the external bus) and `publication-start` (start a `topic-publish` instance,
 * idempotently, for the agent loop's publish effect). Each is safe to retry.
 */
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { MessagingActivities, ValidationError, type DeliveryResult } from '../src/domain/index.js';
import { deliverToAgent, getMessagingServices, startPublication, type DeliveryClient, type MessageBus, type PublicationClient, type TopicIndex } from '../src/services/index.js';

function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod(`${what} input`, parsed.error);
  return parsed.data;
}

export async function topicSubscribersActivity(input: unknown, deps: { topicIndex: TopicIndex }): Promise<{ agentIds: string[] }> {
  const { topic } = parse(MessagingActivities.topicSubscribers.input, input, MessagingActivities.topicSubscribers.name);
  return { agentIds: await deps.topicIndex.subscribers(topic) };
}

export async function topicDeliverActivity(input: unknown, client: DeliveryClient, log?: { warn(message: string, meta: Record<string, unknown>): void }): Promise<DeliveryResult> {
  const { topic, agentId, event } = parse(MessagingActivities.topicDeliver.input, input, MessagingActivities.topicDeliver.name);
  return deliverToAgent(client, agentId, event, { topic, ...(log ? { log } : {}) });
}

export async function busForwardActivity(input: unknown, deps: { bus: MessageBus | undefined }): Promise<{ forwarded: boolean; provider: string }> {
  const { topic, event } = parse(MessagingActivities.busForward.input, input, MessagingActivities.busForward.name);
  if (!deps.bus) return { forwarded: false, provider: 'none' };
  await deps.bus.publish(topic, event);
  return { forwarded: true, provider: deps.bus.provider };
}

export async function publicationStartActivity(input: unknown, client: PublicationClient): Promise<{ instanceId: string; started: boolean }> {
  return startPublication(client, parse(MessagingActivities.publicationStart.input, input, MessagingActivities.publicationStart.name));
}

df.app.activity(MessagingActivities.topicSubscribers.name, { handler: (input: unknown) => topicSubscribersActivity(input, getMessagingServices()) });

df.app.activity(MessagingActivities.topicDeliver.name, {
  extraInputs: [df.input.durableClient()],
  handler: (input: unknown, context: InvocationContext) => topicDeliverActivity(input, df.getClient(context), { warn: (message, meta) => context.warn(message, meta) }),
});

df.app.activity(MessagingActivities.busForward.name, { handler: (input: unknown) => busForwardActivity(input, getMessagingServices()) });

df.app.activity(MessagingActivities.publicationStart.name, {
  extraInputs: [df.input.durableClient()],
  handler: (input: unknown, context: InvocationContext) => publicationStartActivity(input, df.getClient(context)),
});
