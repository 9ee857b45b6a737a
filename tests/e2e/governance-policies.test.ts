// Proves governance in the agent loop on the local host and Azurite, with fixture policies loaded
// from a test-specific folder (AOS_POLICY_DIR): a denied step is skipped, recorded and audited
// while the agent keeps running; an approval granted over HTTP lets the step through (second
// answer 409, unknown 404); one left unanswered times out and is denied; an escalating one asks
// twice; the plain Durable raiseEvent API answers an approval too; policies put over the API apply
// at once; every step lands in a verifiable audit chain, and decision records point at it.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startAos, type AosProcess } from '../support/aos-process.js';
import { waitUntil } from '../support/wait-until.js';

interface Decision {
  eventId: string;
  action: string;
  rationale: string;
  provider: string;
}
interface AgentView {
  context: { recentDecisions: Decision[]; counters: { eventsProcessed: number }; memory: { recent: Array<{ kind: string; eventId?: string; text: string }> } };
  mailboxDepth: number;
  loop: { runtimeStatus: string; customStatus: { state?: string; approvalId?: string } | null };
}
interface AuditRecord {
  chain: string;
  index: number;
  actor: string;
  action: string;
  subject: string;
  decision?: string;
  details?: Record<string, unknown>;
  hash: string;
}
interface Approval {
  id: string;
  agentId: string;
  eventId: string;
  status: string;
  level: number;
  resolvedBy?: string;
  escalatedFrom?: string;
}

describe('governance in the agent loop', () => {
  let aos: AosProcess;
  const suffix = randomUUID().slice(0, 8);
  const agentId = `gov-${suffix}`;
  const chain = `agent-${agentId}`;
  const api = (p: string, init?: RequestInit) => fetch(`${aos.baseUrl}/api${p}`, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } });
  const json = async <T>(p: string): Promise<T> => (await (await api(p)).json()) as T;
  const post = (p: string, body: unknown, method = 'POST') => api(p, { method, body: JSON.stringify(body) });
  const view = () => json<AgentView>(`/agents/${agentId}`);
  const audit = async () => (await json<{ items: AuditRecord[] }>(`/audit/${chain}?limit=1000`)).items;
  const decisionOf = async (eventId: string) =>
    waitUntil(async () => (await view()).context.recentDecisions.find((d) => d.eventId === eventId), { timeoutMs: 60_000, describe: `a decision on ${eventId} is recorded` });
  const pending = async (eventId: string) =>
    waitUntil(async () => (await json<{ items: Approval[] }>(`/approvals?agentId=${agentId}`)).items.find((a) => a.eventId === eventId), { timeoutMs: 60_000, describe: `a pending approval for ${eventId}` });

  beforeAll(async () => {
    aos = await startAos({ env: { AOS_POLICY_DIR: path.join(REPO_ROOT, 'tests', 'fixtures', 'governance-policies'), AOS_REGISTER_CONFIRM_MS: '10000' } });
    const res = await post('/agents', { id: agentId, name: 'Governed', purpose: { statement: 'Handle requests carefully' }, policies: ['e2e-deny', 'e2e-approvals', `e2e-api-${suffix}`], settings: { heartbeatSeconds: 3600 } });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await aos?.stop();
  });

  it('lists the policies of the folder with their source', async () => {
    const { items } = await json<{ items: Array<{ id: string; source: string }> }>('/policies');
    expect(items).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'e2e-deny', source: 'file' }), expect.objectContaining({ id: 'e2e-approvals', source: 'file' })]));
    expect((await api('/policies/e2e-deny')).status).toBe(200);
    expect((await api('/policies/no-such-policy')).status).toBe(404);
  });

  it('skips a denied step, records and audits it, and keeps the agent running', async () => {
    await post(`/agents/${agentId}/events`, { id: 'ev-forbidden', type: 'forbidden', source: 'test', data: 'do the forbidden thing' });
    const denied = await decisionOf('ev-forbidden');
    expect(denied).toMatchObject({ action: 'denied:forbidden', provider: 'governance' });
    expect(denied.rationale).toContain('policy e2e-deny/forbidden: forbidden events are not handled');

    const records = await audit();
    const forEvent = records.filter((r) => r.subject.includes('ev-forbidden'));
    expect(forEvent.map((r) => [r.action, r.decision])).toEqual([
      ['policy-evaluated', 'deny'],
      ['step-skipped', 'deny'],
      ['policy-evaluated', 'allow'],
    ]);
    expect(forEvent[0]?.details).toMatchObject({ policyId: 'e2e-deny', ruleId: 'forbidden' });

    await post(`/agents/${agentId}/events`, { id: 'ev-fine', type: 'request', source: 'test', data: 'handle requests carefully' });
    expect(await decisionOf('ev-fine')).toMatchObject({ action: 'handle:request', provider: 'lexical' });
  });

  it('keeps an event out of memory when a memory-write policy denies it, but still decides', async () => {
    await post(`/agents/${agentId}/events`, { id: 'ev-secret', type: 'request', source: 'test', data: { text: 'careful request', secret: 'hunter2' } });
    expect(await decisionOf('ev-secret')).toMatchObject({ action: 'handle:request' });
    const memory = (await view()).context.memory.recent.filter((m) => m.eventId === 'ev-secret' && m.kind === 'event');
    expect(memory[0]?.text).toContain('withheld from memory');
    expect(JSON.stringify(memory)).not.toContain('hunter2');
  });

  it('waits for an approval, lets the step through when it is granted over HTTP, and refuses a second answer', async () => {
    await post(`/agents/${agentId}/events`, { id: 'ev-approve', type: 'needs-approval', source: 'test', data: 'a careful request' });
    const approval = await pending('ev-approve');
    expect(approval).toMatchObject({ status: 'pending', level: 1 });
    await waitUntil(async () => (await view()).loop.customStatus?.state === 'waiting-for-approval', { timeoutMs: 30_000, describe: 'the loop says it waits for an approval' });

    const granted = await post(`/approvals/${approval.id}`, { approve: true, by: 'alice', reason: 'looks fine' });
    expect(granted.status).toBe(200);
    expect(await granted.json()).toMatchObject({ approval: { status: 'approved', resolvedBy: 'alice' }, delivered: true });
    expect(await decisionOf('ev-approve')).toMatchObject({ action: 'handle:needs-approval', provider: 'lexical' });

    const again = await post(`/approvals/${approval.id}`, { approve: false, by: 'mallory' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'APPROVAL_ALREADY_RESOLVED' } });
    expect((await post('/approvals/0123456789abcdef', { approve: true })).status).toBe(404);

    const resolved = (await audit()).filter((r) => r.action === 'approval-resolved' && r.details?.approvalId === approval.id);
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatchObject({ actor: 'user:alice', decision: 'approved' });
  });

  it('denies the step when nobody answers before the timeout', async () => {
    await post(`/agents/${agentId}/events`, { id: 'ev-expire', type: 'quick-expiry', source: 'test', data: 'a careful request' });
    const decision = await decisionOf('ev-expire');
    expect(decision).toMatchObject({ action: 'denied:quick-expiry' });
    expect(decision.rationale).toMatch(/timed out/);
    const expired = (await json<{ items: Approval[] }>(`/approvals?status=expired&agentId=${agentId}`)).items.filter((a) => a.eventId === 'ev-expire');
    expect(expired).toHaveLength(1);
    expect((await audit()).some((r) => r.action === 'approval-resolved' && r.decision === 'expired' && r.actor === 'system:timer')).toBe(true);
  });

  it('escalates an unanswered approval once, then denies', async () => {
    await post(`/agents/${agentId}/events`, { id: 'ev-escalate', type: 'escalating', source: 'test', data: 'a careful request' });
    expect((await decisionOf('ev-escalate')).action).toBe('denied:escalating');
    const approvals = (await json<{ items: Approval[] }>(`/approvals?status=expired&agentId=${agentId}`)).items.filter((a) => a.eventId === 'ev-escalate');
    expect(approvals.map((a) => a.level).sort()).toEqual([1, 2]);
    const first = approvals.find((a) => a.level === 1);
    expect(approvals.find((a) => a.level === 2)?.escalatedFrom).toBe(first?.id);
  });

  it('accepts an answer raised with the plain Durable API', async () => {
    await post(`/agents/${agentId}/events`, { id: 'ev-raise', type: 'needs-approval', source: 'test', data: 'a careful request' });
    const approval = await pending('ev-raise');
    const raised = await fetch(`${aos.baseUrl}/runtime/webhooks/durabletask/instances/${chain}/raiseEvent/${encodeURIComponent(`approval:${approval.id}`)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ approve: false, by: 'bob', reason: 'not now' }),
    });
    expect(raised.status).toBe(202);
    const decision = await decisionOf('ev-raise');
    expect(decision.action).toBe('denied:needs-approval');
    expect(decision.rationale).toContain('denied by bob: not now');
    const stored = (await json<{ items: Approval[] }>(`/approvals?status=denied&agentId=${agentId}`)).items.find((a) => a.id === approval.id);
    expect(stored).toMatchObject({ status: 'denied', resolvedBy: 'bob' });
  });

  it('applies a policy put over the API, refuses an invalid one, and audits the change', async () => {
    const id = `e2e-api-${suffix}`;
    const bad = await post(`/policies/${id}`, { rules: [{ id: 'r', when: 'event.type ==', effect: 'deny', reason: 'x' }] }, 'PUT');
    expect(bad.status).toBe(400);
    const doc = { description: 'from the API', rules: [{ id: 'no-gossip', when: 'event.type == "gossip"', effect: 'deny', reason: 'no gossip' }] };
    expect((await post(`/policies/${id}`, doc, 'PUT')).status).toBe(201);
    expect((await post(`/policies/${id}`, doc, 'PUT')).status).toBe(200);
    expect(await json(`/policies/${id}`)).toMatchObject({ id, source: 'api', rules: [{ id: 'no-gossip' }] });

    await post(`/agents/${agentId}/events`, { id: 'ev-gossip', type: 'gossip', source: 'test', data: 'did you hear' });
    expect((await decisionOf('ev-gossip')).action).toBe('denied:gossip');
    const system = (await json<{ items: AuditRecord[] }>('/audit/system?limit=1000')).items;
    expect(system.filter((r) => r.action === 'policy-changed' && r.subject === `policy ${id}`).map((r) => r.decision)).toEqual(['created', 'replaced']);
  });

  it('keeps one valid chain for the agent, and decision records that point into it', async () => {
    const verdict = await json<{ valid: boolean; length: number; head: string }>(`/audit/${chain}/verify`);
    const records = await audit();
    expect(verdict).toEqual({ valid: true, length: records.length, head: records[records.length - 1]?.hash });
    expect(records.map((r) => r.index)).toEqual(records.map((_, i) => i));

    const { items } = await json<{ items: Array<{ eventId: string; action: string; auditRecordId: string; scores: Record<string, number> }> }>(`/decisions?agentId=${agentId}`);
    const fine = items.find((d) => d.eventId === 'ev-fine');
    expect(fine).toMatchObject({ action: 'handle:request', scores: { alignment: expect.any(Number) } });
    const index = Number(fine?.auditRecordId.split('/')[1]);
    expect(fine?.auditRecordId).toBe(`${chain}/${index}`);
    expect(records[index]).toMatchObject({ action: 'decision', decision: 'handle:request' });
    expect((await api('/decisions')).status).toBe(400);
  });
});
