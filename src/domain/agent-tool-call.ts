/**
 * Agents as MCP clients: which of an agent's MCP servers an event may use, how an event asks for a
 * tool call, and the descriptor of the activity that makes the call. Pure, so the loop can use it.
 */
import { z } from 'zod';
import { AgentIdSchema } from './agent-id.js';
import type { McpServer } from './agent-context.js';
import { clip } from './agent-memory.js';
import type { EventEnvelope } from './event-envelope.js';
import { defineOperation } from './operation-descriptor.js';

/**
 * What an event asks for in `data.mcp`: a tool (optionally on a named server) and its arguments.
 * Without `tool`, the activity picks the offered tool that best matches the event's text.
 */
export const McpToolRequestSchema = z.object({
  server: z.string().min(1).max(200).optional(),
  tool: z.string().min(1).max(128).optional(),
  arguments: z.record(z.string(), z.unknown()).default({}),
});
export type McpToolRequest = z.infer<typeof McpToolRequestSchema>;

/** The tool request an event carries in `data.mcp`, or undefined when it carries none (or a malformed one). */
export function toolRequestOf(event: EventEnvelope): McpToolRequest | undefined {
  const data = event.data;
  if (data === null || typeof data !== 'object' || !('mcp' in data)) return undefined;
  const parsed = McpToolRequestSchema.safeParse((data as { mcp: unknown }).mcp);
  return parsed.success ? parsed.data : undefined;
}

/** `mcp:<server>/<tool>` or `mcp:<tool>`: a decision that picks a tool (e.g. one of the event's `data.options`). */
const PICKED_TOOL = /^mcp:(?:([^/\s]{1,200})\/)?([^/\s]{1,128})$/;

/**
 * The tool call an event leads to: the decision's pick (`mcp:<server>/<tool>`, arguments from
 * `data.mcp.arguments`) or else the event's own `data.mcp` request; undefined when neither asks.
 */
export function toolRequestFor(event: EventEnvelope, decisionAction: string): McpToolRequest | undefined {
  const asked = toolRequestOf(event);
  const picked = PICKED_TOOL.exec(decisionAction.trim());
  if (!picked) return asked;
  return { ...(picked[1] ? { server: picked[1] } : {}), tool: picked[2] as string, arguments: asked?.arguments ?? {} };
}

/**
 * True when a server's tags admit an event type: a tag equal to the type, `*`, or a prefix ending in
 * `*` (`order.*` admits `order.created`). A server without tags admits every event type, so that a
 * general-purpose server needs no tagging.
 */
export function tagsMatch(tags: readonly string[], eventType: string): boolean {
  if (tags.length === 0) return true;
  return tags.some((tag) => tag === eventType || tag === '*' || (tag.endsWith('*') && eventType.startsWith(tag.slice(0, -1))));
}

/** The servers whose tools are offered for an event: enabled ones whose tags match its type, in context order. */
export function serversForEvent(servers: readonly McpServer[], eventType: string): McpServer[] {
  return servers.filter((s) => s.enabled && tagsMatch(s.tags, eventType));
}

export const McpCallInputSchema = z.object({
  agentId: AgentIdSchema,
  eventId: z.string().min(1),
  eventType: z.string().min(1),
  /** The event's text, used to pick a tool when the request names none. */
  eventText: z.string().max(2000),
  request: McpToolRequestSchema,
});
export type McpCallInput = z.infer<typeof McpCallInputSchema>;

export const McpCallOutputSchema = z.object({
  ok: z.boolean(),
  server: z.string().optional(),
  tool: z.string().optional(),
  /** `server/tool` names offered for this event type (at most 50). */
  offered: z.array(z.string()).max(50),
  /** The tool's text content (clipped); on failure, empty. */
  text: z.string().max(2000),
  /** Whether the tool itself answered `isError`. */
  toolError: z.boolean().default(false),
  error: z.object({ code: z.string(), message: z.string().max(1000) }).optional(),
  durationMs: z.number().int().nonnegative(),
});
export type McpCallOutput = z.infer<typeof McpCallOutputSchema>;

/** Activity names are prefixed `agent-` as the loop's other activities are. */
export const AgentToolActivities = {
  mcpCall: defineOperation('agent-mcp-call', McpCallInputSchema, McpCallOutputSchema),
} as const;

/** The memory line that records a tool call's outcome in the calling agent's context. */
export function toolCallMemoryText(out: McpCallOutput): string {
  const target = `${out.server ?? '?'}/${out.tool ?? '?'}`;
  if (out.ok && !out.toolError) return clip(`mcp ${target} ok: ${out.text}`, 500);
  if (out.ok) return clip(`mcp ${target} answered an error: ${out.text}`, 500);
  return clip(`mcp ${target} failed (${out.error?.code ?? 'UNKNOWN'}): ${out.error?.message ?? ''}`, 500);
}
