/**
 * W5 memory (agent STAND-IN): host RSS and post-GC heap with 0, 1,000, 3,000 and 10,000 sleeping
 * agents, the bytes per sleeping agent (with and without compiled code), the engine's entries keyed
 * by instance (0 while all sleep), and the idle CPU and storage requests at each level (they must
 * not grow with the number of agents).
 */
import { startAgents } from '../lib/agents.mjs';
import { DurableApi, InstancesTable } from '../lib/durable.mjs';
import { requestKindsDelta } from '../lib/host.mjs';
import { measureIdle } from './w4-wake.mjs';

/** @param {import('../run.mjs').WorkloadContext} ctx */
export async function w5Memory(ctx) {
  const { report, sizes } = ctx;
  const azurite = await ctx.freshAzurite();
  const host = await ctx.startHost(azurite.connectionString, { label: 'w5' });
  const api = new DurableApi(() => host.baseUrl);
  const instances = new InstancesTable(azurite.connectionString, 'BenchHub');
  const levels = [...sizes.w5Levels].sort((a, b) => a - b);
  /** @type {{ agents: number, heap: number, rss: number, code: number, entries: number }[]} */
  const points = [];
  let have = 0;
  for (const level of levels) {
    if (level > have) {
      const t0 = Date.now();
      const d0 = await host.diagnostics();
      const started = await startAgents(api, instances, have, level, { heartbeatSeconds: 3600, log: ctx.log, budgetMs: sizes.agentStartBudgetSeconds * 1000 });
      const d1 = await host.diagnostics();
      report.add('W5', `agents brought to sleep/s (${have} to ${level})`, (started.asleep - have) / ((Date.now() - t0) / 1000), 'agents/s', started.asleep - have);
      ctx.log(`W5 storage requests while bringing agents ${have} to ${started.asleep} to sleep: ${requestKindsDelta(d0, d1)}`);
      if (!started.complete) {
        report.add('W5', `agents asleep after ${sizes.agentStartBudgetSeconds} s (level ${level})`, started.asleep, 'agents', level);
        report.target('W5', `${level} agents asleep within ${sizes.agentStartBudgetSeconds} s`, started.asleep, false);
        break;
      }
    }
    have = Math.max(have, level);
    // The idle phase is longer than the engine's grace period (IDLE_GRACE_MS, 2 s), so every
    // instance has been forgotten when the heap is read.
    const idle = await measureIdle(host, sizes.w5IdleSeconds);
    // Three GCs, keep the smallest: what is left is what the agents hold.
    const samples = [await host.diagnostics(), await host.diagnostics(), await host.diagnostics()];
    const heap = Math.min(...samples.map((s) => s.heapUsed));
    const rss = Math.min(...samples.map((s) => s.rss));
    const last = /** @type {import('../lib/host.mjs').Diagnostics} */ (samples[2]);
    points.push({ agents: level, heap, rss, code: last.codeBytes, entries: last.instanceEntries });
    report.add('W5', `post-GC heap, ${level} agents`, heap / 2 ** 20, 'MiB', 3);
    report.add('W5', `compiled code in the heap, ${level} agents`, last.codeBytes / 2 ** 20, 'MiB', 1);
    report.add('W5', `RSS, ${level} agents`, rss / 2 ** 20, 'MiB', 3);
    report.add('W5', `instance entries in engine memory, ${level} agents`, last.instanceEntries, 'entries', 1);
    report.add('W5', `idle host CPU, ${level} agents`, idle.cpuPercent, '% of a core', sizes.w5IdleSeconds);
    report.add('W5', `idle storage requests/s, ${level} agents`, idle.requestsPerSecond, 'requests/s', sizes.w5IdleSeconds);
  }
  const entries = Math.max(0, ...points.map((p) => p.entries));
  report.target('W5', 'no instance entry in engine memory while every agent sleeps', entries, entries === 0);
  // Compiled code grows while V8 compiles and then optimises the functions that turns run (most
  // of it with the first agents, then less and less), not with what sleeping agents hold: the
  // figures "without compiled code" subtract it. From the first level they still include the
  // warm-up (hidden classes, V8 caches, SDK pipelines built by the first turns).
  /** @param {typeof points[number]} a @param {typeof points[number]} b */
  const perAgent = (a, b) => ({ heap: (b.heap - a.heap) / (b.agents - a.agents), data: (b.heap - b.code - (a.heap - a.code)) / (b.agents - a.agents), rss: (b.rss - a.rss) / (b.agents - a.agents) });
  const base = points[0];
  for (const p of points.slice(1)) {
    if (!base || p.agents <= base.agents) continue;
    const d = perAgent(base, p);
    report.add('W5', `heap bytes per sleeping agent (${base.agents} to ${p.agents})`, d.heap, 'bytes', p.agents - base.agents);
    report.add('W5', `heap bytes per sleeping agent without compiled code (${base.agents} to ${p.agents})`, d.data, 'bytes', p.agents - base.agents);
    report.add('W5', `RSS bytes per sleeping agent (${base.agents} to ${p.agents})`, d.rss, 'bytes', p.agents - base.agents);
  }
  // The target: the slope between the two largest levels (past the warm-up when there are three).
  const first = points.length > 2 ? points[points.length - 2] : points[0];
  const last = points[points.length - 1];
  if (first && last && last.agents > first.agents) {
    const d = perAgent(first, last);
    if (first !== base) {
      report.add('W5', `heap bytes per sleeping agent (${first.agents} to ${last.agents})`, d.heap, 'bytes', last.agents - first.agents);
      report.add('W5', `heap bytes per sleeping agent without compiled code (${first.agents} to ${last.agents})`, d.data, 'bytes', last.agents - first.agents);
      report.add('W5', `RSS bytes per sleeping agent (${first.agents} to ${last.agents})`, d.rss, 'bytes', last.agents - first.agents);
    }
    report.target('W5', `<= 2 KB heap per sleeping agent, compiled code excluded (${first.agents} to ${last.agents})`, d.data, d.data <= 2048);
  }
  await host.stop();
}
