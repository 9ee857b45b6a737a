/**
 * W3 entities: client signals to one counter and spread over many, and sequential callEntity from
 * one orchestration. Operations per storage commit = operations / entity turns (each entity turn
 * is one commit; the turn count is the Instances row's TurnNumber). A wrong final count fails the run.
 */
import { DurableApi, InstancesTable } from '../lib/durable.mjs';
import { mapLimit, median, waitFor } from '../lib/stats.mjs';

const IN_FLIGHT = 32;

/** @param {import('../run.mjs').WorkloadContext} ctx */
export async function w3Entities(ctx) {
  const { report, sizes } = ctx;
  const azurite = await ctx.freshAzurite();
  const host = await ctx.startHost(azurite.connectionString, { label: 'w3' });
  const api = new DurableApi(() => host.baseUrl);
  const instances = new InstancesTable(azurite.connectionString, 'BenchHub');
  const n = sizes.w3Signals;

  /** Signal `n` adds spread over `keys`, wait for the total; applied/s, accepted/s and ops per commit. @param {string[]} keys */
  const signalRun = async (keys) => {
    const before = await host.diagnostics();
    const cpu0 = host.cpuMs();
    const t0 = Date.now();
    await mapLimit(Array.from({ length: n }, (_, i) => i), IN_FLIGHT, (i) => api.signal('Counter', /** @type {string} */ (keys[i % keys.length]), 'add', 1));
    const accepted = n / ((Date.now() - t0) / 1000);
    let values = [];
    await waitFor(async () => {
      values = await mapLimit(keys, 8, async (k) => Number((await api.entityState('Counter', k)) ?? 0));
      return values.reduce((a, b) => a + b, 0) >= n || undefined;
    }, { timeoutMs: 600_000, intervalMs: 200, describe: `the counters reached ${n}` });
    const cpu1 = host.cpuMs();
    const after = await host.diagnostics();
    const rows = await mapLimit(keys, 8, (k) => instances.get(`@counter@${k}`));
    const done = Math.max(...rows.map((r) => r?.updated ?? Number.NaN));
    const turns = rows.reduce((a, r) => a + (r?.turns ?? 0), 0);
    const total = values.reduce((a, b) => a + b, 0);
    const wrong = keys.filter((_, i) => values[i] !== Math.floor(n / keys.length) + (i < n % keys.length ? 1 : 0));
    if (total !== n || wrong.length > 0) report.fail('W3', `counters over ${keys.length} entities read ${total}, expected ${n} (${wrong.length} entities wrong)`);
    // The count includes the state reads of the wait above (a few per poll), so it slightly overstates.
    return { applied: n / ((done - t0) / 1000), accepted, opsPerCommit: n / turns, requestsPerSignal: (after.storageRequests - before.storageRequests) / n, cpuPerSignal: (cpu1 - cpu0) / n };
  };

  const one = await signalRun(['one']);
  const applied = report.speed('W3', 'signals applied/s, one entity', one.applied, 'ops/s', n, 'upsert8');
  report.speed('W3', 'signals accepted/s by the HTTP API, one entity', one.accepted, 'ops/s', n, 'upsert8');
  report.add('W3', 'operations per storage commit, one entity', one.opsPerCommit, 'ops', n);
  report.add('W3', 'storage requests per signal, one entity', one.requestsPerSignal, 'requests', n);
  report.add('W3', 'host CPU per signal, one entity (HTTP API included)', one.cpuPerSignal, 'ms', n);
  report.target('W3', '>= 1,400 signals/s on one entity', applied, applied >= 1400);

  const keys = Array.from({ length: sizes.w3Entities }, (_, i) => `k${i}`);
  const many = await signalRun(keys);
  report.speed('W3', `signals applied/s, ${keys.length} entities`, many.applied, 'ops/s', n, 'upsert8');
  report.add('W3', `operations per storage commit, ${keys.length} entities`, many.opsPerCommit, 'ops', n);
  report.add('W3', `storage requests per signal, ${keys.length} entities`, many.requestsPerSignal, 'requests', n);
  report.add('W3', `host CPU per signal, ${keys.length} entities (HTTP API included)`, many.cpuPerSignal, 'ms', n);

  const calls = sizes.w3Calls;
  const callsBefore = await host.diagnostics();
  const callsCpu0 = host.cpuMs();
  await api.start('CallCounter', 'w3-calls', { key: 'calls', n: calls });
  const row = await waitFor(async () => {
    const r = await instances.get('w3-calls');
    return r && r.runtimeStatus !== 'Running' && r.runtimeStatus !== 'Pending' ? r : undefined;
  }, { timeoutMs: 600_000, intervalMs: 100, describe: 'the callEntity orchestration finished' });
  const callsCpu1 = host.cpuMs();
  const callsAfter = await host.diagnostics();
  /** @type {{ last: number, times: number[] }} */
  const out = JSON.parse(row.output ?? 'null') ?? { last: -1, times: [] };
  if (row.runtimeStatus !== 'Completed' || out.last !== calls) report.fail('W3', `callEntity run ended ${row.runtimeStatus}, counter ${out.last}, expected ${calls}`);
  const gaps = out.times.slice(1).map((t, i) => t - /** @type {number} */ (out.times[i]));
  const span = (/** @type {number} */ (out.times[out.times.length - 1]) - /** @type {number} */ (out.times[0])) / 1000;
  report.speed('W3', 'sequential callEntity ops/s', calls / span, 'ops/s', calls, 'txn5');
  report.add('W3', 'sequential callEntity p50', median(gaps), 'ms', gaps.length);
  const entityRow = await instances.get('@counter@calls');
  report.add('W3', 'operations per storage commit, callEntity', (calls + 1) / (entityRow?.turns ?? Number.NaN), 'ops', calls);
  report.add('W3', 'storage requests per callEntity', (callsAfter.storageRequests - callsBefore.storageRequests) / calls, 'requests', calls);
  report.add('W3', 'host CPU per callEntity', (callsCpu1 - callsCpu0) / calls, 'ms', calls);
  await host.stop();
}
