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
import type { DurableClient } from 'durable-functions';
import { getConfig } from '../config.js';
import { AgentOps, EventEnvelopeInputSchema, EventTooLargeError, TopicNameSchema, completeEnvelope, envelopeBytes, type AgentId, type TopicName } from '../domain/index.js';
import { getMessagingServices, startPublication, type TopicIndex } from '../services/index.js';
import { requireAgent, requireLiveAgent, signalAgent } from './agent-gateway.js';
import { ContextAuditAction } from '../services/index.js';
import { auditApiChange, type ContextAuditDeps } from './context-audit.js';
import { clientHttp } from './error-response.js';
import { agentIdParam, jsonBody, pathParam } from './http-input.js';

const topicParam = (request: HttpRequest): TopicName => pathParam(request, 'topic', TopicNameSchema, 'topic');
const subscriberParam = (request: HttpRequest): AgentId => agentIdParam(request, 'agentId');

export async function subscribe(request: HttpRequest, client: DurableClient, index: TopicIndex, audit?: ContextAuditDeps): Promise<HttpResponseInit> {
  const topic = topicParam(request);
  const agentId = subscriberParam(request);
  const state = await requireLiveAgent(client, agentId);
  await index.add(topic, agentId);
  await signalAgent(client, agentId, AgentOps.subscribe, { topic });
  const already = state.context.subscriptions.topics.includes(topic);
  // Subscribing again changes nothing and records nothing; a later unsubscribe and subscribe are two new changes.
  const recorded = already ? { audit: true } : await auditApiChange(request, audit, { agentId, action: ContextAuditAction.subscribed, change: { topic }, details: { topic } });
  return { status: 202, headers: { location: `/api/agents/${agentId}` }, jsonBody: { topic, agentId, subscribed: true, already, recorded } };
}

export async function unsubscribe(request: HttpRequest, client: DurableClient, index: TopicIndex, audit?: ContextAuditDeps): Promise<HttpResponseInit> {
  const topic = topicParam(request);
  const agentId = subscriberParam(request);
  const state = await requireAgent(client, agentId);
  // A terminated agent's context is read-only; it receives nothing anyway, so only the index row goes.
  const live = state.context.lifecycle.state !== 'terminated';
  if (live) await signalAgent(client, agentId, AgentOps.unsubscribe, { topic });
  await index.remove(topic, agentId);
  // Only a change of the context is recorded: not a topic it never had, nor the index row of a terminated agent.
  const changed = live && state.context.subscriptions.topics.includes(topic);
  const recorded = changed ? await auditApiChange(request, audit, { agentId, action: ContextAuditAction.unsubscribed, change: { topic }, details: { topic } }) : { audit: true };
  return { status: 202, headers: { location: `/api/agents/${agentId}` }, jsonBody: { topic, agentId, subscribed: false, recorded } };
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

clientHttp('topics-subscribe', ['POST'], 'topics/{topic}/subscribers/{agentId}', (request: HttpRequest, client: DurableClient) => subscribe(request, client, getMessagingServices().topicIndex));

clientHttp('topics-unsubscribe', ['DELETE'], 'topics/{topic}/subscribers/{agentId}', (request: HttpRequest, client: DurableClient) => unsubscribe(request, client, getMessagingServices().topicIndex));

clientHttp('topics-subscribers', ['GET'], 'topics/{topic}/subscribers', (request: HttpRequest) => listSubscribers(request, getMessagingServices().topicIndex));

clientHttp('topics-publish', ['POST'], 'topics/{topic}/publish', (request: HttpRequest, client: DurableClient) => publish(request, client, { maxEventBytes: getConfig().agents.maxEventBytes, now: () => new Date(), newId: randomUUID }));
