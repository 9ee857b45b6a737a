/**
 * W6 recovery: 200 sequences of 20 ms activities plus agents (STAND-IN) receiving events; SIGKILL
 * the host 150 ms after the last start, restart it on the same Azurite, and check that every
 * output is right, every accepted event was applied and handled once, and how long recovery took.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { agentId, openLoop, readAgent, startAgents, waitHandled } from '../lib/agents.mjs';
import { DurableApi, InstancesTable } from '../lib/durable.mjs';
import { mapLimit, sleep, waitFor } from '../lib/stats.mjs';

/** Retry `fn` until it succeeds (the host may be down); returns how many attempts failed. @param {() => Promise<void>} fn */
async function untilAccepted(fn) {
  for (let failures = 0; ; failures++) {
    try {
      await fn();
      return failures;
    } catch {
      await sleep(50);
    }
  }
}

/**
 * From the execution log (`<ms> Slow <instance> <step>`): when the last sequence ran its first
 * activity after the restart, the median interval between two steps of one sequence, and the
 * rate of steps after the restart. @param {string[][]} lines @param {number} restartAt
 */
function stepTimeline(lines, restartAt) {
  /** @type {Map<string, number[]>} */
  const byInstance = new Map();
  for (const l of lines) {
    const at = Number(l[0]);
    if (l[1] !== 'Slow' || at < restartAt) continue;
    byInstance.set(/** @type {string} */ (l[2]), [...(byInstance.get(/** @type {string} */ (l[2])) ?? []), at]);
  }
  const intervals = [];
  let first = Infinity;
  let last = -Infinity;
  let allResumed = 0;
  let steps = 0;
  for (const times of byInstance.values()) {
    times.sort((a, b) => a - b);
    allResumed = Math.max(allResumed, /** @type {number} */ (times[0]) - restartAt);
    first = Math.min(first, /** @type {number} */ (times[0]));
    last = Math.max(last, /** @type {number} */ (times[times.length - 1]));
    steps += times.length;
    for (let i = 1; i < times.length; i++) intervals.push(/** @type {number} */ (times[i]) - /** @type {number} */ (times[i - 1]));
  }
  intervals.sort((a, b) => a - b);
  return {
    sequences: byInstance.size,
    allResumed,
    intervals: intervals.length,
    intervalP50: intervals[Math.floor(intervals.length / 2)] ?? 0,
    steps,
    stepsPerSecond: last > first ? Math.round((steps * 1000) / (last - first)) : 0,
  };
}

/** @param {import('../run.mjs').WorkloadContext} ctx */
export async function w6Recovery(ctx) {
  const { report, sizes } = ctx;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aos-bench-w6-'));
  const logFile = path.join(dir, 'executions.log');
  const env = { BENCH_LOG: logFile };
  const azurite = await ctx.freshAzurite();
  let host = await ctx.startHost(azurite.connectionString, { label: 'w6', env });
  const api = new DurableApi(() => host.baseUrl);
  const instances = new InstancesTable(azurite.connectionString, 'BenchHub');
  await startAgents(api, instances, 0, sizes.w6Agents, { heartbeatSeconds: 3600, log: ctx.log });

  // Events: each is retried until accepted; one whose signal ever failed may have been applied twice.
  /** @type {Set<string>} */
  const uncertain = new Set();
  const targets = Array.from({ length: sizes.w6Events }, () => agentId(Math.floor(Math.random() * sizes.w6Agents)));
  const events = openLoop(async (k) => {
    const agent = /** @type {string} */ (targets[k]);
    const sentAt = Date.now();
    if ((await untilAccepted(() => api.signal('Agent', agent, 'enqueue', { id: `e${k}`, sentAt }))) > 0) uncertain.add(`e${k}`);
    await untilAccepted(() => api.raise(`agent-${agent}`, 'wake', null));
  }, sizes.w6Events, sizes.w6Rate);

  const ids = Array.from({ length: sizes.w6Instances }, (_, i) => `w6-${String(i).padStart(4, '0')}`);
  await mapLimit(ids, 32, (id) => api.start('SlowSequence', id));
  await sleep(150);
  await host.kill();
  const restartAt = Date.now();
  host = await ctx.startHost(azurite.connectionString, { label: 'w6-restart', env });
  report.add('W6', 'host restart to listening', /** @type {number} */ (host.listeningAt) - restartAt, 'ms', 1);

  await waitFor(async () => (await instances.count('w6-', 'Completed')) === ids.length || undefined, { timeoutMs: 300_000, intervalMs: 50, describe: 'all W6 sequences completed' });
  // The restarted host's requests so far: recovery, the sequences' steps and the agents' events share them.
  const atDone = await host.diagnostics();
  const rows = await instances.list('w6-');
  const wrong = rows.filter((r) => r.runtimeStatus !== 'Completed' || Number(r.output) !== 45);
  if (wrong.length > 0 || rows.length !== ids.length) report.fail('W6', `${wrong.length} sequences wrong, ${ids.length - rows.length} lost`);
  const lines = readFileSync(logFile, 'utf8').trim().split('\n').map((l) => l.split(' '));
  const firstAfter = Math.min(...lines.map((l) => Number(l[0])).filter((t) => t >= restartAt));
  const allDone = Math.max(...rows.map((r) => r.updated)) - restartAt;
  report.add('W6', 'restart to first activity executed', firstAfter - restartAt, 'ms', 1);
  report.add('W6', 'restart to all sequences complete', allDone, 'ms', ids.length);
  // Where the time after the restart goes: recovery (every sequence running again) or throughput
  // (the interval between one sequence's steps while all of them and the agents share the host).
  const timeline = stepTimeline(lines, restartAt);
  report.add('W6', 'restart to every sequence running again', timeline.allResumed, 'ms', timeline.sequences);
  report.add('W6', 'interval between a sequence\'s steps after restart p50', timeline.intervalP50, 'ms', timeline.intervals);
  report.add('W6', 'activity steps/s after restart', timeline.stepsPerSecond, 'steps/s', timeline.steps);
  report.add('W6', 'storage requests from restart to all sequences complete', atDone.storageRequests, 'requests', 1);

  const sent = await events;
  /** @type {Map<string, string[]>} */
  const expected = new Map();
  for (const k of sent.accepted) expected.set(/** @type {string} */ (targets[k]), [...(expected.get(/** @type {string} */ (targets[k])) ?? []), `e${k}`]);
  const { states } = await waitHandled(api, expected, 120_000);
  let lost = 0;
  let duplicated = 0;
  for (const [agent, eventIds] of expected) {
    const s = states.get(agent) ?? (await readAgent(api, agent));
    for (const id of eventIds) {
      const applied = s?.applied[id] ?? 0;
      if (applied === 0 || s?.handled[id] === undefined) lost++;
      if (applied > (uncertain.has(id) ? 2 : 1)) duplicated++;
    }
  }
  const slow = new Map();
  let handleRuns = 0;
  const handledByActivity = new Map();
  for (const l of lines) {
    if (l[1] === 'Slow') slow.set(`${l[2]} ${l[3]}`, (slow.get(`${l[2]} ${l[3]}`) ?? 0) + 1);
    if (l[1] === 'Handle') {
      handleRuns++;
      for (const id of (l[3] ?? '').split(',')) handledByActivity.set(id, (handledByActivity.get(id) ?? 0) + 1);
    }
  }
  const reexecutions = [...slow.values()].reduce((a, c) => a + c - 1, 0) + [...handledByActivity.values()].reduce((a, c) => a + c - 1, 0);
  report.add('W6', 'events accepted', sent.accepted.length, 'events', sizes.w6Events);
  report.add('W6', 'events re-sent after a failed answer', uncertain.size, 'events', sizes.w6Events);
  report.add('W6', 'events lost', lost, 'events', sent.accepted.length);
  report.add('W6', 'events applied twice', duplicated, 'events', sent.accepted.length);
  report.add('W6', 'activity re-executions', reexecutions, 'executions', slow.size + handleRuns);
  if (lost > 0 || duplicated > 0) report.fail('W6', `${lost} events lost, ${duplicated} applied twice`);
  const ok = wrong.length === 0 && rows.length === ids.length && lost === 0 && duplicated === 0;
  report.target('W6', 'nothing lost or duplicated; all complete within 3 s of restart', `${ok ? 'intact' : 'BROKEN'}, ${allDone} ms`, ok && allDone <= 3000);
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
}
