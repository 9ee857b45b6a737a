/** `POST /api/agents/{id}/terminate`: the agent becomes `terminated` (final; its context is kept) and its loop ends. */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import { z } from 'zod';
import { AgentLoopEvents, AgentOps, agentLoopInstanceId } from '../domain/index.js';
import { loopStatus, readView, requireAgent, signalAgent } from './agent-gateway.js';
import { ContextAuditAction } from '../services/index.js';
import { auditApiChange, type ContextAuditDeps } from './context-audit.js';
import { clientHttp } from './error-response.js';
import { agentIdParam, jsonBody } from './http-input.js';

const TerminateBodySchema = z.object({ reason: z.string().max(200).optional() });

export async function terminateAgent(request: HttpRequest, client: DurableClient, audit?: ContextAuditDeps): Promise<HttpResponseInit> {
  const id = agentIdParam(request);
  const body = await jsonBody(request, TerminateBodySchema, 'terminate request');
  const state = await requireAgent(client, id);
  if (state.context.lifecycle.state === 'terminated') return { status: 200, jsonBody: readView(state) };
  await signalAgent(client, id, AgentOps.terminate, body.reason === undefined ? {} : { reason: body.reason });
  // Terminated is final: one record per agent, however often a client retries.
  const recorded = await auditApiChange(request, audit, { agentId: id, action: ContextAuditAction.terminated, change: body, key: 'context:terminated' });
  // Wake the loop so it sees `terminated` and completes; a loop mid-batch ends at its next entity call.
  const status = await loopStatus(client, id);
  if (status && ['Running', 'Pending', 'ContinuedAsNew'].includes(String(status.runtimeStatus))) await client.raiseEvent(agentLoopInstanceId(id), AgentLoopEvents.wake, { reason: 'terminate' });
  return { status: 202, headers: { location: `/api/agents/${id}` }, jsonBody: { agentId: id, lifecycle: 'terminated', accepted: true, recorded } };
}

clientHttp('agents-terminate', ['POST'], 'agents/{id}/terminate', (request: HttpRequest, client: DurableClient) => terminateAgent(request, client));
