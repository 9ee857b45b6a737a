// Proves that context changes made through the HTTP API and the ContextMCPServer are appended to
// the agent's audit chain on the local host and Azurite: registration, goal add and update,
// subscription and termination in the order they were made (repeats of idempotent changes append
// nothing), with a payload digest and `applied`, and a chain that verifies; an MCP `add_memory`
// appends `context.memory.added`, and a change the entity refuses records its refusal code.
import { randomUUID } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GoalInputSchema, payloadDigest } from '../../src/domain/index.js';
import { postJson } from '../support/agents-http.js';
import { startAos, type AosProcess } from '../support/aos-process.js';
import { aosApi, connectMcp, toolJson } from './mcp-support.js';

interface AuditItem {
  index: number;
  actor: string;
  action: string;
  subject: string;
  payloadDigest: string;
  decision?: string;
  details?: Record<string, unknown>;
}

const definition = (id: string) => ({
  id,
  name: 'Audited agent',
  role: 'operations',
  purpose: { statement: 'Keep operations running', scope: 'Operations', successCriteria: ['Uptime'] },
  settings: { heartbeatSeconds: 3600 },
});

describe('audit of context changes', () => {
  let aos: AosProcess;
  const { api, register } = aosApi(() => aos);
  const contextRecords = async (id: string): Promise<AuditItem[]> => {
    const res = await api(`/audit/agent-${id}?limit=1000`);
    expect(res.status).toBe(200);
    // The loop may append its own records (decisions); only the context changes are under test here.
    return ((await res.json()) as { items: AuditItem[] }).items.filter((r) => r.action.startsWith('context.'));
  };

  beforeAll(async () => {
    aos = await startAos({ env: { AOS_REGISTER_CONFIRM_MS: '10000' } });
  });
  afterAll(async () => {
    await aos?.stop();
  });

  it('appends registration, goal add and update, subscription and termination in order, once each', async () => {
    const id = `audited-${randomUUID().slice(0, 8)}`;
    expect(await register(definition(id))).toBe(201);
    const goal = { id: 'g-uptime', description: 'Keep uptime above 99.9 percent' };
    const added = await api(`/agents/${id}/goals`, postJson(goal));
    expect(added.status).toBe(202);
    expect(await added.json()).toMatchObject({ recorded: { audit: true } });
    // The same goal again changes nothing, so it records nothing.
    expect((await api(`/agents/${id}/goals`, postJson(goal))).status).toBe(202);
    const update = { progress: 0.5 };
    expect((await api(`/agents/${id}/goals/g-uptime`, { method: 'PUT', body: JSON.stringify(update) })).status).toBe(202);
    const subscribed = await api(`/topics/ops-alerts/subscribers/${id}`, { method: 'POST' });
    expect(subscribed.status).toBe(202);
    expect(await subscribed.json()).toMatchObject({ recorded: { audit: true } });
    const terminated = await api(`/agents/${id}/terminate`, postJson({ reason: 'end of test' }));
    expect(terminated.status).toBe(202);
    expect(await terminated.json()).toMatchObject({ recorded: { audit: true } });

    const records = await contextRecords(id);
    expect(records.map((r) => r.action)).toEqual(['context.registered', 'context.goal.added', 'context.goal.updated', 'context.subscribed', 'context.terminated']);
    for (const r of records) expect(r).toMatchObject({ actor: 'api', subject: `agent ${id}`, decision: 'applied' });
    // The digest is of the change as accepted (defaults filled in); the change itself is not stored.
    expect(records[1]?.payloadDigest).toBe(payloadDigest(GoalInputSchema.parse(goal)));
    expect(records[2]?.payloadDigest).toBe(payloadDigest({ ...update, id: 'g-uptime' }));
    expect(records[3]?.details).toEqual({ topic: 'ops-alerts' });
    expect(JSON.stringify(records)).not.toContain('99.9 percent');

    expect(await (await api(`/audit/agent-${id}/verify`)).json()).toMatchObject({ valid: true });
  });

  it('appends context.memory.added for an MCP add_memory and the refusal code for a refused MCP change', async () => {
    const id = `audited-mcp-${randomUUID().slice(0, 8)}`;
    expect(await register(definition(id))).toBe(201);
    let mcp: Client | undefined;
    try {
      mcp = await connectMcp(aos, id);
      const remembered = await mcp.callTool({ name: 'add_memory', arguments: { text: 'the backup window is at 02:00' } });
      expect(remembered.isError).toBeFalsy();
      expect(toolJson(remembered)).toMatchObject({ remembered: true, recorded: { audit: true } });
      const refused = await mcp.callTool({ name: 'update_goal_progress', arguments: { goalId: 'g-missing', progress: 1 } });
      expect(refused.isError).toBe(true);
    } finally {
      await mcp?.close();
    }

    const records = await contextRecords(id);
    expect(records.map((r) => r.action)).toEqual(['context.registered', 'context.memory.added', 'context.goal.updated']);
    expect(records[1]).toMatchObject({ actor: 'mcp', decision: 'applied', payloadDigest: payloadDigest({ kind: 'note', text: 'the backup window is at 02:00' }) });
    expect(records[2]?.decision).toMatch(/^[A-Z_]+$/);
    expect(records[2]?.decision).not.toBe('applied');
    expect(await (await api(`/audit/agent-${id}/verify`)).json()).toMatchObject({ valid: true });
  });
});
