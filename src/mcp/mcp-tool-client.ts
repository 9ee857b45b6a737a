/**
 * Agents as MCP clients: discover the tools of the MCP servers an event may use (enabled, tags
 * matching its type) and call one, each server operation under its timeout and circuit breaker.
 * Failures are returned as data (`ok: false` with a code), never thrown, so the loop can remember them.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { chooseOption, clip, serversForEvent, type McpCallInput, type McpCallOutput, type McpServer } from '../domain/index.js';
import { policyFailureCode, type McpServerPolicies } from './mcp-breaker.js';

export interface ToolClientDeps {
  policies: McpServerPolicies;
  /** How the calling agent introduces itself to servers. */
  clientName: string;
  now?: () => number;
}

interface OfferedTool {
  server: McpServer;
  name: string;
  description: string;
}

/** A server operation failed; `code` says how (the breaker's, the protocol's, or the connection's). */
class ToolCallFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The server the failure is about, when there is one. */
    readonly server?: string,
  ) {
    super(message);
  }
}

/** Pages of `tools/list` read per server, so a misbehaving server cannot keep the agent listing. */
const MAX_TOOL_PAGES = 5;

function failureOf(err: unknown, server: McpServer): ToolCallFailure {
  if (err instanceof ToolCallFailure) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = policyFailureCode(err);
  if (code === 'CIRCUIT_OPEN') return new ToolCallFailure(code, `server ${server.name} is failing; its circuit breaker is open`, server.name);
  if (code === 'TIMEOUT') return new ToolCallFailure(code, `server ${server.name} did not answer in time: ${message}`, server.name);
  if (err instanceof McpError) return new ToolCallFailure(`MCP_${err.code}`, message, server.name);
  return new ToolCallFailure('CONNECTION_FAILED', `server ${server.name} (${server.url}): ${message}`, server.name);
}

/** An open MCP session with one server; `close` is always safe to call. */
async function connect(server: McpServer, clientName: string, signal: AbortSignal): Promise<Client> {
  const client = new Client({ name: clientName, version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url)), { signal });
  return client;
}

async function listTools(client: Client, signal: AbortSignal): Promise<Array<{ name: string; description?: string }>> {
  const tools: Array<{ name: string; description?: string }> = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_TOOL_PAGES; page++) {
    const result = await client.listTools(cursor ? { cursor } : undefined, { signal });
    tools.push(...result.tools);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return tools;
}

/** The text of a tool result: its text parts, else its structured content as JSON. */
export function toolResultText(result: Readonly<Record<string, unknown>>): string {
  const parts = Array.isArray(result.content) ? result.content : [];
  const texts = parts.flatMap((p: unknown) => (p !== null && typeof p === 'object' && (p as { type?: unknown }).type === 'text' ? [String((p as { text?: unknown }).text ?? '')] : []));
  if (texts.length > 0) return texts.join('\n');
  return result.structuredContent === undefined ? '' : JSON.stringify(result.structuredContent);
}

/** The one tool to call: the named one (on the named server if any), else the best lexical match for the event. */
function pick(offered: readonly OfferedTool[], input: McpCallInput): OfferedTool {
  const { tool } = input.request;
  if (tool) {
    const found = offered.find((t) => t.name === tool);
    if (!found) throw new ToolCallFailure('TOOL_NOT_FOUND', `no offered server has a tool ${tool} for events of type ${input.eventType}`);
    return found;
  }
  if (offered.length === 0) throw new ToolCallFailure('TOOL_NOT_FOUND', `the offered servers have no tools for events of type ${input.eventType}`);
  const choice = chooseOption(
    offered.map((t) => `${t.name.replace(/[_-]/g, ' ')}: ${t.description}`),
    { statement: input.eventText, scope: '', successCriteria: [] },
  );
  return offered[choice.index] as OfferedTool;
}

/**
 * Discovers the offered tools and calls the one the request names (or the best match). Sessions
 * are closed before returning. Never throws.
 */
export async function callOfferedTool(servers: readonly McpServer[], input: McpCallInput, deps: ToolClientDeps): Promise<McpCallOutput> {
  const now = deps.now ?? Date.now;
  const started = now();
  const eligible = serversForEvent(servers, input.eventType).filter((s) => !input.request.server || s.name === input.request.server);
  const offered: OfferedTool[] = [];
  const sessions = new Map<McpServer, Client>();
  const outcome = (o: Omit<McpCallOutput, 'offered' | 'durationMs' | 'toolError'> & { toolError?: boolean }): McpCallOutput => ({
    toolError: false,
    ...o,
    offered: offered.slice(0, 50).map((t) => `${t.server.name}/${t.name}`),
    durationMs: Math.max(0, Math.round(now() - started)),
  });
  let target: OfferedTool | undefined;
  try {
    if (eligible.length === 0) {
      const why = input.request.server ? `server ${input.request.server} is not an enabled MCP server of this agent for events of type ${input.eventType}` : `no enabled MCP server of this agent is tagged for events of type ${input.eventType}`;
      throw new ToolCallFailure('NO_SERVER', why);
    }
    let discoveryFailure: ToolCallFailure | undefined;
    for (const server of eligible) {
      try {
        const tools = await deps.policies.for(server.url).execute(async (signal) => {
          const client = await connect(server, deps.clientName, signal);
          sessions.set(server, client);
          return listTools(client, signal);
        });
        offered.push(...tools.map((t) => ({ server, name: t.name, description: t.description ?? '' })));
      } catch (err) {
        discoveryFailure ??= failureOf(err, server);
      }
    }
    // With one server asked for (or only one offered), its discovery failure is the answer.
    if (offered.length === 0 && discoveryFailure) throw discoveryFailure;
    target = pick(offered, input);
    const chosen = target;
    const session = sessions.get(chosen.server);
    if (!session) throw new ToolCallFailure('CONNECTION_FAILED', `no session with server ${chosen.server.name}`);
    const result = await deps.policies
      .for(chosen.server.url)
      .execute((signal) => session.callTool({ name: chosen.name, arguments: input.request.arguments }, undefined, { signal, timeout: deps.policies.timeoutMs }))
      .catch((err: unknown) => {
        throw failureOf(err, chosen.server);
      });
    return outcome({ ok: true, server: chosen.server.name, tool: chosen.name, text: clip(toolResultText(result), 2000), toolError: result.isError === true });
  } catch (err) {
    const failure = err instanceof ToolCallFailure ? err : new ToolCallFailure('INTERNAL', err instanceof Error ? err.message : String(err));
    const server = target?.server.name ?? failure.server ?? input.request.server;
    const tool = target?.name ?? input.request.tool;
    return outcome({ ok: false, ...(server ? { server } : {}), ...(tool ? { tool } : {}), text: '', error: { code: failure.code, message: clip(failure.message, 1000) } });
  } finally {
    await Promise.allSettled([...sessions.values()].map((c) => c.close()));
  }
}
