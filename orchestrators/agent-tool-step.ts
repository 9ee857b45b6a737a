/**
 * The loop's tool step, kept apart from the loop: when an event (or the decision on it) asks for an
 * MCP tool call, the `agent-mcp-call` activity makes it (discovery, timeout, circuit breaker: all
 * I/O there) and the outcome, success or failure, is remembered in the agent's memory.
 *
 * At least once: a batch re-taken after a crash before its decision was recorded calls the tool
 * again, as it writes the transcript again; tools with side effects should be idempotent.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { AgentOps, AgentToolActivities, clip, toolCallMemoryText, toolRequestFor, type EventEnvelope, type McpCallOutput } from '../src/domain/index.js';
import { callAgent, callTypedActivity } from './durable-call.js';

function eventText(event: EventEnvelope): string {
  const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data ?? null);
  return clip(`${event.type} ${event.subject ?? ''} ${data}`, 2000);
}

/** Makes the tool call the event or decision asks for, if any, and remembers its outcome. */
export function* toolStep(context: OrchestrationContext, agentId: string, event: EventEnvelope, decisionAction: string): Generator<Task, McpCallOutput | undefined, unknown> {
  const request = toolRequestFor(event, decisionAction);
  if (!request) return undefined;
  let out: McpCallOutput;
  try {
    out = yield* callTypedActivity(context, AgentToolActivities.mcpCall, { agentId, eventId: event.id, eventType: event.type, eventText: eventText(event), request });
  } catch (err) {
    // The activity reports tool failures as data; reaching here means the activity itself failed after its retries.
    const message = clip(err instanceof Error ? err.message : String(err), 1000);
    out = { ok: false, ...(request.server ? { server: request.server } : {}), ...(request.tool ? { tool: request.tool } : {}), offered: [], text: '', toolError: false, error: { code: 'ACTIVITY_FAILED', message }, durationMs: 0 };
  }
  yield* callAgent(context, agentId, AgentOps.remember, { kind: 'note', text: toolCallMemoryText(out), eventId: event.id });
  return out;
}
