/** W2 fan-out/fan-in: one orchestration runs 100 activities in parallel; runs one after another. */
import { DurableApi, InstancesTable } from '../lib/durable.mjs';
import { median, percentile, waitFor } from '../lib/stats.mjs';

/** @param {import('../run.mjs').WorkloadContext} ctx */
export async function w2FanOut(ctx) {
  const { report, sizes } = ctx;
  const width = sizes.w2Width;
  const expected = (width * (width - 1)) / 2;
  const azurite = await ctx.freshAzurite();
  const host = await ctx.startHost(azurite.connectionString, { label: 'w2' });
  const api = new DurableApi(() => host.baseUrl);
  const instances = new InstancesTable(azurite.connectionString, 'BenchHub');
  const latencies = [];
  const requests = [];
  const episodes = [];
  const cpu = [];
  for (let i = -2; i < sizes.w2Runs; i++) {
    const id = `w2-${i + 2}`;
    const before = await host.diagnostics();
    const cpu0 = host.cpuMs();
    await api.start('FanOut', id, width);
    const row = await waitFor(async () => {
      const r = await instances.get(id);
      return r && r.runtimeStatus !== 'Running' && r.runtimeStatus !== 'Pending' ? r : undefined;
    }, { timeoutMs: 60_000, intervalMs: 5, describe: `${id} finished` });
    const cpu1 = host.cpuMs();
    const after = await host.diagnostics();
    if (row.runtimeStatus !== 'Completed' || Number(row.output) !== expected) report.fail('W2', `${id} ended ${row.runtimeStatus} with ${row.output}`);
    if (i < 0) continue; // warm-up
    latencies.push(row.updated - row.created);
    requests.push((after.storageRequests - before.storageRequests) / width);
    episodes.push(row.turns);
    cpu.push((cpu1 - cpu0) / width);
  }
  const p50 = report.add('W2', 'start to Completed p50', median(latencies), 'ms', latencies.length);
  report.add('W2', 'start to Completed p99', percentile(latencies, 99), 'ms', latencies.length);
  report.speed('W2', 'activities/s (p50 run)', (width * 1000) / p50, 'activities/s', latencies.length, 'txn5');
  const perActivity = report.add('W2', 'storage requests per activity', median(requests), 'requests', requests.length);
  report.add('W2', 'host CPU per activity', median(cpu), 'ms', cpu.length);
  report.add('W2', 'orchestrator episodes per run', median(episodes), 'episodes', episodes.length);
  report.target('W2', 'p50 <= 80 ms', p50, p50 <= 80);
  report.target('W2', '<= 3 storage requests per activity', perActivity, perActivity <= 3);
  await host.stop();
}
