/**
 * A confirmed write to an agent from outside an orchestration: a short `agent-operation`
 * orchestration calls one entity operation and completes with its outcome. A client signal is
 * fire-and-forget; this is how a caller (the MCP server) learns the entity's own answer.
 */
import { z } from 'zod';
import { AgentIdSchema } from './agent-id.js';

/** The orchestration function name. */
export const AGENT_OPERATION_NAME = 'agent-operation';

export const AgentOperationInputSchema = z.object({
  agentId: AgentIdSchema,
  operation: z.string().min(1).max(64),
  input: z.unknown(),
});
export type AgentOperationInput = z.infer<typeof AgentOperationInputSchema>;

/**
 * `aos-op-<agentId>-<unique>`: not `agent-...`, so that it is never read as the agent's loop
 * instance, and never ending in `:<digits>`.
 */
export function agentOperationInstanceId(agentId: string, unique: string): string {
  return `aos-op-${agentId}-${unique}`;
}
