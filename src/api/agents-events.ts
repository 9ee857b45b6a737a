/**
 * `POST /api/agents/{id}/events`: accept an event for an agent. The event is signalled to the
 * entity (`enqueueEvent`) and that signal is durable BEFORE the 202; only then is the loop nudged
 * (`wake`) or started. A posted id that was already accepted is accepted again without a second copy.
 */
import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import { getConfig } from '../config.js';
import { AgentOps, EventEnvelopeInputSchema, EventTooLargeError, MailboxFullError, completeEnvelope, envelopeBytes, type AgentId, type EventEnvelopeInput } from '../domain/index.js';
import { aosMetrics, stampEnvelope } from '../services/telemetry/index.js';
import { ensureLoop, requireLiveAgent, signalAgent } from './agent-gateway.js';
import { clientHttp } from './error-response.js';
import { agentIdParam, jsonBody } from './http-input.js';

export interface EventDeps {
  maxEventBytes: number;
  now: () => Date;
  newId: () => string;
  log?: { warn(...args: unknown[]): void };
}

export interface EventAccepted {
  id: string;
  agentId: AgentId;
  accepted: true;
  duplicate: boolean;
  loop: string;
}

/**
 * Accepts an event for an agent: durable in the entity's queue when this resolves, then the loop is
 * nudged. The one lossless path for events, shared by this route and the agent's MCP `send_event` tool.
 */
export async function acceptEvent(client: DurableClient, id: AgentId, input: EventEnvelopeInput, deps: EventDeps): Promise<EventAccepted> {
  // The request's trace and a correlation id travel with the event, so the loop's activities continue the trace.
  const event = stampEnvelope(completeEnvelope(input, deps));
  const bytes = envelopeBytes(event);
  if (bytes > deps.maxEventBytes) throw new EventTooLargeError(bytes, deps.maxEventBytes);
  const state = await requireLiveAgent(client, id);
  const duplicate = state.mailbox.events.some((e) => e.id === event.id) || state.mailbox.processedIds.includes(event.id);
  // The bound is enforced here, where the client can be told 429; the entity then keeps whatever was accepted.
  if (!duplicate && state.mailbox.events.length >= state.context.settings.mailboxCapacity) throw new MailboxFullError(id, state.context.settings.mailboxCapacity);
  await signalAgent(client, id, AgentOps.enqueueEvent, { event, overCapacity: 'accept' });
  aosMetrics.mailboxDepth(id, state.mailbox.events.length + (duplicate ? 0 : 1));
  let loop: string;
  try {
    loop = await ensureLoop(client, id, `event ${event.id}`);
  } catch (err) {
    // The event is already safe in the entity's queue; the loop finds it at its next heartbeat.
    deps.log?.warn('could not wake the agent loop', { agentId: id, eventId: event.id, error: err instanceof Error ? err.message : String(err) });
    loop = 'wake-failed';
  }
  aosMetrics.agentWoken(id, loop === 'started' || loop === 'woken' ? loop : 'wake-failed');
  return { id: event.id, agentId: id, accepted: true, duplicate, loop };
}

export async function postEvent(request: HttpRequest, client: DurableClient, deps: EventDeps): Promise<HttpResponseInit> {
  const id = agentIdParam(request);
  const input = await jsonBody(request, EventEnvelopeInputSchema, 'event envelope', deps.maxEventBytes);
  const accepted = await acceptEvent(client, id, input, deps);
  return { status: 202, headers: { location: `/api/agents/${id}` }, jsonBody: accepted };
}

clientHttp('agents-events', ['POST'], 'agents/{id}/events', (request: HttpRequest, client: DurableClient, context: InvocationContext) =>
  postEvent(request, client, { maxEventBytes: getConfig().agents.maxEventBytes, now: () => new Date(), newId: randomUUID, log: context }),
);
