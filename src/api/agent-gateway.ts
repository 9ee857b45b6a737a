/**
 * The API's access to agents through the durable client: read the entity state, signal
 * operations, and keep the loop running (start it, or nudge it with `wake`).
 */
import * as df from 'durable-functions';
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import type { z } from 'zod';
import {
  AGENT_ENTITY_NAME,
  AGENT_LOOP_NAME,
  AgentLoopEvents,
  AgentNotFoundError,
  AgentTerminatedError,
  AgentOps,
  agentLoopInstanceId,
  applyOperation,
  loadAgentState,
  type AgentId,
  type AgentState,
  type OperationDescriptor,
  type ReadResult,
} from '../domain/index.js';

export function agentEntityId(id: AgentId): df.EntityId {
  return new df.EntityId(AGENT_ENTITY_NAME, id);
}

/** The agent's stored state, or undefined when it is not registered. */
export async function readAgentState(client: DurableClient, id: AgentId): Promise<AgentState | undefined> {
  const response = await client.readEntityState<unknown>(agentEntityId(id));
  return response.entityExists && response.entityState !== undefined && response.entityState !== null ? loadAgentState(response.entityState) : undefined;
}

/** The `read` view of an agent (context, mailbox depth, batch in flight), computed by the same reducer the entity runs. */
export function readView(state: AgentState): ReadResult {
  const out = applyOperation(state, { name: AgentOps.read.name }, { agentId: state.context.id, now: state.context.timestamps.updatedAt });
  if (!out.result.ok) throw new Error(out.result.error.message);
  return AgentOps.read.output.parse(out.result.value);
}

export async function requireAgent(client: DurableClient, id: AgentId): Promise<AgentState> {
  const state = await readAgentState(client, id);
  if (!state) throw new AgentNotFoundError(id);
  return state;
}

export async function requireLiveAgent(client: DurableClient, id: AgentId): Promise<AgentState> {
  const state = await requireAgent(client, id);
  if (state.context.lifecycle.state === 'terminated') throw new AgentTerminatedError(id);
  return state;
}

/**
 * Signals an entity operation. When `signalEntity` returns, the operation is durably queued for the
 * entity (this is what lets the events route answer 202 only after the event is safe).
 */
export async function signalAgent<I extends z.ZodType, O extends z.ZodType>(client: DurableClient, id: AgentId, op: OperationDescriptor<I, O>, input: z.input<I>): Promise<void> {
  await client.signalEntity(agentEntityId(id), op.name, op.input.parse(input));
}

const ENDED = new Set(['Completed', 'Failed', 'Terminated', 'Canceled']);

/**
 * The loop's status, or undefined when it never ran. durable-functions v3 reports an unknown
 * instance as a plain `Error` whose message names the HTTP 404 it got; this is the one place that
 * reads it, because the library offers no typed not-found.
 */
export async function loopStatus(client: DurableClient, id: AgentId): Promise<DurableOrchestrationStatus | undefined> {
  try {
    return await client.getStatus(agentLoopInstanceId(id));
  } catch (err) {
    if (err instanceof Error && /\b404\b/.test(err.message)) return undefined;
    throw err;
  }
}

/** Starts the loop when it is not running, else raises `wake` on it. */
export async function ensureLoop(client: DurableClient, id: AgentId, reason: string): Promise<'started' | 'woken'> {
  const instanceId = agentLoopInstanceId(id);
  const status = await loopStatus(client, id);
  if (!status || ENDED.has(String(status.runtimeStatus))) {
    try {
      await client.startNew(AGENT_LOOP_NAME, { instanceId, input: { agentId: id, generation: 0 } });
      return 'started';
    } catch {
      // Another request started it first (Durable refuses to start a running instance): nudge it instead.
    }
  }
  await client.raiseEvent(instanceId, AgentLoopEvents.wake, { reason });
  return 'woken';
}
