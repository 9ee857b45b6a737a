// Proves multi-agent workflows end to end on the local host and Azurite: a three-agent chaired
// deliberation runs to completion under its termination rule and records the decision in every
// participant's context; the result route answers 409 while a workflow runs; sequential and
// parallel workflows complete with every agent contributing; unknown agents answer 400 naming
// them; cancel terminates a running workflow, which then reads as cancelled.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAos, type AosProcess } from '../support/aos-process.js';
import { waitUntil } from '../support/wait-until.js';
import { agentApi } from './agents-support.js';

interface Outcome {
  decision: string;
  agreement: number;
  rounds: number;
  stoppedBy: string;
  contributions: Array<{ agentId: string; role: string; round: number; action: string }>;
  recordedIn: string[];
  notRecordedIn: string[];
  audit?: { appended: string[]; failed: string[] };
}

describe('workflows API on the local host', () => {
  const run = randomBytes(3).toString('hex');
  const [chair, analyst, skeptic] = ['chair', 'analyst', 'skeptic'].map((n) => `wf-${n}-${run}`) as [string, string, string];
  const options = ['expand into the european market', 'cut costs at home'];
  let aos: AosProcess | undefined;
  const host = (): AosProcess => {
    if (!aos) throw new Error('the host is down');
    return aos;
  };
  const { api, register, view } = agentApi(host);
  const start = async (body: Record<string, unknown>) => {
    const res = await api('/orchestrations', { method: 'POST', body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { id: string; statusUri: string; resultUri: string; cancelUri: string; status: string; error?: { code: string; details?: { agentIds?: string[] } } } };
  };
  const statusOf = async (id: string) => (await (await api(`/orchestrations/${id}`)).json()) as { status: string; runtimeStatus: string; progress: { phase: string; completedSteps: number; totalSteps: number } | null };
  const finished = (id: string) =>
    waitUntil(async () => {
      const s = await statusOf(id);
      return ['completed', 'failed', 'cancelled'].includes(s.status) ? s : undefined;
    }, { timeoutMs: 60_000, describe: `workflow ${id} ended` });
  const result = async (id: string) => (await (await api(`/orchestrations/${id}/result`)).json()) as { status: string; result: Outcome };

  beforeAll(async () => {
    aos = await startAos({ env: { AOS_TASK_HUB: `Workflows${run}`, AOS_REGISTER_CONFIRM_MS: '10000' } });
    expect(await register({ id: chair, name: 'Chair', role: 'leadership', purpose: { statement: 'Grow the company by expanding into new markets' } })).toBe(201);
    expect(await register({ id: analyst, name: 'Analyst', role: 'strategy', purpose: { statement: 'Find growth by market expansion in europe' } })).toBe(201);
    expect(await register({ id: skeptic, name: 'Skeptic', role: 'finance', purpose: { statement: 'Cut costs and protect cash at home' } })).toBe(201);
  });
  afterAll(async () => {
    await aos?.stop();
  });

  it('runs a three-agent deliberation to a decision recorded in every participant', async () => {
    const started = await start({ agentIds: [chair, analyst, skeptic], workflow: 'deliberation', purpose: 'Should we expand into Europe next year?', context: { options, maxRounds: 3, agreementThreshold: 0.6, budget: '2M' } });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ id: expect.stringMatching(/^wf-/), status: 'pending', statusUri: `/api/orchestrations/${started.body.id}`, resultUri: `/api/orchestrations/${started.body.id}/result` });
    expect((await finished(started.body.id)).status).toBe('completed');
    const { status, result: outcome } = await result(started.body.id);
    expect(status).toBe('completed');
    expect(options).toContain(outcome.decision);
    expect(outcome.recordedIn.sort()).toEqual([chair, analyst, skeptic].sort());
    expect(outcome.notRecordedIn).toEqual([]);
    expect(outcome.audit?.appended.sort()).toEqual([chair, analyst, skeptic].sort());
    const chain = await api(`/audit/agent-${chair}`);
    expect(JSON.stringify(await chain.json())).toContain('workflow-decision');
    // The termination rule: stop on agreement >= 0.6, else at the cap of 3 rounds.
    if (outcome.stoppedBy === 'agreement') expect(outcome.agreement).toBeGreaterThanOrEqual(0.6);
    else expect(outcome).toMatchObject({ stoppedBy: 'round-cap', rounds: 3 });
    expect(outcome.contributions[0]).toMatchObject({ agentId: chair, role: 'frame', round: 0 });
    for (const round of Array.from({ length: outcome.rounds }, (_, i) => i + 1)) {
      expect(outcome.contributions.filter((c) => c.round === round).map((c) => `${c.role}:${c.agentId}`).sort()).toEqual([`answer:${analyst}`, `answer:${skeptic}`, `decide:${chair}`].sort());
    }
    for (const id of [chair, analyst, skeptic]) {
      const v = await view(id);
      expect(v.context.recentDecisions).toContainEqual(expect.objectContaining({ eventId: `workflow:${started.body.id}`, action: outcome.decision }));
    }
  });

  it('answers 409 for the result while the workflow runs, and cancels it', async () => {
    // Threshold 1 with members that disagree cannot stop early: ten rounds keep it running for a while.
    const started = await start({ agentIds: [chair, analyst, skeptic], workflow: 'deliberation', purpose: 'Long debate', context: { options, maxRounds: 10, agreementThreshold: 1 } });
    expect(started.status).toBe(202);
    const early = await api(`/orchestrations/${started.body.id}/result`);
    expect(early.status).toBe(409);
    expect(await early.json()).toMatchObject({ error: { code: 'WORKFLOW_NOT_FINISHED' } });
    const cancel = await api(`/orchestrations/${started.body.id}/cancel`, { method: 'POST', body: JSON.stringify({ reason: 'enough' }) });
    expect(cancel.status).toBe(202);
    expect((await finished(started.body.id)).status).toBe('cancelled');
    expect(await result(started.body.id)).toMatchObject({ status: 'cancelled' });
    expect((await api(`/orchestrations/${started.body.id}/cancel`, { method: 'POST' })).status).toBe(409);
  });

  it('runs sequential and parallel workflows with every agent contributing', async () => {
    for (const workflow of ['sequential', 'parallel'] as const) {
      const started = await start({ agentIds: [analyst, skeptic], workflow, purpose: 'Draft the plan for next quarter', context: { quarter: 'Q3' } });
      expect(started.status).toBe(202);
      expect((await finished(started.body.id)).status).toBe('completed');
      const { result: outcome } = await result(started.body.id);
      expect(outcome.contributions.map((c) => c.agentId)).toEqual([analyst, skeptic]);
      expect(outcome.recordedIn.sort()).toEqual([analyst, skeptic].sort());
    }
  });

  it('answers 400 naming unknown agents and 404 for an unknown workflow', async () => {
    const res = await start({ agentIds: [chair, 'ghost-one', 'ghost-two'], workflow: 'parallel', purpose: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'UNKNOWN_AGENTS', details: { agentIds: ['ghost-one', 'ghost-two'] } });
    expect((await api('/orchestrations/wf-nope')).status).toBe(404);
    expect((await api(`/orchestrations/agent-${chair}`)).status).toBe(404);
  });
});
