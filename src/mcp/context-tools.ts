/**
 * Tools of an agent's ContextMCPServer. Writes are confirmed entity operations (what a client
 * changes persists and is what the loop and the HTTP API see); `send_event` takes the API's
 * lossless event path. Inputs are zod schemas, so a bad argument is refused with its field named.
 */
import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { readView } from '../api/index.js';
import {
  AgentOps,
  AosError,
  EventEnvelopeInputSchema,
  GoalInputSchema,
  UpdateContextInputSchema,
  agentBrief,
  evaluateAlignment,
  type DecideInput,
  type DecideOutput,
} from '../domain/index.js';
import { ContextAuditAction, auditContextChange, type ContextAuditLog } from '../services/index.js';
import type { AgentAccess } from './agent-access.js';

export interface ContextToolDeps {
  /** The configured inference provider, for `evaluate_alignment` with `method: "inference"`. */
  inference?: { decide(input: DecideInput): Promise<DecideOutput> };
  now: () => Date;
  newId?: () => string;
  /** Where context changes are recorded (the agent's audit chain); unrecorded when left out. */
  audit?: { append: Parameters<typeof auditContextChange>[0]['append']; log?: ContextAuditLog };
  /** Who calls the tools: the authenticated principal of the HTTP request, else `mcp`. */
  actor?: string;
}

/**
 * What an MCP client may change of the context. `policies` is left out on purpose: which policies
 * govern an agent is governance's decision, not something the agent's own tools may rewrite.
 */
export const McpContextPatchSchema = UpdateContextInputSchema.pick({ name: true, role: true, adapterName: true, model: true, purpose: true, subscriptions: true, mcpServers: true, settings: true });

const ALIGNMENT_EVENT_TYPE = 'alignment-check';

function result(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }], structuredContent: value };
}

/** Runs a tool body; an AOS error becomes an `isError` result that carries its code. */
async function run(body: () => Promise<Record<string, unknown>>): Promise<CallToolResult> {
  try {
    return result(await body());
  } catch (err) {
    if (!(err instanceof AosError)) throw err;
    const details = err.details === undefined ? '' : ` ${JSON.stringify(err.details)}`;
    return { isError: true, content: [{ type: 'text', text: `${err.code}: ${err.message}${details}` }] };
  }
}

export function registerContextTools(server: McpServer, access: AgentAccess, deps: ContextToolDeps): void {
  const newId = deps.newId ?? randomUUID;

  /**
   * Applies one write and records it: `applied` once the entity confirmed it, or the code the entity
   * refused it with (then the refusal is still the tool's answer). The record never fails the tool.
   */
  async function audited(action: ContextAuditAction, change: unknown, apply: () => Promise<Record<string, unknown>>, extra: { key?: string; details?: Record<string, unknown> } = {}): Promise<Record<string, unknown>> {
    const record = (decision?: string): Promise<boolean> =>
      deps.audit ? auditContextChange(deps.audit, { agentId: access.agentId, actor: deps.actor ?? 'mcp', action, change, ...(decision ? { decision } : {}), ...extra }, deps.audit.log) : Promise.resolve(false);
    let value: Record<string, unknown>;
    try {
      value = await apply();
    } catch (err) {
      // A refusal has no key: the same refused change may later be accepted and must then be recorded.
      if (err instanceof AosError) await record(err.code).then(undefined, () => false);
      throw err;
    }
    return { ...value, recorded: { audit: await record() } };
  }

  server.registerTool('read_context', { title: 'Read context', description: 'The agent\'s whole context, mailbox depth and loop status.', inputSchema: z.object({}).strict(), annotations: { readOnlyHint: true } }, () =>
    run(async () => {
      const [state, loop] = await Promise.all([access.state(), access.loop()]);
      return { ...readView(state), loop };
    }),
  );

  server.registerTool(
    'update_context',
    {
      title: 'Update context',
      description: 'Change name, role, adapterName, model, the current purpose (the original is kept), subscriptions, MCP servers or settings. Fields left out stay as they are.',
      inputSchema: McpContextPatchSchema,
      annotations: { idempotentHint: true },
    },
    (patch) => run(() => audited(ContextAuditAction.updated, patch, async () => ({ context: await access.call(AgentOps.updateContext, patch) }), { details: { fields: Object.keys(patch).sort() } })),
  );

  server.registerTool(
    'add_memory',
    { title: 'Add memory', description: 'Remember a note in the agent\'s memory (recent list; older entries fold into the summary).', inputSchema: z.object({ text: z.string().min(1).max(10_000) }).strict() },
    ({ text }) => run(() => audited(ContextAuditAction.memoryAdded, { kind: 'note', text }, async () => ({ remembered: true, ...(await access.call(AgentOps.remember, { kind: 'note', text })) }))),
  );

  server.registerTool(
    'add_goal',
    { title: 'Add goal', description: 'Add a goal (the id is generated when missing). The same goal again is a no-op; another goal with that id is a conflict.', inputSchema: GoalInputSchema.partial({ id: true }).strict() },
    (input) =>
      run(() => {
        const goal = { ...input, id: input.id ?? newId() };
        // The same goal again is a no-op for the entity, and one record for the ledger (the same key as the HTTP route's).
        return audited(ContextAuditAction.goalAdded, goal, async () => ({ goal: await access.call(AgentOps.addGoal, goal) }), { key: `context:goal:${goal.id}:added`, details: { goalId: goal.id } });
      }),
  );

  server.registerTool(
    'update_goal_progress',
    {
      title: 'Update goal progress',
      description: 'Set a goal\'s progress (0..1; 1 completes it) and optionally its status.',
      inputSchema: z.object({ goalId: z.string().min(1).max(64), progress: z.number().min(0).max(1), status: z.enum(['active', 'completed', 'abandoned']).optional() }).strict(),
      annotations: { idempotentHint: true },
    },
    ({ goalId, progress, status }) =>
      run(() => {
        const change = { id: goalId, progress, ...(status ? { status } : {}) };
        return audited(ContextAuditAction.goalUpdated, change, async () => ({ goal: await access.call(AgentOps.updateGoal, change) }), { details: { goalId } });
      }),
  );

  server.registerTool(
    'send_event',
    {
      title: 'Send event',
      description: 'Send an event to the agent: stored durably in its mailbox, then its loop is woken (the same path as POST /api/agents/<id>/events). Idempotent by id.',
      inputSchema: EventEnvelopeInputSchema.extend({ source: EventEnvelopeInputSchema.shape.source.default('mcp') }).strict(),
    },
    (event) => run(async () => ({ ...(await access.sendEvent(event)) })),
  );

  server.registerTool(
    'evaluate_alignment',
    {
      title: 'Evaluate purpose alignment',
      description: 'How well an action aligns with the agent\'s current purpose (0..1 with reasons). `lexical` (default) is word overlap, deterministic and offline; `inference` asks the configured provider.',
      inputSchema: z.object({ action: z.string().min(1).max(2000), method: z.enum(['lexical', 'inference']).default('lexical') }).strict(),
      annotations: { readOnlyHint: true },
    },
    ({ action, method }) =>
      run(async () => {
        const context = (await access.state()).context;
        if (method === 'lexical' || !deps.inference) {
          const lexical = evaluateAlignment(action, context.purpose.current);
          return { ...lexical, ...(method === 'inference' ? { note: 'no inference provider available here; lexical alignment used' } : {}) };
        }
        const event = { id: newId(), type: ALIGNMENT_EVENT_TYPE, source: 'mcp', time: deps.now().toISOString(), data: { text: action } };
        const decided = await deps.inference.decide({ agent: agentBrief(context), event });
        return { method: 'inference', provider: decided.provider, model: decided.model, score: decided.alignment.score, reasons: decided.alignment.reasons, rationale: decided.rationale };
      }),
  );
}
