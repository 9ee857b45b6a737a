/**
 * The chaos run: a mixed load (orchestrations with an activity, a durable timer and a
 * sub-orchestration; entity signals; agent STAND-IN events) against the host while it is killed
 * with SIGKILL at random moments and restarted on the same storage; at the end, every invariant:
 * each started orchestration completed with its output, each counter exact, each accepted event
 * applied and handled exactly once. A request whose answer was lost in a kill is "unknown": it may
 * or may not have been accepted, and the checks allow both (and only both).
 */
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAzurite } from './azurite.mjs';
import { agentId, readAgent, startAgents } from './agents.mjs';
import { DurableApi, InstancesTable } from './durable.mjs';
import { Host } from './host.mjs';
import { mapLimit, sleep, waitFor } from './stats.mjs';

/** @typedef {'accepted' | 'unknown' | 'refused'} Fate */

/** A refused connection never reached the host: not accepted. Any other failure may have been. @param {unknown} err @returns {Fate} */
function fateOf(err) {
  const cause = /** @type {{ cause?: { code?: string } }} */ (err)?.cause;
  return cause?.code === 'ECONNREFUSED' ? 'refused' : 'unknown';
}

/**
 * @typedef {object} ChaosOptions
 * @property {number} kills
 * @property {string} [storage] a connection string; default: a private in-memory Azurite
 * @property {number} [seed]
 * @property {number} [minUpMs] shortest life of a host before its kill @property {number} [maxUpMs]
 * @property {(text: string) => void} [log]
 */

/** A small seeded PRNG (mulberry32), so a failing run can be repeated with --seed. @param {number} seed */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AGENTS = 5;
const COUNTERS = 5;
const WORKERS = 3;
/** @param {number} n */
const flowOutput = (n) => n * n + (n + 1) * (n + 1) + (n + 2) * (n + 2);

/** @param {ChaosOptions} options */
export async function runChaos(options) {
  const log = options.log ?? (() => {});
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const random = prng(seed);
  const hub = `Chaos${Math.floor(random() * 1e9)}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aos-chaos-'));
  const env = { AOS_TASK_HUB: hub, BENCH_LOG: path.join(dir, 'executions.log') };
  const azurite = options.storage ? undefined : await startAzurite();
  const storage = options.storage ?? /** @type {import('./azurite.mjs').Azurite} */ (azurite).connectionString;
  let host = await Host.start({ storage, env });
  const api = new DurableApi(() => host.baseUrl);
  const instances = new InstancesTable(storage, hub);
  /** @type {Map<string, { n: number, fate: Fate }>} */
  const flows = new Map();
  /** @type {{ accepted: number, unknown: number, refused: number }[]} */
  const counters = Array.from({ length: COUNTERS }, () => ({ accepted: 0, unknown: 0, refused: 0 }));
  /** @type {Map<string, { agent: string, fate: Fate }>} */
  const events = new Map();
  let failedTurns = 0;
  try {
    await startAgents(api, instances, 0, AGENTS, { heartbeatSeconds: 5 });
    let running = true;
    // The load pauses while the host is down, so a kill costs a few unknown requests, not hundreds of refused ones.
    /** @type {Promise<void> | undefined} */
    let down;
    /** @type {() => void} */
    let backUp = () => {};
    let k = 0;
    /** @type {string[]} */
    const errors = [];
    /** @param {Promise<void>} p @param {(fate: Fate) => void} settle */
    const track = (p, settle) =>
      (p.then(() => settle('accepted'), (err) => {
        const fate = fateOf(err);
        if (fate === 'unknown' && errors.length < 5) errors.push(String(err?.cause?.code ?? err?.message ?? err).slice(0, 300));
        settle(fate);
      }));
    // A closed loop of a few workers: each tick's requests finish before the worker's next tick, so
    // a kill catches only a handful in flight (those are the "unknown" ones).
    const worker = async () => {
      while (running) {
        if (down) await down;
        const i = k++;
        const id = `flow-${i}`;
        /** @type {Promise<void>[]} */
        const tick = [];
        tick.push(track(api.start('ChaosFlow', id, i), (fate) => flows.set(id, { n: i, fate })));
        for (let s = 0; s < 3; s++) {
          const c = /** @type {{ accepted: number, unknown: number, refused: number }} */ (counters[Math.floor(random() * COUNTERS)]);
          tick.push(track(api.signal('Counter', `c${counters.indexOf(c)}`, 'add', 1), (fate) => void c[fate]++));
        }
        const agent = agentId(Math.floor(random() * AGENTS));
        const eventId = `ev${i}`;
        tick.push(track((async () => {
          await api.signal('Agent', agent, 'enqueue', { id: eventId, sentAt: Date.now() });
          // A lost wake is covered by the loop's heartbeat; the event is accepted once the signal is.
          await api.raise(`agent-${agent}`, 'wake', null).catch(() => {});
        })(), (fate) => events.set(eventId, { agent, fate })));
        await Promise.all(tick);
        await sleep(20);
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, worker));
    for (let kill = 1; kill <= options.kills; kill++) {
      const min = options.minUpMs ?? 700;
      const max = options.maxUpMs ?? 2500;
      await sleep(min + random() * (max - min));
      failedTurns += host.failedTurnLines().length;
      down = new Promise((resolve) => (backUp = resolve));
      await host.kill();
      log(`kill ${kill}/${options.kills} after ${k} flows`);
      host = await Host.start({ storage, env });
      down = undefined;
      backUp();
    }
    await sleep(500);
    running = false;
    await load;
    for (const e of errors) log(`a request failed: ${e}`);
    log(`load stopped: ${flows.size} flows, ${counters.reduce((a, c) => a + c.accepted + c.unknown, 0)} signals, ${events.size} events; settling`);

    const started = [...flows].filter(([, f]) => f.fate === 'accepted');
    const expectedEvents = new Map();
    for (const [id, e] of events) if (e.fate === 'accepted') expectedEvents.set(e.agent, [...(expectedEvents.get(e.agent) ?? []), id]);
    /** @type {import('./durable.mjs').InstanceRow[]} */
    let rows = [];
    /** @type {number[]} */
    let values = [];
    /** @type {Map<string, import('./agents.mjs').AgentState | undefined>} */
    const states = new Map();
    const settled = await waitFor(async () => {
      rows = await instances.list('flow-');
      const done = new Set(rows.filter((r) => r.runtimeStatus !== 'Running' && r.runtimeStatus !== 'Pending').map((r) => r.instanceId));
      values = await mapLimit(counters, 5, async (_, i) => Number((await api.entityState('Counter', `c${i}`)) ?? 0));
      for (let a = 0; a < AGENTS; a++) states.set(agentId(a), await readAgent(api, agentId(a)));
      // An event whose answer was lost may be applied without its wake (never sent): the loop's
      // heartbeat takes it, so wait for that too rather than judge before the heartbeat fires.
      const eventsDone = [...expectedEvents].every(([agent, ids]) => ids.every((/** @type {string} */ id) => states.get(agent)?.handled[id] !== undefined))
        && [...events].every(([id, e]) => !states.get(e.agent)?.applied[id] || states.get(e.agent)?.handled[id] !== undefined);
      return (started.every(([id]) => done.has(id)) && done.size === rows.length && counters.every((c, i) => (values[i] ?? 0) >= c.accepted) && eventsDone) || undefined;
    }, { timeoutMs: 90_000, intervalMs: 500, describe: 'every accepted orchestration, signal and event done' }).catch((err) => err);
    failedTurns += host.failedTurnLines().length;

    /** @type {string[]} */
    const violations = [];
    if (settled instanceof Error) violations.push(settled.message);
    const byId = new Map(rows.map((r) => [r.instanceId, r]));
    let completed = 0;
    for (const [id, f] of flows) {
      const row = byId.get(id);
      if (!row) {
        if (f.fate === 'accepted') violations.push(`${id} was accepted but does not exist`);
        continue;
      }
      if (f.fate === 'refused') violations.push(`${id} exists though its start was refused`);
      if (row.runtimeStatus === 'Completed' && Number(row.output) === flowOutput(f.n)) completed++;
      else violations.push(`${id} is ${row.runtimeStatus} with output ${row.output}, expected ${flowOutput(f.n)}`);
    }
    counters.forEach((c, i) => {
      const v = values[i] ?? 0;
      if (v < c.accepted || v > c.accepted + c.unknown) violations.push(`counter c${i} is ${v}, expected ${c.accepted} (+ up to ${c.unknown} unknown)`);
    });
    let handledOnce = 0;
    for (const [id, e] of events) {
      const s = states.get(e.agent);
      const applied = s?.applied[id] ?? 0;
      const handled = s?.handled[id] !== undefined;
      if (applied > 1) violations.push(`event ${id} was applied ${applied} times`);
      else if (e.fate === 'refused' && applied > 0) violations.push(`event ${id} was applied though refused`);
      else if (e.fate === 'accepted' && (applied === 0 || !handled)) violations.push(`event ${id} was accepted but ${applied === 0 ? 'never applied' : 'never handled'}`);
      else if (applied === 1 && !handled) violations.push(`event ${id} was applied but never handled`);
      else if (handled) handledOnce++;
    }
    const executions = existsSync(env.BENCH_LOG) ? readFileSync(env.BENCH_LOG, 'utf8').trim().split('\n').filter(Boolean) : [];
    const perActivity = new Map();
    for (const line of executions) {
      const key = line.split(' ').slice(1).join(' ');
      perActivity.set(key, (perActivity.get(key) ?? 0) + 1);
    }
    return {
      seed,
      hub,
      kills: options.kills,
      flows: { started: started.length, unknown: [...flows.values()].filter((f) => f.fate === 'unknown').length, refused: [...flows.values()].filter((f) => f.fate === 'refused').length, completed },
      signals: { accepted: counters.reduce((a, c) => a + c.accepted, 0), unknown: counters.reduce((a, c) => a + c.unknown, 0), refused: counters.reduce((a, c) => a + c.refused, 0), applied: values.reduce((a, b) => a + b, 0) },
      events: {
        accepted: [...events.values()].filter((e) => e.fate === 'accepted').length,
        unknown: [...events.values()].filter((e) => e.fate === 'unknown').length,
        refused: [...events.values()].filter((e) => e.fate === 'refused').length,
        handledOnce,
      },
      activityExecutions: executions.length,
      activityReExecutions: [...perActivity.values()].reduce((a, c) => a + c - 1, 0),
      failedTurns,
      violations,
    };
  } finally {
    await host.stop().catch(() => {});
    await azurite?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
