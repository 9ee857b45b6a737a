/**
 * W5 memory (agent STAND-IN): host RSS and post-GC heap with 0, 1,000 and 10,000 sleeping agents,
 * the bytes per sleeping agent, and the idle CPU and storage requests at each level (they must not
 * grow with the number of agents).
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
  /** @type {{ agents: number, heap: number, rss: number }[]} */
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
    const idle = await measureIdle(host, sizes.w5IdleSeconds);
    // Three GCs, keep the smallest: what is left is what the agents hold.
    const samples = [await host.diagnostics(), await host.diagnostics(), await host.diagnostics()];
    const heap = Math.min(...samples.map((s) => s.heapUsed));
    const rss = Math.min(...samples.map((s) => s.rss));
    points.push({ agents: level, heap, rss });
    report.add('W5', `post-GC heap, ${level} agents`, heap / 2 ** 20, 'MiB', 3);
    report.add('W5', `RSS, ${level} agents`, rss / 2 ** 20, 'MiB', 3);
    report.add('W5', `hot instances in memory, ${level} agents`, /** @type {import('../lib/host.mjs').Diagnostics} */ (samples[2]).hotInstances, 'instances', 1);
    report.add('W5', `idle host CPU, ${level} agents`, idle.cpuPercent, '% of a core', sizes.w5IdleSeconds);
    report.add('W5', `idle storage requests/s, ${level} agents`, idle.requestsPerSecond, 'requests/s', sizes.w5IdleSeconds);
  }
  // The slope between the two largest levels: from 0 it would include the warm-up (code compiled
  // and SDK clients built by the first turns), which no agent holds.
  const first = points.length > 2 ? points[points.length - 2] : points[0];
  const last = points[points.length - 1];
  if (first && last && last.agents > first.agents) {
    const perAgent = (last.heap - first.heap) / (last.agents - first.agents);
    report.add('W5', `heap bytes per sleeping agent (${first.agents} to ${last.agents})`, perAgent, 'bytes', last.agents - first.agents);
    report.add('W5', `RSS bytes per sleeping agent (${first.agents} to ${last.agents})`, (last.rss - first.rss) / (last.agents - first.agents), 'bytes', last.agents - first.agents);
    report.target('W5', '<= 2 KB heap per sleeping agent', perAgent, perAgent <= 2048);
  }
  await host.stop();
}
