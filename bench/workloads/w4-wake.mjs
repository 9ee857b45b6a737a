/**
 * W4 wake latency (agent STAND-IN): many agents asleep (entity + loop waiting for `wake` or a
 * one-hour heartbeat); the host's CPU and storage requests while idle; then events to random agents
 * at a fixed rate, event-to-handled = the entity's take time minus the client's send time.
 */
import { agentId, openLoop, sendEvent, startAgents, waitHandled } from '../lib/agents.mjs';
import { DurableApi, InstancesTable } from '../lib/durable.mjs';
import { requestKindsDelta } from '../lib/host.mjs';
import { max, percentile, sleep } from '../lib/stats.mjs';

/** @param {import('../run.mjs').WorkloadContext} ctx */
export async function w4Wake(ctx) {
  const { report, sizes } = ctx;
  const azurite = await ctx.freshAzurite();
  const host = await ctx.startHost(azurite.connectionString, { label: 'w4' });
  const api = new DurableApi(() => host.baseUrl);
  const instances = new InstancesTable(azurite.connectionString, 'BenchHub');
  const agents = sizes.w4Agents;
  const t0 = Date.now();
  const startDiag = await host.diagnostics();
  const started = await startAgents(api, instances, 0, agents, { heartbeatSeconds: 3600, log: ctx.log, budgetMs: sizes.agentStartBudgetSeconds * 1000 });
  report.speed('W4', 'agents brought to sleep/s', started.asleep / ((Date.now() - t0) / 1000), 'agents/s', started.asleep, 'txn5');
  const asleepDiag = await host.diagnostics();
  report.add('W4', 'storage requests per agent brought to sleep', (asleepDiag.storageRequests - startDiag.storageRequests) / Math.max(1, started.asleep), 'requests', started.asleep);
  ctx.log(`W4 storage requests while bringing ${started.asleep} agents to sleep: ${requestKindsDelta(startDiag, asleepDiag)}`);
  if (!started.complete) {
    report.add('W4', `agents asleep after ${sizes.agentStartBudgetSeconds} s`, started.asleep, 'agents', agents);
    report.target('W4', `${agents} agents asleep within ${sizes.agentStartBudgetSeconds} s`, started.asleep, false);
    await host.stop();
    return;
  }

  const idle = await measureIdle(host, sizes.w4IdleSeconds);
  ctx.log(`W4 storage requests while idle ${sizes.w4IdleSeconds} s: ${idle.kinds || 'none'}`);
  const cpu = report.add('W4', `idle host CPU, ${agents} agents asleep`, idle.cpuPercent, '% of a core', sizes.w4IdleSeconds);
  report.add('W4', `idle storage requests/s, ${agents} agents asleep`, idle.requestsPerSecond, 'requests/s', sizes.w4IdleSeconds);

  /** @type {Map<string, string[]>} */
  const expected = new Map();
  const targets = Array.from({ length: sizes.w4Events }, () => agentId(Math.floor(Math.random() * agents)));
  const before = await host.diagnostics();
  const sent = await openLoop((k) => sendEvent(api, /** @type {string} */ (targets[k]), `e${k}`), sizes.w4Events, sizes.w4Rate);
  for (const k of sent.accepted) expected.set(/** @type {string} */ (targets[k]), [...(expected.get(/** @type {string} */ (targets[k])) ?? []), `e${k}`]);
  if (sent.failed.length > 0) report.fail('W4', `${sent.failed.length} events refused: ${sent.failed[0]?.error}`);
  const { states, reads } = await waitHandled(api, expected, 120_000);
  const after = await host.diagnostics();
  ctx.log(`W4 storage requests for ${sent.accepted.length} events (client calls and ${reads} entity reads included): ${requestKindsDelta(before, after)}`);
  report.add('W4', 'storage requests per event (client calls included)', (after.storageRequests - before.storageRequests - reads) / sent.accepted.length, 'requests', sent.accepted.length);
  const latencies = [];
  for (const [agent, ids] of expected) for (const id of ids) latencies.push(/** @type {number} */ (states.get(agent)?.handled[id]));
  const p50 = report.add('W4', 'event to handled p50', percentile(latencies, 50), 'ms', latencies.length);
  const p99 = report.add('W4', 'event to handled p99', percentile(latencies, 99), 'ms', latencies.length);
  report.add('W4', 'event to handled max', max(latencies), 'ms', latencies.length);
  report.target('W4', 'p50 <= 10 ms', p50, p50 <= 10);
  report.target('W4', 'p99 <= 25 ms', p99, p99 <= 25);
  report.target('W4', 'idle CPU <= 5% of a core', cpu, cpu <= 5);
  report.note(`W4, W5, W6 and W7 run the agent STAND-IN fixture (bench/apps/bench-app/functions/agents.js), not the AOS app`);
  await host.stop();
}

/**
 * Host CPU (% of one core) and storage requests/s over `seconds` of doing nothing.
 * @param {import('../lib/host.mjs').Host} host @param {number} seconds
 */
export async function measureIdle(host, seconds) {
  // Let the last turns and post-commits drain before the window opens.
  await sleep(1000);
  const before = await host.diagnostics();
  const cpu0 = host.cpuMs();
  const w0 = Date.now();
  await sleep(seconds * 1000);
  const cpu1 = host.cpuMs();
  const after = await host.diagnostics();
  const wall = Date.now() - w0;
  return { cpuPercent: ((cpu1 - cpu0) / wall) * 100, requestsPerSecond: (after.storageRequests - before.storageRequests) / (wall / 1000), kinds: requestKindsDelta(before, after) };
}
