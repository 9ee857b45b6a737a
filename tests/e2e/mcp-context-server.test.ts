// Proves each agent's ContextMCPServer end to end on the local host and Azurite, spoken to with
// the SDK's own MCP client over Streamable HTTP: resources (audit chain head included), templates,
// prompts and every tool; what the tools change is in the agent's entity (seen by
// GET /api/agents/<id>) and survives a host restart; bad arguments are refused naming the field; an unknown agent is a JSON-RPC error with
// 404, and GET/DELETE are a JSON 405 (the endpoint is stateless).
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAos, type AosProcess } from '../support/aos-process.js';
import { waitUntil } from '../support/wait-until.js';
import { aosApi, connectMcp, mcpUrl, resourceJson, toolJson, toolText } from './mcp-support.js';

const ID = 'mcp-ceo';
const definition = {
  id: ID,
  name: 'Chief Executive',
  role: 'leadership',
  purpose: { statement: 'Strategic oversight and company growth', scope: 'Strategic planning, major decisions', successCriteria: ['Revenue growth'] },
  goals: [{ id: 'g-revenue', description: 'Grow revenue by ten percent' }],
  settings: { heartbeatSeconds: 3600 },
};

describe('ContextMCPServer on the local host', () => {
  let aos: AosProcess;
  let mcp: Client;
  const { api, register, view } = aosApi(() => aos);

  beforeAll(async () => {
    aos = await startAos({ env: { AOS_REGISTER_CONFIRM_MS: '10000' } });
    expect(await register(definition)).toBe(201);
    await waitUntil(async () => (await view(ID)).context.lifecycle.state === 'sleeping', { timeoutMs: 30_000, describe: `${ID} is asleep` });
    mcp = await connectMcp(aos, ID);
  });
  afterAll(async () => {
    await mcp?.close();
    await aos?.stop();
  });

  it('introduces itself as the agent and offers resources, templates, tools and prompts', async () => {
    expect(mcp.getServerVersion()).toMatchObject({ name: `aos-agent-${ID}` });
    const resources = (await mcp.listResources()).resources.map((r) => r.uri);
    expect(resources).toEqual(expect.arrayContaining(['context', 'goals', 'memory', 'decisions', 'status', 'audit-head'].map((n) => `aos://agents/${ID}/${n}`)));
    expect(resources).toContain(`aos://agents/${ID}/goals/g-revenue`);
    const templates = (await mcp.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
    expect(templates).toEqual(expect.arrayContaining([`aos://agents/${ID}/goals/{goalId}`, `aos://agents/${ID}/decisions/{eventId}`]));
    const tools = (await mcp.listTools()).tools.map((t) => t.name).sort();
    expect(tools).toEqual(['add_goal', 'add_memory', 'evaluate_alignment', 'read_context', 'send_event', 'update_context', 'update_goal_progress']);
    const prompts = (await mcp.listPrompts()).prompts.map((p) => p.name).sort();
    expect(prompts).toEqual(['goals-summary', 'purpose']);
  });

  it('reads the context, goals, memory, decisions and status resources from the entity', async () => {
    const read = async (name: string) => (await resourceJson(mcp, `aos://agents/${ID}/${name}`)) as Record<string, unknown>;
    expect(await read('context')).toMatchObject({ context: { id: ID, name: 'Chief Executive', purpose: { current: { statement: definition.purpose.statement } } }, mailboxDepth: 0 });
    expect(await read('goals')).toEqual([expect.objectContaining({ id: 'g-revenue', progress: 0, status: 'active' })]);
    expect(await read('memory')).toMatchObject({ summary: '', total: 0, recent: [] });
    expect(await read('decisions')).toEqual([]);
    const status = await read('status');
    expect(status).toMatchObject({ lifecycle: 'sleeping', mailboxDepth: 0, loop: { runtimeStatus: 'Running', state: 'sleeping', nextWakeAt: expect.any(String) } });
    const goal = await resourceJson(mcp, `aos://agents/${ID}/goals/g-revenue`);
    expect(goal).toMatchObject({ id: 'g-revenue', description: 'Grow revenue by ten percent' });
    await expect(mcp.readResource({ uri: `aos://agents/${ID}/goals/nope` })).rejects.toThrow(/no goal nope/);
  });

  it('gives the purpose as a system prompt and a goals summary prompt', async () => {
    const purpose = await mcp.getPrompt({ name: 'purpose' });
    expect(toolText({ content: [purpose.messages[0]?.content] })).toMatch(/Purpose: Strategic oversight and company growth[\s\S]*Scope: Strategic planning/);
    const goals = await mcp.getPrompt({ name: 'goals-summary' });
    expect(toolText({ content: [goals.messages[0]?.content] })).toContain('g-revenue: Grow revenue by ten percent (0%)');
  });

  it('changes the context with every tool, and the HTTP API sees each change', async () => {
    const updated = await mcp.callTool({ name: 'update_context', arguments: { role: 'chief executive', purpose: { statement: 'Strategic oversight, company growth and hiring', scope: 'Strategy and hiring' } } });
    expect(updated.isError).toBeFalsy();
    const memory = await mcp.callTool({ name: 'add_memory', arguments: { text: 'The board meets on Friday' } });
    expect(toolJson(memory)).toMatchObject({ remembered: true, total: 1 });
    const added = await mcp.callTool({ name: 'add_goal', arguments: { id: 'g-hire', description: 'Hire a head of sales', successCriteria: ['Offer signed'] } });
    expect(toolJson(added)).toMatchObject({ goal: { id: 'g-hire', status: 'active', progress: 0 } });
    const progress = await mcp.callTool({ name: 'update_goal_progress', arguments: { goalId: 'g-revenue', progress: 0.4 } });
    expect(toolJson(progress)).toMatchObject({ goal: { id: 'g-revenue', progress: 0.4 } });
    const alignment = await mcp.callTool({ name: 'evaluate_alignment', arguments: { action: 'Hire a head of sales to grow the company' } });
    expect(toolJson(alignment)).toMatchObject({ method: 'lexical', score: expect.any(Number), reasons: expect.arrayContaining([expect.stringMatching(/matches/)]) });
    expect(Number(toolJson(alignment).score)).toBeGreaterThan(0);
    const read = toolJson(await mcp.callTool({ name: 'read_context', arguments: {} }));
    expect(read).toMatchObject({ context: { role: 'chief executive' }, loop: { runtimeStatus: 'Running' } });

    const v = await view(ID);
    expect(v.context.role).toBe('chief executive');
    expect(v.context.purpose.current.statement).toBe('Strategic oversight, company growth and hiring');
    expect(v.context.purpose.original.statement).toBe(definition.purpose.statement);
    expect(v.context.memory.recent).toEqual([expect.objectContaining({ kind: 'note', text: 'The board meets on Friday' })]);
    expect(v.context.goals).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'g-hire' }), expect.objectContaining({ id: 'g-revenue', progress: 0.4 })]));
  });

  it('sends an event that wakes the agent and is processed exactly once', async () => {
    const sent = await mcp.callTool({ name: 'send_event', arguments: { id: 'mcp-evt-1', type: 'proposal', data: { text: 'A plan for company growth' } } });
    expect(toolJson(sent)).toMatchObject({ id: 'mcp-evt-1', accepted: true, duplicate: false });
    const again = await mcp.callTool({ name: 'send_event', arguments: { id: 'mcp-evt-1', type: 'proposal' } });
    expect(toolJson(again)).toMatchObject({ duplicate: true });
    const v = await waitUntil(async () => {
      const current = await view(ID);
      return current.context.counters.eventsProcessed >= 1 && current.mailboxDepth === 0 ? current : undefined;
    }, { timeoutMs: 30_000, describe: 'the event sent over MCP is processed' });
    expect(v.context.recentDecisions.filter((d) => d.eventId === 'mcp-evt-1')).toHaveLength(1);
    const decision = await resourceJson(mcp, `aos://agents/${ID}/decisions/mcp-evt-1`);
    expect(decision).toMatchObject({ eventId: 'mcp-evt-1', eventType: 'proposal', action: 'handle:proposal' });
    // The decision was sealed in the agent's audit chain; the head resource shows it and matches the ledger's own API.
    const head = (await resourceJson(mcp, `aos://agents/${ID}/audit-head`)) as { chain: string; length: number; hash: string };
    expect(head).toMatchObject({ chain: `agent-${ID}`, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(head.length).toBeGreaterThanOrEqual(1);
    const verify = await api(`/audit/agent-${ID}/verify`);
    expect(verify.status).toBe(200);
  });

  it('refuses invalid tool arguments with an error that names the field', async () => {
    const bad = await mcp.callTool({ name: 'update_goal_progress', arguments: { goalId: 'g-revenue', progress: 2 } });
    expect(bad.isError).toBe(true);
    expect(toolText(bad)).toMatch(/progress/);
    const unknownField = await mcp.callTool({ name: 'update_context', arguments: { policies: ['none'] } });
    expect(unknownField.isError).toBe(true);
    expect(toolText(unknownField)).toMatch(/policies/);
    const missingGoal = await mcp.callTool({ name: 'update_goal_progress', arguments: { goalId: 'g-missing', progress: 0.5 } });
    expect(missingGoal.isError).toBe(true);
    expect(toolText(missingGoal)).toMatch(/GOAL_NOT_FOUND/);
  });

  it('answers an unknown agent with a JSON-RPC error and 404, never HTML', async () => {
    await expect(connectMcp(aos, 'mcp-nobody')).rejects.toThrow(/mcp-nobody is not registered/);
    const res = await fetch(mcpUrl(aos, 'mcp-nobody'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toMatchObject({ jsonrpc: '2.0', id: 7, error: { code: -32002, data: { code: 'AGENT_NOT_FOUND' } } });
  });

  it('answers GET and DELETE with a JSON 405, as a stateless endpoint without a stream', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(mcpUrl(aos, ID), { method, headers: { accept: 'text/event-stream' } });
      expect(res.status).toBe(405);
      expect(await res.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
    }
  });

  it('keeps what MCP clients changed across a host restart', async () => {
    await mcp.close();
    await aos.stop();
    aos = await startAos();
    const v = await view(ID);
    expect(v.context.role).toBe('chief executive');
    expect(v.context.goals.find((g) => g.id === 'g-revenue')?.progress).toBe(0.4);
    mcp = await connectMcp(aos, ID);
    const memory = (await resourceJson(mcp, `aos://agents/${ID}/memory`)) as { recent: Array<{ text: string }> };
    expect(memory.recent.map((m) => m.text)).toContain('The board meets on Friday');
    expect((await api(`/agents/${ID}`)).status).toBe(200);
  });
});
