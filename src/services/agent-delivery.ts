/**
 * Delivery of an event into an agent's mailbox from code that is not an HTTP route (topic fan-out
 * activities, the inbound bus trigger): the same lossless path as `POST /api/agents/<id>/events`,
 * an `enqueueEvent` signal (durable when `signalEntity` returns, idempotent by event id) followed
 * by a `wake` or a loop start. Fan-out accepts over capacity: the publication was already accepted.
 */
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import {
  AGENT_ENTITY_NAME,
  AGENT_LOOP_NAME,
  AgentLoopEvents,
  AgentOps,
  DeliveryOutcome,
  agentLoopInstanceId,
  loadAgentState,
  type AgentState,
  type DeliveryResult,
  type EventEnvelope,
} from '../domain/index.js';

/** The durable client calls delivery makes (a `DurableClient` has them all). */
export type DeliveryClient = Pick<DurableClient, 'readEntityState' | 'signalEntity' | 'getStatus' | 'startNew' | 'raiseEvent'>;

export interface DeliveryLog {
  warn(message: string, meta: Record<string, unknown>): void;
}

const ENDED = new Set(['Completed', 'Failed', 'Terminated', 'Canceled']);

async function readState(client: DeliveryClient, agentId: string): Promise<AgentState | undefined> {
  const response = await client.readEntityState<unknown>(new df.EntityId(AGENT_ENTITY_NAME, agentId));
  return response.entityExists && response.entityState !== undefined && response.entityState !== null ? loadAgentState(response.entityState) : undefined;
}

/** Starts the agent's loop when it is not running, else raises `wake` on it. */
export async function wakeAgent(client: DeliveryClient, agentId: string, reason: string): Promise<'started' | 'woken'> {
  const instanceId = agentLoopInstanceId(agentId);
  let runtimeStatus: string | undefined;
  try {
    runtimeStatus = String((await client.getStatus(instanceId)).runtimeStatus);
  } catch (err) {
    // durable-functions reports an unknown instance as an Error naming the HTTP 404 it got.
    if (!(err instanceof Error && /\b404\b/.test(err.message))) throw err;
  }
  if (runtimeStatus === undefined || ENDED.has(runtimeStatus)) {
    try {
      await client.startNew(AGENT_LOOP_NAME, { instanceId, input: { agentId, generation: 0 } });
      return 'started';
    } catch {
      // Someone else started it first: nudge it instead.
    }
  }
  await client.raiseEvent(instanceId, AgentLoopEvents.wake, { reason });
  return 'woken';
}

/**
 * Delivers `event` to one agent. With `topic`, the agent's context must still subscribe to it
 * (the subscriber index may name agents that unsubscribed). Safe to repeat: the mailbox keeps one
 * copy per event id.
 */
export async function deliverToAgent(client: DeliveryClient, agentId: string, event: EventEnvelope, options: { topic?: string; log?: DeliveryLog } = {}): Promise<DeliveryResult> {
  const state = await readState(client, agentId);
  if (!state) return { agentId, outcome: DeliveryOutcome.unknown };
  if (state.context.lifecycle.state === 'terminated') return { agentId, outcome: DeliveryOutcome.terminated };
  if (options.topic !== undefined && !state.context.subscriptions.topics.includes(options.topic)) return { agentId, outcome: DeliveryOutcome.notSubscribed };
  const duplicate = state.mailbox.events.some((e) => e.id === event.id) || state.mailbox.processedIds.includes(event.id);
  if (!duplicate) await client.signalEntity(new df.EntityId(AGENT_ENTITY_NAME, agentId), AgentOps.enqueueEvent.name, AgentOps.enqueueEvent.input.parse({ event, overCapacity: 'accept' }));
  try {
    await wakeAgent(client, agentId, `event ${event.id}`);
  } catch (err) {
    // The event is safe in the entity's queue; the loop finds it at its next heartbeat.
    options.log?.warn('could not wake the agent loop', { agentId, eventId: event.id, error: err instanceof Error ? err.message : String(err) });
  }
  return { agentId, outcome: duplicate ? DeliveryOutcome.duplicate : DeliveryOutcome.delivered };
}
