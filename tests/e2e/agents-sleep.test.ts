// Proves that a sleeping agent costs nothing but one stored timer at its heartbeat: for agents
// with different heartbeats, the loop's history holds exactly one pending timer whose FireAt is the
// heartbeat after the episode that created it, `<Hub>Timers` holds exactly one row per agent at
// that time (also after wakes by the plain Durable raiseEvent API and by events, which cancel
// the timer they interrupt), and the host process holds no hot instance, no turn and at most one
// armed `setTimeout` once every agent sleeps (read from the host's SIGUSR2 diagnostics line).
import { randomBytes } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startAos, type AosProcess } from '../support/aos-process.js';
import { waitUntil } from '../support/wait-until.js';
import { agentApi, atRest, type AgentView } from './agents-support.js';

const HEARTBEATS = [600, 3600, 3600, 3600, 7200, 86_400];

describe('sleeping agents', () => {
  const run = randomBytes(3).toString('hex');
  const hub = `AgentsSleep${run}`;
  const agents = HEARTBEATS.map((heartbeatSeconds, i) => ({ id: `sleep-${run}-${i}`, heartbeatSeconds }));
  let aos: AosProcess;
  const { register, view, post, history } = agentApi(() => aos);
  const timersTable = TableClient.fromConnectionString(inject('storageConnectionString'), `${hub}Timers`, { allowInsecureConnection: true });

  beforeAll(async () => {
    aos = await startAos({ env: { AOS_TASK_HUB: hub, AOS_REGISTER_CONFIRM_MS: '10000' } });
    for (const a of agents) {
      expect(await register({ id: a.id, name: `Sleeper ${a.id}`, purpose: { statement: 'Keep the books balanced' }, settings: { heartbeatSeconds: a.heartbeatSeconds } })).toBe(201);
    }
  });
  afterAll(async () => {
    await aos?.stop();
  });

  async function allAsleep(): Promise<AgentView[]> {
    return waitUntil(async () => {
      const vs = await Promise.all(agents.map((a) => view(a.id)));
      return vs.every(atRest) ? vs : undefined;
    }, { timeoutMs: 30_000, describe: 'every agent asleep with an empty mailbox' });
  }

  /** Rows of `<Hub>Timers` by instance id (RowKey `<instance>|<execution>|<timer id>`, PartitionKey the fire time). */
  async function storedTimers(): Promise<Map<string, Array<{ fireAt: string; executionId: string }>>> {
    const rows = new Map<string, Array<{ fireAt: string; executionId: string }>>();
    for await (const row of timersTable.listEntities()) {
      const [instanceId = '', executionId = ''] = String(row.rowKey).split('|');
      rows.set(instanceId, [...(rows.get(instanceId) ?? []), { fireAt: new Date(String(row.partitionKey)).toISOString(), executionId }]);
    }
    return rows;
  }

  /** The loop's one pending timer: its fire time and the time of the episode that created it. */
  async function pendingTimer(id: string): Promise<{ fireAt: string; createdAt: string }> {
    const h = await history(`agent-${id}`);
    // The HTTP history carries no event ids (as the extension's): a fired timer is matched by its FireAt.
    const fired = new Set(h.historyEvents.filter((e) => e.EventType === 'TimerFired').map((e) => e.FireAt));
    const pending = h.historyEvents.filter((e) => e.EventType === 'TimerCreated' && !fired.has(e.FireAt));
    expect(pending, `pending timers of agent-${id}`).toHaveLength(1);
    const timer = pending[0] as { FireAt?: string; Timestamp: string };
    return { fireAt: new Date(String(timer.FireAt)).toISOString(), createdAt: timer.Timestamp };
  }

  /** Every agent: one pending timer in history, exactly its heartbeat after the episode, and the same one as the only stored row. */
  async function expectOneTimerAtHeartbeat(): Promise<void> {
    const stored = await storedTimers();
    for (const a of agents) {
      const timer = await pendingTimer(a.id);
      expect(Date.parse(timer.fireAt) - Date.parse(timer.createdAt), `agent ${a.id} sleeps for its heartbeat`).toBeGreaterThanOrEqual(a.heartbeatSeconds * 1000);
      expect(stored.get(`agent-${a.id}`)?.map((t) => t.fireAt), `stored timers of agent-${a.id}`).toEqual([timer.fireAt]);
    }
  }

  /** The counts of the newest `host diagnostics` line, printed on SIGUSR2. */
  async function diagnostics(): Promise<Record<string, number>> {
    const before = (aos.output().match(/host diagnostics/g) ?? []).length;
    aos.child.kill('SIGUSR2');
    await waitUntil(() => (aos.output().match(/host diagnostics/g) ?? []).length > before, { timeoutMs: 10_000, describe: 'the host printed its diagnostics' });
    const line = aos.output().split('\n').filter((l) => l.includes('host diagnostics')).at(-1) ?? '';
    const counts: Record<string, number> = {};
    for (const key of ['hotInstances', 'runningTurns', 'scheduledInstances', 'pendingTimersInMemory', 'claimedInstances', 'pendingInstanceRows']) counts[key] = Number(new RegExp(`${key}=(\\d+)`).exec(line)?.[1]);
    return counts;
  }

  async function expectNothingInMemory(): Promise<void> {
    const counts = await waitUntil(async () => {
      const c = await diagnostics();
      return c.hotInstances === 0 && c.runningTurns === 0 && c.scheduledInstances === 0 && c.claimedInstances === 0 && c.pendingInstanceRows === 0 ? c : undefined;
    }, { timeoutMs: 10_000, describe: 'the host holds no instance in memory' });
    expect(counts.pendingTimersInMemory).toBeLessThanOrEqual(1);
  }

  it('holds one timer per agent at its heartbeat, in history and in <Hub>Timers', async () => {
    await allAsleep();
    await expectOneTimerAtHeartbeat();
  });

  it('keeps no hot instance, turn or per-agent timer in the host process while the agents sleep', async () => {
    await expectNothingInMemory();
  });

  it('still holds one timer per agent after wakes by raiseEvent and by events, and forgets them again', async () => {
    const before = await Promise.all(agents.map((a) => view(a.id)));
    const api = `${aos.baseUrl}/runtime/webhooks/durabletask/instances`;
    for (const a of agents.slice(0, 3)) {
      const res = await fetch(`${api}/agent-${a.id}/raiseEvent/wake`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'test' }) });
      expect(res.status).toBe(202);
    }
    for (const a of agents.slice(3)) expect(await post(a.id, { type: 'report', source: 'ledger', data: 'books balanced' })).toBe(202);
    // Each loop runs a new generation (its custom status counts them) and goes back to sleep.
    await waitUntil(async () => {
      const vs = await Promise.all(agents.map((a) => view(a.id)));
      return vs.every((v, i) => atRest(v) && (v.loop.customStatus?.generation ?? 0) > (before[i]?.loop.customStatus?.generation ?? 0));
    }, { timeoutMs: 30_000, describe: 'every loop ran a new generation and sleeps again' });
    for (const a of agents.slice(3)) expect((await view(a.id)).context.counters.eventsProcessed).toBe(1);
    await expectOneTimerAtHeartbeat();
    await expectNothingInMemory();
  });
});
