/** Helpers of the MCP e2e files: the AOS API with fetch, and an MCP client session on an agent's endpoint with the SDK's own client. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { agentsHttp } from '../support/agents-http.js';
import type { AosProcess } from '../support/aos-process.js';

export interface McpAgentView {
  context: {
    id: string;
    name: string;
    role: string;
    purpose: { current: { statement: string; scope: string }; original: { statement: string } };
    lifecycle: { state: string };
    counters: { eventsProcessed: number; decisions: number; eventsAccepted: number };
    goals: Array<{ id: string; description: string; progress: number; status: string }>;
    memory: { recent: Array<{ kind: string; text: string; eventId?: string }>; summary: string; total: number };
    recentDecisions: Array<{ eventId: string; action: string }>;
    mcpServers: Array<{ name: string; url: string; tags: string[]; enabled: boolean }>;
    settings: { heartbeatSeconds: number };
  };
  mailboxDepth: number;
}

export function aosApi(host: () => AosProcess) {
  return agentsHttp<McpAgentView>(host);
}

export function mcpUrl(host: AosProcess, agentId: string): string {
  return `${host.baseUrl}/api/agents/${agentId}/mcp`;
}

/** An initialized MCP client session with an agent's ContextMCPServer. */
export async function connectMcp(host: AosProcess, agentId: string): Promise<Client> {
  const client = new Client({ name: 'aos-e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl(host, agentId))));
  return client;
}

/** The JSON text of a resource, parsed. */
export async function resourceJson(client: Client, uri: string): Promise<unknown> {
  const first = (await client.readResource({ uri })).contents[0];
  if (!first || !('text' in first)) throw new Error(`resource ${uri} has no text content`);
  return JSON.parse(first.text);
}

/** The JSON of a tool result's first text part. */
export function toolJson(result: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const first = Array.isArray(result.content) ? (result.content[0] as { type?: string; text?: string } | undefined) : undefined;
  if (first?.type !== 'text' || first.text === undefined) throw new Error(`tool result has no text: ${JSON.stringify(result)}`);
  return JSON.parse(first.text) as Record<string, unknown>;
}

export function toolText(result: Readonly<Record<string, unknown>>): string {
  const parts = Array.isArray(result.content) ? (result.content as Array<{ type?: string; text?: string }>) : [];
  return parts.map((p) => p.text ?? '').join('\n');
}
