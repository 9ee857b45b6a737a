/**
 * The ContextMCPServer of one agent: an `McpServer` with the agent's resources, tools and prompts,
 * and the stateless Streamable HTTP exchange that serves one HTTP request with it.
 *
 * Stateless (a new server and transport per request, no `Mcp-Session-Id`): any Functions instance
 * can answer any request, and nothing lives in memory between requests. The price is that the
 * server cannot push: no resource subscriptions or `notifications/resources/updated` (see README).
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { HttpResponseInit } from '@azure/functions';
import type { AgentAccess } from './agent-access.js';
import { registerContextPrompts } from './context-prompts.js';
import { registerContextResources, type ContextResourceDeps } from './context-resources.js';
import { registerContextTools, type ContextToolDeps } from './context-tools.js';
import { fromWebResponse, jsonRpcError, McpRpcErrorCode, toWebRequest, type BufferedHttpRequest } from './mcp-http-bridge.js';

export const CONTEXT_SERVER_VERSION = '1.0.0';

export type ContextServerDeps = ContextToolDeps & ContextResourceDeps;

export function createContextServer(access: AgentAccess, deps: ContextServerDeps): McpServer {
  const server = new McpServer(
    { name: `aos-agent-${access.agentId}`, title: `AOS agent ${access.agentId}`, version: CONTEXT_SERVER_VERSION },
    { instructions: `The persistent context of AOS agent ${access.agentId}: read its resources (aos://agents/${access.agentId}/...), change it with the tools, use the purpose prompt as its system prompt. Writes persist in the agent's Durable entity.` },
  );
  registerContextResources(server, access, deps);
  registerContextTools(server, access, deps);
  registerContextPrompts(server, access);
  return server;
}

/**
 * One Streamable HTTP exchange with any MCP server, statelessly: POST goes through a fresh
 * transport in JSON-response mode; GET (the server-to-client SSE stream) and DELETE (session end)
 * answer 405, as the transport spec allows a server without push or sessions to.
 */
export async function serveStateless(request: BufferedHttpRequest, server: McpServer): Promise<HttpResponseInit> {
  if (request.method !== 'POST') {
    return jsonRpcError(405, McpRpcErrorCode.server, `Method not allowed: this MCP endpoint is stateless (no SSE stream, no sessions); use POST`, { headers: { allow: 'POST' } });
  }
  const body = await request.text();
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  try {
    await server.connect(transport);
    const response = await transport.handleRequest(toWebRequest(request, body));
    return await fromWebResponse(response);
  } finally {
    await server.close();
  }
}
