/** `GET /api/agents` (paged directory) and `GET /api/agents/{id}` (context, lifecycle, counters, mailbox depth, loop status). */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import { z } from 'zod';
import { agentLoopInstanceId } from '../domain/index.js';
import { getAppServices, type AgentDirectory } from '../services/index.js';
import { loopStatus, readView, requireAgent } from './agent-gateway.js';
import { clientHttp } from './error-response.js';
import { agentIdParam, queryValue } from './http-input.js';

export async function listAgents(request: HttpRequest, directory: AgentDirectory): Promise<HttpResponseInit> {
  const pageSize = queryValue(request, 'pageSize', z.coerce.number().int().min(1).max(100).default(50));
  const continuation = queryValue(request, 'continuation', z.string().min(1).max(2000).optional());
  const page = await directory.list({ pageSize, ...(continuation ? { continuation } : {}) });
  return { status: 200, jsonBody: { items: page.items, ...(page.next ? { next: page.next } : {}) } };
}

export async function readAgent(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const id = agentIdParam(request);
  const state = await requireAgent(client, id);
  const status = await loopStatus(client, id);
  const loop = status
    ? { instanceId: status.instanceId, runtimeStatus: status.runtimeStatus, customStatus: status.customStatus ?? null, lastUpdatedTime: status.lastUpdatedTime }
    : { instanceId: agentLoopInstanceId(id), runtimeStatus: 'NotStarted', customStatus: null };
  return { status: 200, jsonBody: { ...readView(state), loop } };
}

clientHttp('agents-list', ['GET'], 'agents', (request: HttpRequest) => listAgents(request, getAppServices().directory));

clientHttp('agents-read', ['GET'], 'agents/{id}', (request: HttpRequest, client: DurableClient) => readAgent(request, client));
