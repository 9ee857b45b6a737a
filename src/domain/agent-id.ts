/** Agent ids and the Durable names derived from them (entity id and loop instance id). */
import { z } from 'zod';

/**
 * Lower-case letters, digits and dashes, 2 to 63 characters, starting and ending with a letter or
 * digit: valid as an entity key, a Table partition key, a blob path segment and a DNS-like label.
 * The loop instance id `agent-<id>` can then never end in `:<digits>` (which Durable Functions
 * Monitor reads as a sub-orchestration).
 */
export const AgentIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/, 'an agent id is 2-63 lower-case letters, digits or dashes, starting and ending with a letter or digit');
export type AgentId = z.infer<typeof AgentIdSchema>;

/** The entity function name of agents (`df.app.entity('agent', ...)`). */
export const AGENT_ENTITY_NAME = 'agent';
/** The orchestration function name of the agent loop. */
export const AGENT_LOOP_NAME = 'agent-loop';

/** `@agent@<id>`: the Durable entity instance id of an agent. */
export function agentEntityInstanceId(id: AgentId): string {
  return `@${AGENT_ENTITY_NAME}@${id}`;
}

/** `agent-<id>`: the instance id of the agent's eternal loop orchestration. */
export function agentLoopInstanceId(id: AgentId): string {
  return `agent-${id}`;
}

/** The agent id of a loop instance id, or undefined when it is not one. */
export function agentIdOfLoopInstance(instanceId: string): AgentId | undefined {
  if (!instanceId.startsWith('agent-')) return undefined;
  const parsed = AgentIdSchema.safeParse(instanceId.slice('agent-'.length));
  return parsed.success ? parsed.data : undefined;
}
