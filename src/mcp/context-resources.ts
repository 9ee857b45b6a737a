/**
 * Resources of an agent's ContextMCPServer, each read from the entity's stored state:
 * `aos://agents/<id>/{context,goals,memory,decisions,status,audit-head}` and the templates
 * `aos://agents/<id>/goals/{goalId}` and `aos://agents/<id>/decisions/{eventId}`.
 */
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { McpError, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { readView } from '../api/index.js';
import type { AgentAccess } from './agent-access.js';
import { McpRpcErrorCode } from './mcp-http-bridge.js';

export function agentResourceBase(agentId: string): string {
  return `aos://agents/${agentId}`;
}

function json(uri: URL, value: unknown): ReadResourceResult {
  return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }] };
}

function variable(value: string | string[] | undefined): string {
  return decodeURIComponent(Array.isArray(value) ? (value[0] ?? '') : (value ?? ''));
}

export interface ContextResourceDeps {
  /** The head of the agent's audit chain (`agent-<id>` in the governance ledger); without it the resource is not offered. */
  auditHead?: (agentId: string) => Promise<{ chain: string; length: number; hash: string }>;
}

export function registerContextResources(server: McpServer, access: AgentAccess, deps: ContextResourceDeps = {}): void {
  const base = agentResourceBase(access.agentId);
  const meta = (title: string, description: string) => ({ title, description, mimeType: 'application/json' });

  server.registerResource('context', `${base}/context`, meta('Agent context', 'The whole persistent context: identity, purpose (current and original), goals, lifecycle, memory, MCP servers, settings, counters; with mailbox depth and the batch in flight.'), async (uri) =>
    json(uri, readView(await access.state())),
  );
  server.registerResource('goals', `${base}/goals`, meta('Goals', 'All goals with progress (0..1) and status.'), async (uri) => json(uri, (await access.state()).context.goals));
  server.registerResource('memory', `${base}/memory`, meta('Memory', 'Recent memory entries, the rolling summary, the total count and where the full transcript is.'), async (uri) => {
    const { recent, summary, total, transcript } = (await access.state()).context.memory;
    return json(uri, { summary, recent, total, transcript });
  });
  server.registerResource('decisions', `${base}/decisions`, meta('Recent decisions', 'The newest decisions with action, rationale, alignment, provider and cost.'), async (uri) =>
    json(uri, (await access.state()).context.recentDecisions),
  );
  server.registerResource('status', `${base}/status`, meta('Status', 'Lifecycle, mailbox depth, the batch in flight, the loop and its next wake time, counters.'), async (uri) => {
    const [state, loop] = await Promise.all([access.state(), access.loop()]);
    const view = readView(state);
    return json(uri, { lifecycle: state.context.lifecycle.state, since: state.context.lifecycle.since, mailboxDepth: view.mailboxDepth, inFlight: view.inFlight ?? null, loop, counters: state.context.counters });
  });
  const auditHead = deps.auditHead;
  if (auditHead) {
    server.registerResource('audit-head', `${base}/audit-head`, meta('Audit chain head', 'The length and last hash of the agent\'s tamper-evident audit chain (verify it with GET /api/audit/<chain>/verify).'), async (uri) => {
      await access.state();
      return json(uri, await auditHead(access.agentId));
    });
  }

  server.registerResource(
    'goal',
    new ResourceTemplate(`${base}/goals/{goalId}`, {
      list: async () => ({ resources: (await access.state()).context.goals.map((g) => ({ uri: `${base}/goals/${encodeURIComponent(g.id)}`, name: `goal ${g.id}`, description: g.description, mimeType: 'application/json' })) }),
      complete: { goalId: async (prefix) => (await access.state()).context.goals.map((g) => g.id).filter((id) => id.startsWith(prefix)) },
    }),
    meta('One goal', 'A goal by id.'),
    async (uri, vars) => {
      const goalId = variable(vars.goalId);
      const goal = (await access.state()).context.goals.find((g) => g.id === goalId);
      if (!goal) throw new McpError(McpRpcErrorCode.notFound, `agent ${access.agentId} has no goal ${goalId}`, { uri: uri.href });
      return json(uri, goal);
    },
  );
  server.registerResource(
    'decision',
    new ResourceTemplate(`${base}/decisions/{eventId}`, {
      list: async () => ({ resources: (await access.state()).context.recentDecisions.map((d) => ({ uri: `${base}/decisions/${encodeURIComponent(d.eventId)}`, name: `decision on ${d.eventId}`, description: d.action, mimeType: 'application/json' })) }),
    }),
    meta('One decision', 'A recent decision by the id of the event it answered.'),
    async (uri, vars) => {
      const eventId = variable(vars.eventId);
      const decision = (await access.state()).context.recentDecisions.find((d) => d.eventId === eventId);
      if (!decision) throw new McpError(McpRpcErrorCode.notFound, `agent ${access.agentId} has no recent decision on event ${eventId}`, { uri: uri.href });
      return json(uri, decision);
    },
  );
}
