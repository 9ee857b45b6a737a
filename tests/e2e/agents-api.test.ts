// Proves the perpetual agent end to end on the local host and Azurite: register over HTTP, the
// loop brings the agent up and puts it to sleep, a posted event (202) is processed exactly once
// with a lexical decision recorded in the entity and its transcript in Blob storage, duplicates
// are not processed twice, errors map to 400/404/409/413, and terminate keeps the context and
// ends the loop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAos, type AosProcess } from '../support/aos-process.js';
import { waitUntil } from '../support/wait-until.js';

interface AgentView {
  context: {
    lifecycle: { state: string };
    counters: Record<string, number>;
    recentDecisions: Array<{ eventId: string; action: string; provider: string; transcriptRef?: string; alignment: { score: number } }>;
    goals: Array<{ id: string; progress: number; status: string }>;
    purpose: { current: { statement: string }; original: { statement: string } };
  };
  mailboxDepth: number;
  loop: { runtimeStatus: string; customStatus: unknown };
}

describe('agents API on the local host', () => {
  let aos: AosProcess;
  const api = (path: string, init?: RequestInit) => fetch(`${aos.baseUrl}/api${path}`, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } });
  const view = async (id: string): Promise<AgentView> => (await (await api(`/agents/${id}`)).json()) as AgentView;
  const definition = {
    id: 'ceo',
    name: 'Chief Executive',
    role: 'leadership',
    purpose: { statement: 'Strategic oversight and company growth', scope: 'Strategic planning, major decisions', successCriteria: ['Revenue growth'] },
    settings: { heartbeatSeconds: 3600 },
  };

  beforeAll(async () => {
    aos = await startAos({ env: { AOS_REGISTER_CONFIRM_MS: '10000' } });
  });
  afterAll(async () => {
    await aos?.stop();
  });

  it('registers an agent (201), again with the same definition (200) and refuses a different one (409)', async () => {
    const first = await api('/agents', { method: 'POST', body: JSON.stringify(definition) });
    expect(first.status).toBe(201);
    const again = await api('/agents', { method: 'POST', body: JSON.stringify(definition) });
    expect(again.status).toBe(200);
    const other = await api('/agents', { method: 'POST', body: JSON.stringify({ ...definition, name: 'Someone else' }) });
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ error: { code: 'AGENT_CONFLICT' } });
  });

  it('brings the agent up and puts it to sleep with its loop waiting', async () => {
    const v = await waitUntil(async () => {
      const current = await view('ceo');
      const asleep = (current.loop.customStatus as { state?: string } | null)?.state === 'sleeping';
      return current.context.lifecycle.state === 'sleeping' && current.loop.runtimeStatus === 'Running' && asleep ? current : undefined;
    }, { timeoutMs: 30_000, describe: 'agent ceo is sleeping with a running loop that says so' });
    expect(v.loop.customStatus).toMatchObject({ state: 'sleeping', wakeAt: expect.any(String) });
  });

  it('accepts an event with 202 and processes it exactly once, even when posted twice', async () => {
    const event = { id: 'evt-1', type: 'proposal', source: 'board', data: { text: 'A plan for revenue growth next quarter' } };
    const res = await api('/agents/ceo/events', { method: 'POST', body: JSON.stringify(event) });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ id: 'evt-1', accepted: true });
    const v = await waitUntil(async () => {
      const current = await view('ceo');
      return (current.context.counters.eventsProcessed ?? 0) >= 1 && current.context.lifecycle.state === 'sleeping' ? current : undefined;
    }, { timeoutMs: 30_000, describe: 'evt-1 processed and the agent asleep again' });
    expect(v.context.recentDecisions[0]).toMatchObject({ eventId: 'evt-1', action: 'handle:proposal', provider: 'lexical' });
    expect(v.context.recentDecisions[0]?.transcriptRef).toMatch(/^ceo\//);
    expect(v.context.counters.wakes).toBe(1);

    const dup = await api('/agents/ceo/events', { method: 'POST', body: JSON.stringify(event) });
    expect(dup.status).toBe(202);
    const second = { id: 'evt-2', type: 'gossip', source: 'hallway', data: 'the cafeteria menu changes' };
    await api('/agents/ceo/events', { method: 'POST', body: JSON.stringify(second) });
    const after = await waitUntil(async () => {
      const current = await view('ceo');
      return (current.context.counters.eventsProcessed ?? 0) >= 2 && current.mailboxDepth === 0 ? current : undefined;
    }, { timeoutMs: 30_000, describe: 'evt-2 processed' });
    expect(after.context.counters.eventsProcessed).toBe(2);
    expect(after.context.counters.decisions).toBe(2);
    expect(after.context.recentDecisions.map((d) => d.eventId)).toEqual(['evt-1', 'evt-2']);
    expect(after.context.recentDecisions[1]?.action).toBe('defer:gossip');
  });

  it('answers 400 for a bad envelope, 404 for an unknown agent and 413 for an oversized event', async () => {
    const bad = await api('/agents/ceo/events', { method: 'POST', body: JSON.stringify({ source: 'x' }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const unknown = await api('/agents/nobody/events', { method: 'POST', body: JSON.stringify({ type: 't', source: 's' }) });
    expect(unknown.status).toBe(404);
    const big = await api('/agents/ceo/events', { method: 'POST', body: JSON.stringify({ type: 't', source: 's', data: 'x'.repeat(20_000) }) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'EVENT_TOO_LARGE' } });
  });

  it('adds and updates goals', async () => {
    expect((await api('/agents/ceo/goals', { method: 'POST', body: JSON.stringify({ id: 'g1', description: 'Increase revenue by 50%' }) })).status).toBe(202);
    await waitUntil(async () => (await view('ceo')).context.goals.some((g) => g.id === 'g1'), { describe: 'goal g1 added' });
    expect((await api('/agents/ceo/goals/g1', { method: 'PUT', body: JSON.stringify({ status: 'completed' }) })).status).toBe(202);
    const v = await waitUntil(async () => {
      const current = await view('ceo');
      return current.context.counters.goalsAchieved === 1 ? current : undefined;
    }, { describe: 'goal g1 completed' });
    expect(v.context.goals[0]).toMatchObject({ id: 'g1', progress: 1, status: 'completed' });
    expect((await api('/agents/ceo/goals/nope', { method: 'PUT', body: JSON.stringify({ progress: 0.5 }) })).status).toBe(404);
  });

  it('lists registered agents', async () => {
    const res = await api('/agents?pageSize=10');
    expect(res.status).toBe(200);
    // The run's Azurite is shared with other e2e files, which may have registered agents too.
    const body = (await res.json()) as { items: Array<{ id: string; name: string }> };
    expect(body.items).toContainEqual(expect.objectContaining({ id: 'ceo', name: 'Chief Executive' }));
  });

  it('terminates the agent: context kept, loop completed, events refused with 409', async () => {
    expect((await api('/agents/ceo/terminate', { method: 'POST', body: JSON.stringify({ reason: 'retired' }) })).status).toBe(202);
    const v = await waitUntil(async () => {
      const current = await view('ceo');
      return current.context.lifecycle.state === 'terminated' && current.loop.runtimeStatus === 'Completed' ? current : undefined;
    }, { timeoutMs: 30_000, describe: 'agent terminated and loop completed' });
    expect(v.context.counters.eventsProcessed).toBe(2);
    const refused = await api('/agents/ceo/events', { method: 'POST', body: JSON.stringify({ type: 't', source: 's' }) });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { code: 'AGENT_TERMINATED' } });
  });
});
