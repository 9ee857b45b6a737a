/**
 * `POST /api/agents/{id}/messages`: agent `{id}` sends `{to, type, data}` to another agent. The
 * message becomes an envelope with source `agent:<from>` and goes into the target's mailbox through
 * the same lossless path as posted events (`acceptEvent`: durable entity signal before the 202,
 * idempotent by id, then `wake`). It is then recorded for both sides: the message log (Table
 * storage) and both agents' audit chains. `GET /api/agents/{id}/messages` reads the log.
 */
import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import { z } from 'zod';
import { getConfig } from '../config.js';
import { AgentMessageInputSchema, MessageDirection, agentChainId, messageEnvelope, type AuditEntryInput, type MessageLogEntry } from '../domain/index.js';
import { getGovernanceServices, getMessagingServices, type MessageLog } from '../services/index.js';
import { requireAgent, requireLiveAgent } from './agent-gateway.js';
import { acceptEvent, type EventDeps } from './agents-events.js';
import { clientHttp } from './error-response.js';
import { agentIdParam, jsonBody, queryValue } from './http-input.js';

/** The audit ledger as this route uses it (a chain per agent, idempotent by key). */
export interface MessageAudit {
  append(chain: ReturnType<typeof agentChainId>, entry: AuditEntryInput): Promise<unknown>;
}

export interface MessageDeps extends EventDeps {
  messageLog: MessageLog;
  audit: MessageAudit | undefined;
}

export async function postMessage(request: HttpRequest, client: DurableClient, deps: MessageDeps): Promise<HttpResponseInit> {
  const from = agentIdParam(request);
  const input = await jsonBody(request, AgentMessageInputSchema, 'message', deps.maxEventBytes);
  await requireLiveAgent(client, from);
  const envelope = messageEnvelope(from, input, deps);
  // 404 unknown target, 409 terminated target, 429 full mailbox, 413 too large: all from the events path.
  const accepted = await acceptEvent(client, input.to, envelope, deps);

  // The message is safe in the target's mailbox from here on: failures to record it are reported, not answered with 5xx
  // (a client retrying a 5xx without an id would send it twice). Re-sending with the same id repairs the record.
  const side = (agentId: string, direction: MessageLogEntry['direction'], peer: string): MessageLogEntry => ({ agentId, direction, peer, messageId: envelope.id, type: envelope.type, time: envelope.time, envelope });
  const recorded = { log: true, audit: deps.audit !== undefined };
  try {
    await deps.messageLog.record(side(from, MessageDirection.sent, input.to), side(input.to, MessageDirection.received, from));
  } catch (err) {
    recorded.log = false;
    deps.log?.warn('could not record the message in the message log', { from, to: input.to, messageId: envelope.id, error: err instanceof Error ? err.message : String(err) });
  }
  if (deps.audit) {
    const details = { messageId: envelope.id, type: envelope.type, from, to: input.to };
    try {
      await Promise.all([
        deps.audit.append(agentChainId(from), { actor: `agent:${from}`, action: 'message-sent', subject: `message ${envelope.id} to ${input.to}`, payload: envelope, details, time: envelope.time, key: `message:${envelope.id}:sent` }),
        deps.audit.append(agentChainId(input.to), { actor: `agent:${from}`, action: 'message-received', subject: `message ${envelope.id} from ${from}`, payload: envelope, details, time: envelope.time, key: `message:${envelope.id}:received` }),
      ]);
    } catch (err) {
      recorded.audit = false;
      deps.log?.warn('could not append the message to the audit chains', { from, to: input.to, messageId: envelope.id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return { status: 202, headers: { location: `/api/agents/${input.to}` }, jsonBody: { ...accepted, from, to: input.to, recorded } };
}

export async function listMessages(request: HttpRequest, client: DurableClient, messageLog: MessageLog): Promise<HttpResponseInit> {
  const id = agentIdParam(request);
  await requireAgent(client, id);
  const pageSize = queryValue(request, 'pageSize', z.coerce.number().int().min(1).max(100).default(50));
  const continuation = queryValue(request, 'continuation', z.string().min(1).max(2000).optional());
  const page = await messageLog.list(id, { pageSize, ...(continuation ? { continuation } : {}) });
  return { status: 200, jsonBody: page };
}

clientHttp('agents-messages-send', ['POST'], 'agents/{id}/messages', (request: HttpRequest, client: DurableClient, context: InvocationContext) =>
  postMessage(request, client, {
    maxEventBytes: getConfig().agents.maxEventBytes,
    now: () => new Date(),
    newId: randomUUID,
    log: context,
    messageLog: getMessagingServices().messageLog,
    audit: getGovernanceServices().ledger,
  }),
);

clientHttp('agents-messages-list', ['GET'], 'agents/{id}/messages', (request: HttpRequest, client: DurableClient) => listMessages(request, client, getMessagingServices().messageLog));
