/**
 * Activity `agent-mcp-call`: the agent as an MCP client. Reads the agent's MCP servers from its
 * entity (durable client input), discovers the tools offered for the event's type and calls one,
 * under a per-server timeout and circuit breaker. Tool failures come back as data (`ok: false`)
 * so that Durable does not retry them; the breaker is the retry policy for external servers.
 */
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { readAgentState } from '../src/api/index.js';
import { AgentNotFoundError, AgentToolActivities, ValidationError, type McpCallOutput } from '../src/domain/index.js';
import { McpServerPolicies, callOfferedTool } from '../src/mcp/index.js';

/** Breakers live for the process, shared by all agents calling the same server URL. */
const policies = new McpServerPolicies();

export async function mcpCallActivity(input: unknown, deps: { client: DurableClient; policies: McpServerPolicies }): Promise<McpCallOutput> {
  const parsed = AgentToolActivities.mcpCall.input.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod('agent-mcp-call input', parsed.error);
  const state = await readAgentState(deps.client, parsed.data.agentId);
  if (!state) throw new AgentNotFoundError(parsed.data.agentId);
  const out = await callOfferedTool(state.context.mcpServers, parsed.data, { policies: deps.policies, clientName: `aos-agent-${parsed.data.agentId}` });
  return AgentToolActivities.mcpCall.output.parse(out);
}

df.app.activity(AgentToolActivities.mcpCall.name, {
  extraInputs: [df.input.durableClient()],
  handler: async (input: unknown, context: InvocationContext) => {
    const out = await mcpCallActivity(input, { client: df.getClient(context), policies });
    context.log('agent MCP tool call', { ok: out.ok, server: out.server, tool: out.tool, code: out.error?.code, durationMs: out.durationMs });
    return out;
  },
});
