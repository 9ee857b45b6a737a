// Proves that an agent's context survives host restarts: after registering with goals, processing
// events and changing goals, a clean stop (Ctrl-C) and separately a `kill -9` followed by a start on
// the same storage give back the very same context (goals, memory, counters, lifecycle, recent
// decisions), the same raw entity state through the Durable HTTP API, a loop that is still asleep,
// and an agent that goes on processing events where it left off.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startAos, type AosProcess } from '../support/aos-process.js';
import { agentApi, type AgentView } from './agents-support.js';

describe('agent context across host restarts', () => {
  const run = randomBytes(3).toString('hex');
  const env = { AOS_TASK_HUB: `AgentsRestart${run}`, AOS_REGISTER_CONFIRM_MS: '10000' };
  const id = `restart-${run}`;
  let aos: AosProcess | undefined;
  const host = (): AosProcess => {
    if (!aos) throw new Error('the host is down');
    return aos;
  };
  const { api, register, post, settled: settledAgent } = agentApi(host);

  afterAll(async () => {
    await aos?.stop();
  });

  const entityState = async (): Promise<unknown> => (await fetch(`${host().baseUrl}/runtime/webhooks/durabletask/entities/agent/${id}`)).json();
  const settled = (want: (v: AgentView) => boolean, what: string) => settledAgent(id, want, what);

  it('reads back the same context after a clean stop and after kill -9, and keeps working', async () => {
    aos = await startAos({ env });
    expect(
      await register({
        id,
        name: 'Controller',
        role: 'finance',
        purpose: { statement: 'Keep spending within budget and report revenue growth', successCriteria: ['Monthly report on time'] },
        goals: [{ id: 'budget', description: 'Close the quarter within budget' }],
        settings: { heartbeatSeconds: 3600 },
      }),
    ).toBe(201);
    for (const [n, text] of ['invoice within budget', 'revenue growth report draft', 'cafeteria menu'].entries()) {
      expect(await post(id, { id: `restart-ev-${n}`, type: 'report', source: 'erp', data: { text } })).toBe(202);
    }
    expect((await api(`/agents/${id}/goals`, { method: 'POST', body: JSON.stringify({ id: 'report', description: 'Publish the monthly revenue report' }) })).status).toBe(202);
    expect((await api(`/agents/${id}/goals/budget`, { method: 'PUT', body: JSON.stringify({ progress: 0.5 }) })).status).toBe(202);
    const before = await settled((v) => v.context.counters.eventsProcessed === 3 && v.context.goals.length === 2 && v.context.goals[0]?.progress === 0.5, 'three events processed and both goals in place');
    const rawBefore = await entityState();
    expect(before.context.memory.total).toBeGreaterThanOrEqual(6);
    expect(before.context.recentDecisions.map((d) => d.eventId)).toEqual(['restart-ev-0', 'restart-ev-1', 'restart-ev-2']);

    await aos.stop();
    aos = await startAos({ env });
    const afterStop = await settled(() => true, 'the agent asleep after a clean restart');
    expect(afterStop.context).toEqual(before.context);
    expect(await entityState()).toEqual(rawBefore);

    await aos.kill();
    aos = await startAos({ env });
    const afterKill = await settled(() => true, 'the agent asleep after kill -9 and a restart');
    expect(afterKill.context).toEqual(before.context);
    expect(await entityState()).toEqual(rawBefore);

    expect(await post(id, { id: 'restart-ev-3', type: 'report', source: 'erp', data: { text: 'budget variance explained' } })).toBe(202);
    const after = await settled((v) => v.context.counters.eventsProcessed === 4, 'the fourth event processed after the restarts');
    expect(after.context.counters).toMatchObject({ eventsAccepted: 4, decisions: 4, wakes: before.context.counters.wakes + 1 });
    expect(after.context.goals).toEqual(before.context.goals);
    expect(after.context.purpose).toEqual(before.context.purpose);
    expect(after.context.memory.total).toBe(before.context.memory.total + 2);
  });
});
