/**
 * W1 hello-sequence: an orchestration calls a trivial activity 10 times in sequence.
 * (a) latency of instances run one after another; (b) throughput of many started at once, with
 * storage requests per activity step and the ratio to W0's 5-row transaction rate.
 */
import { DurableApi, InstancesTable } from '../lib/durable.mjs';
import { mapLimit, median, percentile, waitFor } from '../lib/stats.mjs';

const HUB = 'BenchHub';
const STEPS = 10;
const EXPECTED = 45;

/** @param {import('../run.mjs').WorkloadContext} ctx */
export async function w1Hello(ctx) {
  const { report, sizes } = ctx;
  const azurite = await ctx.freshAzurite();
  const host = await ctx.startHost(azurite.connectionString, { label: 'w1' });
  const api = new DurableApi(() => host.baseUrl);
  const instances = new InstancesTable(azurite.connectionString, HUB);

  // (a) one after another; the first few warm the JIT and are not counted.
  const latencies = [];
  for (let i = -3; i < sizes.w1aCount; i++) {
    const id = `w1a-${i + 3}`;
    await api.start('HelloSequence', id);
    const row = await waitFor(async () => {
      const r = await instances.get(id);
      return r && r.runtimeStatus !== 'Running' && r.runtimeStatus !== 'Pending' ? r : undefined;
    }, { timeoutMs: 30_000, intervalMs: 3, describe: `${id} finished` });
    if (row.runtimeStatus !== 'Completed' || Number(row.output) !== EXPECTED) report.fail('W1a', `${id} ended ${row.runtimeStatus} with ${row.output}`);
    if (i >= 0) latencies.push(row.updated - row.created);
  }
  const p50 = report.add('W1a', 'start to Completed p50', median(latencies), 'ms', latencies.length);
  report.add('W1a', 'start to Completed p99', percentile(latencies, 99), 'ms', latencies.length);
  report.target('W1a', 'p50 <= 17 ms', p50, p50 <= 17);

  // (b) all at once, several rounds on the same host.
  const rounds = [];
  for (let r = 0; r < sizes.rounds; r++) {
    const prefix = `w1b-${r}-`;
    const before = await host.diagnostics();
    const cpu0 = host.cpuMs();
    const ids = Array.from({ length: sizes.w1bCount }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`);
    await mapLimit(ids, 64, (id) => api.start('HelloSequence', id));
    ctx.log(`W1b round ${r + 1}: ${ids.length} started`);
    await waitFor(async () => (await instances.count(prefix, 'Completed')) === ids.length || undefined, { timeoutMs: 600_000, intervalMs: 250, describe: `all ${ids.length} W1b instances completed` });
    const cpu1 = host.cpuMs();
    const after = await host.diagnostics();
    const rows = await instances.list(prefix);
    const bad = rows.filter((row) => row.runtimeStatus !== 'Completed' || Number(row.output) !== EXPECTED);
    if (bad.length > 0 || rows.length !== ids.length) report.fail('W1b', `${bad.length} wrong outputs, ${ids.length - rows.length} missing`);
    const seconds = (Math.max(...rows.map((x) => x.updated)) - Math.min(...rows.map((x) => x.created))) / 1000;
    const episodes = rows.reduce((a, x) => a + x.turns, 0);
    const activities = after.activityExecutions - before.activityExecutions;
    const perStep = Object.entries(after.storageRequestsByKind)
      .map(([kind, n]) => [kind, (n - (before.storageRequestsByKind[kind] ?? 0)) / (STEPS * ids.length)])
      .filter(([, x]) => Number(x) >= 0.005)
      .map(([kind, x]) => `${kind} ${Number(x).toFixed(2)}`);
    report.note(`W1b round ${r + 1} (${ids.length} instances) storage requests per step by kind: ${perStep.join(', ')}`);
    rounds.push({
      steps: (STEPS * ids.length) / seconds,
      workItems: (episodes + activities) / seconds,
      requestsPerStep: (after.storageRequests - before.storageRequests) / (STEPS * ids.length),
      episodesPerInstance: episodes / ids.length,
      // The harness's polls of the HTTP API and the start calls are in it too.
      cpuPerStep: (cpu1 - cpu0) / (STEPS * ids.length),
    });
  }
  const n = sizes.rounds;
  const steps = report.speed('W1b', 'activity steps/s', median(rounds.map((x) => x.steps)), 'steps/s', n, 'txn5');
  report.speed('W1b', 'work items/s', median(rounds.map((x) => x.workItems)), 'items/s', n, 'txn5');
  report.add('W1b', 'storage requests per activity step', median(rounds.map((x) => x.requestsPerStep)), 'requests', n);
  report.add('W1b', 'host CPU per activity step (starts included)', median(rounds.map((x) => x.cpuPerStep)), 'ms', n);
  report.add('W1b', 'orchestrator episodes per instance', median(rounds.map((x) => x.episodesPerInstance)), 'episodes', n);
  report.add('W1b', 'instances per round', sizes.w1bCount, 'instances', n);
  report.target('W1b', '>= 1,400 activity steps/s', steps, steps >= 1400);
  await host.stop();
}
