/**
 * Topics: `POST|DELETE /api/topics/{topic}/subscribers/{agentId}` (subscribe, unsubscribe),
 * `GET /api/topics/{topic}/subscribers`, and `POST /api/topics/{topic}/publish` (an envelope,
 * fanned out to every subscriber's mailbox exactly once by a `topic-publish` orchestration whose
 * instance id derives from the publication id, so a re-POST starts nothing new).
 *
 * The subscriber index (Table storage) is kept a superset of the agents' subscriptions: a row is
 * added before the entity's `subscribe` and removed after its `unsubscribe`; delivery checks the
 * context, so an interrupted request can never make a subscriber miss a publication.
 */
import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { getConfig } from '../config.js';
import { AgentIdSchema, AgentOps, EventEnvelopeInputSchema, EventTooLargeError, TopicNameSchema, ValidationError, completeEnvelope, envelopeBytes, type AgentId, type TopicName } from '../domain/index.js';
import { getMessagingServices, startPublication, type TopicIndex } from '../services/index.js';
import { requireAgent, requireLiveAgent, signalAgent } from './agent-gateway.js';
import { clientRoute } from './error-response.js';
import { jsonBody } from './http-input.js';

function topicParam(request: HttpRequest): TopicName {
  const parsed = TopicNameSchema.safeParse(request.params.topic);
  if (!parsed.success) throw ValidationError.fromZod('topic', parsed.error);
  return parsed.data;
}

function subscriberParam(request: HttpRequest): AgentId {
  const parsed = AgentIdSchema.safeParse(request.params.agentId);
  if (!parsed.success) throw ValidationError.fromZod('agent id', parsed.error);
  return parsed.data;
}

export async function subscribe(request: HttpRequest, client: DurableClient, index: TopicIndex): Promise<HttpResponseInit> {
  const topic = topicParam(request);
  const agentId = subscriberParam(request);
  const state = await requireLiveAgent(client, agentId);
  await index.add(topic, agentId);
  await signalAgent(client, agentId, AgentOps.subscribe, { topic });
  const already = state.context.subscriptions.topics.includes(topic);
  return { status: 202, headers: { location: `/api/agents/${agentId}` }, jsonBody: { topic, agentId, subscribed: true, already } };
}

export async function unsubscribe(request: HttpRequest, client: DurableClient, index: TopicIndex): Promise<HttpResponseInit> {
  const topic = topicParam(request);
  const agentId = subscriberParam(request);
  const state = await requireAgent(client, agentId);
  // A terminated agent's context is read-only; it receives nothing anyway, so only the index row goes.
  if (state.context.lifecycle.state !== 'terminated') await signalAgent(client, agentId, AgentOps.unsubscribe, { topic });
  await index.remove(topic, agentId);
  return { status: 202, headers: { location: `/api/agents/${agentId}` }, jsonBody: { topic, agentId, subscribed: false } };
}

export async function listSubscribers(request: HttpRequest, index: TopicIndex): Promise<HttpResponseInit> {
  const topic = topicParam(request);
  return { status: 200, jsonBody: { topic, agentIds: (await index.subscribers(topic)).sort() } };
}

export interface PublishDeps {
  maxEventBytes: number;
  now: () => Date;
  newId: () => string;
}

export async function publish(request: HttpRequest, client: DurableClient, deps: PublishDeps): Promise<HttpResponseInit> {
  const topic = topicParam(request);
  const input = await jsonBody(request, EventEnvelopeInputSchema, 'event envelope', deps.maxEventBytes);
  const event = completeEnvelope(input, deps);
  const bytes = envelopeBytes(event);
  if (bytes > deps.maxEventBytes) throw new EventTooLargeError(bytes, deps.maxEventBytes);
  // The orchestration's start is durable before this answers: the fan-out then runs to the end, across host restarts.
  const { instanceId, started } = await startPublication(client, { topic, event, exclude: [], forward: true });
  const statusUri = `/runtime/webhooks/durabletask/instances/${encodeURIComponent(instanceId)}`;
  return { status: 202, headers: { location: statusUri }, jsonBody: { topic, id: event.id, accepted: true, duplicate: !started, instanceId, statusUri } };
}

df.app.client.http('topics-subscribe', {
  methods: ['POST'],
  authLevel: 'anonymous',
  route: 'topics/{topic}/subscribers/{agentId}',
  handler: clientRoute((request: HttpRequest, client: DurableClient) => subscribe(request, client, getMessagingServices().topicIndex)),
});

df.app.client.http('topics-unsubscribe', {
  methods: ['DELETE'],
  authLevel: 'anonymous',
  route: 'topics/{topic}/subscribers/{agentId}',
  handler: clientRoute((request: HttpRequest, client: DurableClient) => unsubscribe(request, client, getMessagingServices().topicIndex)),
});

df.app.client.http('topics-subscribers', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'topics/{topic}/subscribers',
  handler: clientRoute((request: HttpRequest) => listSubscribers(request, getMessagingServices().topicIndex)),
});

df.app.client.http('topics-publish', {
  methods: ['POST'],
  authLevel: 'anonymous',
  route: 'topics/{topic}/publish',
  handler: clientRoute((request: HttpRequest, client: DurableClient) => publish(request, client, { maxEventBytes: getConfig().agents.maxEventBytes, now: () => new Date(), newId: randomUUID })),
});
