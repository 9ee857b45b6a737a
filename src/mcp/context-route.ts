/**
 * `GET|POST|DELETE /api/agents/{id}/mcp`: the agent's ContextMCPServer over Streamable HTTP, on an
 * ordinary HTTP trigger with a durable client, so it runs on the local host and on Azure Functions
 * alike. Every answer is JSON: an unknown agent is a JSON-RPC error with HTTP 404, never an HTML page.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { getConfig } from '../config.js';
import { AgentIdSchema, AgentNotFoundError, agentChainId } from '../domain/index.js';
import { contextActor, getAppServices, getGovernanceServices } from '../services/index.js';
import { principalOf } from '../api/http-guard.js';
import { DurableAgentAccess } from './agent-access.js';
import { createContextServer, serveStateless, type ContextServerDeps } from './context-server.js';
import { jsonRpcError, McpRpcErrorCode, requestIdOf } from './mcp-http-bridge.js';

export interface ContextRouteDeps {
  server: ContextServerDeps;
  access: ConstructorParameters<typeof DurableAgentAccess>[2];
  log?: { error(...args: unknown[]): void };
}

export async function serveAgentMcp(request: HttpRequest, client: DurableClient, deps: ContextRouteDeps): Promise<HttpResponseInit> {
  // The body can be read once; keep it for the error id and hand the transport a copy.
  const body = request.method === 'POST' ? await request.text() : undefined;
  const id = requestIdOf(body);
  const parsedId = AgentIdSchema.safeParse(request.params.id);
  if (!parsedId.success) return jsonRpcError(400, McpRpcErrorCode.invalidParams, `invalid agent id in the URL: ${parsedId.error.issues[0]?.message ?? ''}`, { id });
  const access = new DurableAgentAccess(parsedId.data, client, deps.access);
  try {
    // An unknown agent has no server at all: refuse before initialize succeeds.
    await access.state();
    const buffered = { url: request.url, method: request.method, headers: request.headers, text: async () => body ?? '' };
    return await serveStateless(buffered, createContextServer(access, deps.server));
  } catch (err) {
    if (err instanceof AgentNotFoundError) return jsonRpcError(404, McpRpcErrorCode.notFound, err.message, { id, data: { code: err.code, agentId: err.agentId } });
    deps.log?.error('MCP request failed', { agentId: parsedId.data, message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined });
    return jsonRpcError(500, McpRpcErrorCode.internal, 'internal error', { id });
  }
}

df.app.client.http('agents-mcp', {
  methods: ['GET', 'POST', 'DELETE'],
  authLevel: 'anonymous',
  route: 'agents/{id}/mcp',
  handler: (request: HttpRequest, client: DurableClient, context: InvocationContext) => {
    const services = getAppServices();
    const now = () => new Date();
    return serveAgentMcp(request, client, {
      server: {
        inference: services.inference,
        now,
        audit: { append: (chain, entry) => getGovernanceServices().ledger.append(chain, entry), log: { warn: (message, ...args) => context.warn(message, ...args) } },
        actor: contextActor(principalOf(request), 'mcp'),
        auditHead: async (agentId) => {
          const chain = agentChainId(agentId);
          return { chain, ...(await getGovernanceServices().ledger.head(chain)) };
        },
      },
      access: { maxEventBytes: getConfig().agents.maxEventBytes, now, newId: randomUUID, log: context, sleep: (ms) => delay(ms) },
      log: context,
    });
  },
});
