// Proves that an event answered with 202 is processed exactly once and never lost when the host
// is killed (`kill -9`, Azurite keeps running): 200 events to 5 agents are posted in three bursts
// and the host is killed at three moments: in the middle of a burst (some events answered 202
// just before the kill, others in flight and unanswered), while the agents are processing
// batches and continuing as new, and right after the last 202. After each restart the client
// re-sends the events it got no answer for, with the same ids, as a client would. In the end
// every agent has processed and decided each of its 40 events exactly once (counters, and one
// transcript blob per event id), none is missing, and no agent holds a batch in flight.
// Not covered: events that reach storage while the host is down. Over HTTP that cannot happen
// (the API is the host); a second process writing signals straight into the task hub could do
// it, and the engine's own crash test (durable-crash.test.ts) covers that path for entities.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startAos, type AosProcess } from '../support/aos-process.js';
import { killLabel, waitForMoment } from '../support/kill-moment.js';
import { waitUntil } from '../support/wait-until.js';
import { agentApi, atRest, countBy, transcriptEventIds, type AgentView } from './agents-support.js';

const AGENTS = 5;
const EVENTS_PER_AGENT = 40;
const TOTAL = AGENTS * EVENTS_PER_AGENT;
const CONCURRENCY = 8;

describe('agents under kill -9', () => {
  const run = randomBytes(3).toString('hex');
  const env = { AOS_TASK_HUB: `AgentsCrash${run}`, AOS_REGISTER_CONFIRM_MS: '10000' };
  const agentIds = Array.from({ length: AGENTS }, (_, i) => `crash-${run}-${i}`);
  let aos: AosProcess | undefined;
  const host = (): AosProcess => {
    if (!aos) throw new Error('the host is down');
    return aos;
  };
  const { register, view, post } = agentApi(host);
  const kills: string[] = [];

  /** Every event of the run, in posting order (round robin over the agents). */
  const events = Array.from({ length: TOTAL }, (_, n) => {
    const agentId = agentIds[n % AGENTS] as string;
    return { agentId, event: { id: `ev-${n}`, type: n % 3 === 0 ? 'proposal' : 'report', source: 'crash-test', data: { text: `quarterly revenue growth plan number ${n}` } } };
  });
  const answered = new Set<string>(); // 202 received
  let unanswered: typeof events = [];

  afterAll(async () => {
    await aos?.stop();
  });

  async function restart(): Promise<void> {
    aos = await startAos({ env });
  }

  async function kill(label: string): Promise<void> {
    kills.push(label);
    await aos?.kill();
    aos = undefined;
  }

  /** Posts with a few requests in flight; stops taking new ones once `stop()` says so. Returns what got no answer. */
  async function burst(items: typeof events, stop: () => boolean = () => false): Promise<typeof events> {
    const missed: typeof events = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < items.length) {
          const item = items[next++] as (typeof events)[number];
          if (stop() || !aos) {
            missed.push(item);
            continue;
          }
          const status = await post(item.agentId, item.event);
          if (status === 202) answered.add(item.event.id);
          else if (status === 'unanswered') missed.push(item);
          else throw new Error(`event ${item.event.id} answered ${status}`);
        }
      }),
    );
    return missed;
  }

  async function views(): Promise<AgentView[]> {
    return Promise.all(agentIds.map((id) => view(id)));
  }

  it('processes every accepted event exactly once across kills at staggered moments', { timeout: 300_000 }, async () => {
    await restart();
    for (const id of agentIds) {
      expect(await register({ id, name: `Crash ${id}`, purpose: { statement: 'Revenue growth and a sound quarterly plan' }, settings: { heartbeatSeconds: 3600 } })).toBe(201);
    }
    await waitUntil(async () => (await views()).every(atRest), { timeoutMs: 30_000, describe: 'every agent asleep' });

    // 1. Kill in the middle of the first burst: some events got their 202 just before, others are in flight.
    const first = events.slice(0, 70);
    const killAt = 30;
    const bursting = burst(first, () => answered.size >= killAt);
    await waitUntil(() => answered.size >= killAt, { timeoutMs: 30_000, describe: `${killAt} events accepted` });
    await kill(`mid-burst after ${answered.size} accepted`);
    unanswered = await bursting;

    // 2. Restart, re-send what got no answer, post the second burst, and kill while the agents work through it.
    await restart();
    unanswered = await burst([...unanswered, ...events.slice(70, 140)]);
    const processedBefore = (await views()).reduce((n, v) => n + v.context.counters.eventsProcessed, 0);
    const seen = await waitForMoment(async () => {
      const vs = await views();
      const processed = vs.reduce((n, v) => n + v.context.counters.eventsProcessed, 0);
      return processed > processedBefore && processed < answered.size && vs.some((v) => v.inFlight !== undefined);
    }, 10_000);
    await kill(killLabel('while processing', seen));

    // 3. Restart, re-send, post the rest and kill right after the last 202.
    await restart();
    unanswered = await burst([...unanswered, ...events.slice(140)]);
    await kill(`right after the last 202 (${answered.size} accepted)`);

    // 4. Restart, re-send anything still unanswered, and let the agents finish.
    await restart();
    const rest = await burst(unanswered);
    expect(rest, 'every event answered once the host is up').toEqual([]);
    expect(answered.size).toBe(TOTAL);

    const final = await waitUntil(
      async () => {
        const vs = await views();
        return vs.every((v) => atRest(v) && v.context.counters.eventsProcessed >= EVENTS_PER_AGENT) ? vs : undefined;
      },
      { timeoutMs: 90_000, describe: `every agent processed ${EVENTS_PER_AGENT} events and sleeps (kills: ${kills.join(', ')})\n${aos?.output().slice(-3000) ?? ''}` },
    );

    for (const v of final) {
      const id = v.context.id;
      const mine = events.filter((e) => e.agentId === id).map((e) => e.event.id);
      expect({ id, counters: v.context.counters }).toMatchObject({
        id,
        counters: { eventsAccepted: EVENTS_PER_AGENT, eventsProcessed: EVENTS_PER_AGENT, decisions: EVENTS_PER_AGENT },
      });
      // The per-event record: one transcript blob per event, none missing, none twice.
      const written = countBy(await transcriptEventIds(id));
      expect([...written.keys()].sort()).toEqual([...mine].sort());
      expect([...written.entries()].filter(([, n]) => n !== 1), `events written twice for ${id}`).toEqual([]);
      expect(v.mailboxDepth).toBe(0);
    }
    expect(aos?.output() ?? '').not.toMatch(/turn failed/);
    console.info(`kills: ${kills.join(', ')}`);
  });
});
