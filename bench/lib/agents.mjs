/**
 * Driving the agent STAND-IN of the fixture app (bench/apps/bench-app/functions/agents.js): an
 * `Agent` entity plus an `AgentLoop` orchestration `agent-<id>` per agent. An event is a signal
 * `enqueue {id, sentAt}` to the entity, then a `wake` event to the loop, as AOS's API does.
 */
import { mapLimit, sleep, waitFor } from './stats.mjs';

/** @typedef {{ mailbox: { id: string, sentAt: number }[], applied: Record<string, number>, handled: Record<string, number> }} AgentState */

/** @param {number} i */
export const agentId = (i) => `a${String(i).padStart(5, '0')}`;

/**
 * Start the loops of agents `from`..`to-1` and wait until every loop of the run is asleep.
 * @param {import('./durable.mjs').DurableApi} api @param {import('./durable.mjs').InstancesTable} instances
 * @param {number} from @param {number} to @param {{ heartbeatSeconds: number, log?: (t: string) => void, budgetMs?: number }} options
 * @returns {Promise<{ asleep: number, complete: boolean }>} how many agents were asleep when it returned
 */
export async function startAgents(api, instances, from, to, options) {
  const ids = Array.from({ length: to - from }, (_, k) => agentId(from + k));
  const deadline = Date.now() + (options.budgetMs ?? 1_800_000);
  await mapLimit(ids, 32, (id) => (Date.now() > deadline ? Promise.resolve() : api.start('AgentLoop', `agent-${id}`, { agentId: id, heartbeatSeconds: options.heartbeatSeconds, generation: 0 })));
  options.log?.(`${ids.length} agent loops started; waiting until all ${to} sleep`);
  // Agents `0..from-1` were seen asleep by an earlier call and nothing wakes them (the heartbeat is
  // far): only this run's agents are checked, by point reads of their rows (the emulator answers
  // those from its index, where a range query would scan the whole Instances table every second).
  const pending = ids.map((id) => `agent-${id}`);
  try {
    await waitFor(async () => {
      await dropAsleep(instances, pending);
      return pending.length === 0 || undefined;
    }, { timeoutMs: Math.max(0, deadline - Date.now()), intervalMs: 1000, describe: `${to} agents asleep` });
    return { asleep: to, complete: true };
  } catch {
    // Over budget: the caller reports how far it got instead of hanging the whole suite (one exact count).
    const asleep = await instances.count('agent-', 'Running', '"sleeping"');
    options.log?.(`only ${asleep} of ${to} agents asleep within the budget`);
    return { asleep, complete: false };
  }
}

/** Agents fall asleep roughly in start order: read from the front and stop after this many still awake. */
const AWAKE_SEEN_PER_POLL = 32;

/**
 * Remove from `pending` (instance ids in start order) the loops whose row shows them asleep, reading
 * from the front until {@link AWAKE_SEEN_PER_POLL} awake ones were seen: about one point read per
 * agent over the whole wait, plus a few per poll.
 * @param {import('./durable.mjs').InstancesTable} instances @param {string[]} pending
 */
async function dropAsleep(instances, pending) {
  const awake = [];
  let next = 0;
  const worker = async () => {
    while (next < pending.length && awake.length < AWAKE_SEEN_PER_POLL) {
      const id = /** @type {string} */ (pending[next++]);
      const row = await instances.get(id);
      if (!(row?.runtimeStatus === 'Running' && row.customStatus === '"sleeping"')) awake.push(id);
    }
  };
  const scanned = await Promise.all(Array.from({ length: 16 }, worker)).then(() => next);
  const stillAwake = new Set(awake);
  const rest = pending.slice(scanned);
  pending.splice(0, pending.length, ...pending.slice(0, scanned).filter((id) => stillAwake.has(id)), ...rest);
}

/** @param {import('./durable.mjs').DurableApi} api @param {string} agent @param {string} eventId */
export async function sendEvent(api, agent, eventId) {
  await api.signal('Agent', agent, 'enqueue', { id: eventId, sentAt: Date.now() });
  await api.raise(`agent-${agent}`, 'wake', null);
}

/**
 * Send `count` events at `perSecond` without waiting for earlier ones (an open loop), to agents
 * chosen by `target(k)`. Returns each event's fate: accepted (both calls answered) or the error.
 * @param {(k: number) => Promise<void>} send @param {number} count @param {number} perSecond
 * @returns {Promise<{ accepted: number[], failed: { k: number, error: string }[] }>}
 */
export async function openLoop(send, count, perSecond) {
  const t0 = performance.now();
  /** @type {Promise<void>[]} */
  const pending = [];
  /** @type {number[]} */
  const accepted = [];
  /** @type {{ k: number, error: string }[]} */
  const failed = [];
  for (let k = 0; k < count; k++) {
    const due = t0 + (k * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(send(k).then(() => void accepted.push(k), (err) => void failed.push({ k, error: String(err?.message ?? err) })));
  }
  await Promise.all(pending);
  return { accepted, failed };
}

/** @param {import('./durable.mjs').DurableApi} api @param {string} agent @returns {Promise<AgentState | undefined>} */
export async function readAgent(api, agent) {
  return /** @type {AgentState | undefined} */ (await api.entityState('Agent', agent));
}

/**
 * Wait until every event in `expected` (agent -> event ids) shows as handled; returns the states and
 * how many entity reads that took (each costs the host one storage request).
 * @param {import('./durable.mjs').DurableApi} api @param {Map<string, string[]>} expected @param {number} timeoutMs
 */
export async function waitHandled(api, expected, timeoutMs) {
  /** @type {Map<string, AgentState>} */
  const states = new Map();
  let reads = 0;
  await waitFor(async () => {
    const open = [...expected].filter(([agent, ids]) => {
      const s = states.get(agent);
      return !s || ids.some((id) => s.handled[id] === undefined);
    });
    await mapLimit(open, 8, async ([agent]) => {
      const s = await readAgent(api, agent);
      reads++;
      if (s) states.set(agent, s);
    });
    return [...expected].every(([agent, ids]) => ids.every((id) => states.get(agent)?.handled[id] !== undefined)) || undefined;
  }, { timeoutMs, intervalMs: 250, describe: 'every accepted event handled' });
  return { states, reads };
}
