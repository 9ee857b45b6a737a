// Proves agents as MCP clients on the local host: an event asks agent mcp-caller for a tool call,
// its loop's agent-mcp-call activity discovers the tools of its enabled, tag-matching MCP servers
// (here another agent's ContextMCPServer on the same host) and calls one: a real MCP conversation
// whose effect shows in the other agent, and whose outcome is remembered in the caller's memory.
// A decision that picks `mcp:<server>/<tool>` calls it too; a dead server, a disabled one, an
// untagged event type and a missing tool end as failures recorded in memory, not stalls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAos, type AosProcess } from '../support/aos-process.js';
import { waitUntil } from '../support/wait-until.js';
import { aosApi, mcpUrl, type McpAgentView } from './mcp-support.js';

const PEER = 'mcp-peer';
const CALLER = 'mcp-caller';

describe('agents calling tools of MCP servers', () => {
  let aos: AosProcess;
  const { register, view, post } = aosApi(() => aos);

  /** Waits until the caller remembers the outcome of the tool call made for `eventId`. */
  const remembered = (eventId: string) =>
    waitUntil(async () => (await view(CALLER)).context.memory.recent.find((m) => m.eventId === eventId && m.kind === 'note' && m.text.startsWith('mcp ')), {
      timeoutMs: 30_000,
      describe: `${CALLER} remembers the tool call of ${eventId}`,
    });

  beforeAll(async () => {
    aos = await startAos({ env: { AOS_REGISTER_CONFIRM_MS: '10000' } });
    expect(await register({ id: PEER, name: 'Peer', purpose: { statement: 'Keep notes for colleagues' } })).toBe(201);
    const servers = [
      { name: 'peer', url: mcpUrl(aos, PEER), tags: ['consult', 'peer.*'] },
      { name: 'dead', url: 'http://127.0.0.1:9/mcp', tags: ['probe'] },
      { name: 'off', url: mcpUrl(aos, PEER), tags: ['switched-off'], enabled: false },
    ];
    expect(await register({ id: CALLER, name: 'Caller', purpose: { statement: 'Consult the peer and read peer context' }, mcpServers: servers })).toBe(201);
  });
  afterAll(async () => {
    await aos?.stop();
  });

  it('calls a tool of another agent\'s MCP endpoint and records the result in its memory', async () => {
    const status = await post(CALLER, { id: 'call-1', type: 'consult', source: 'test', data: { mcp: { server: 'peer', tool: 'add_memory', arguments: { text: 'note from mcp-caller over MCP' } } } });
    expect(status).toBe(202);
    const note = await remembered('call-1');
    expect(note.text).toMatch(/^mcp peer\/add_memory ok: .*"remembered": true/s);
    const peer = await view(PEER);
    expect(peer.context.memory.recent).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'note', text: 'note from mcp-caller over MCP' })]));
    const caller = await waitUntil(async () => {
      const v = await view(CALLER);
      return v.context.recentDecisions.some((d) => d.eventId === 'call-1') && v.context.counters.eventsProcessed >= 1 ? v : undefined;
    }, { timeoutMs: 30_000, describe: 'call-1 decided and acknowledged' });
    expect(caller.context.recentDecisions.filter((d) => d.eventId === 'call-1')).toHaveLength(1);
  });

  it('picks the best matching tool when the event names none, on a server whose tag prefix matches', async () => {
    await post(CALLER, { id: 'call-2', type: 'peer.question', source: 'test', data: { text: 'evaluate the alignment of an action', mcp: { arguments: { action: 'keep notes for colleagues' } } } });
    const note = await remembered('call-2');
    expect(note.text).toMatch(/^mcp peer\/evaluate_alignment ok: .*"score"/s);
  });

  it('calls the tool a decision picks among the event\'s options', async () => {
    await post(CALLER, { id: 'call-3', type: 'consult', source: 'test', data: { options: ['mcp:peer/read_context', 'wait for the weekly meeting'] } });
    const note = await remembered('call-3');
    expect(note.text).toMatch(/^mcp peer\/read_context ok: .*"mcp-peer"/s);
    const v = await waitUntil(async () => {
      const current = await view(CALLER);
      return current.context.recentDecisions.find((d) => d.eventId === 'call-3');
    }, { timeoutMs: 30_000, describe: 'call-3 decided' });
    expect(v.action).toBe('mcp:peer/read_context');
  });

  it('records failures: a dead server, a disabled one, an untagged event type and a missing tool', async () => {
    await post(CALLER, { id: 'fail-dead', type: 'probe', source: 'test', data: { mcp: { tool: 'anything' } } });
    await post(CALLER, { id: 'fail-off', type: 'switched-off', source: 'test', data: { mcp: { tool: 'read_context' } } });
    await post(CALLER, { id: 'fail-untagged', type: 'gossip', source: 'test', data: { mcp: { tool: 'read_context' } } });
    await post(CALLER, { id: 'fail-missing', type: 'consult', source: 'test', data: { mcp: { tool: 'no_such_tool' } } });
    expect((await remembered('fail-dead')).text).toMatch(/^mcp dead\/anything failed \(CONNECTION_FAILED\)/);
    expect((await remembered('fail-off')).text).toMatch(/failed \(NO_SERVER\)/);
    expect((await remembered('fail-untagged')).text).toMatch(/failed \(NO_SERVER\): no enabled MCP server of this agent is tagged for events of type gossip/);
    expect((await remembered('fail-missing')).text).toMatch(/failed \(TOOL_NOT_FOUND\)/);
    const v: McpAgentView = await waitUntil(async () => {
      const current = await view(CALLER);
      return current.mailboxDepth === 0 && current.context.counters.eventsProcessed >= 7 ? current : undefined;
    }, { timeoutMs: 30_000, describe: 'every event processed despite the failures' });
    expect(v.context.lifecycle.state).not.toBe('terminated');
  });
});
