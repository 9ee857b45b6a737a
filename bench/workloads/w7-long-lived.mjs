/**
 * W7 long-lived agent (STAND-IN): one loop processes events one at a time; the latency of the last
 * ten against the first ten shows whether a long life (continue-as-new generations, a growing
 * entity state) slows the loop down.
 */
import { readAgent, sendEvent, startAgents } from '../lib/agents.mjs';
import { DurableApi, InstancesTable } from '../lib/durable.mjs';
import { median, waitFor } from '../lib/stats.mjs';

/** @param {import('../run.mjs').WorkloadContext} ctx */
export async function w7LongLived(ctx) {
  const { report, sizes } = ctx;
  const azurite = await ctx.freshAzurite();
  const host = await ctx.startHost(azurite.connectionString, { label: 'w7' });
  const api = new DurableApi(() => host.baseUrl);
  const instances = new InstancesTable(azurite.connectionString, 'BenchHub');
  await startAgents(api, instances, 0, 1, { heartbeatSeconds: 3600 });
  const agent = 'a00000';
  const latencies = [];
  for (let k = 0; k < sizes.w7Events; k++) {
    const id = `e${k}`;
    await sendEvent(api, agent, id);
    const state = await waitFor(async () => {
      const s = await readAgent(api, agent);
      return s && s.handled[id] !== undefined ? s : undefined;
    }, { timeoutMs: 30_000, intervalMs: 2, describe: `event ${id} handled` });
    latencies.push(/** @type {number} */ (state.handled[id]));
  }
  const last = await waitFor(async () => {
    const s = await readAgent(api, agent);
    return s && s.mailbox.length === 0 ? s : undefined;
  }, { timeoutMs: 30_000, describe: 'mailbox empty' });
  const twice = Object.values(last.applied).filter((c) => c !== 1).length;
  if (Object.keys(last.handled).length !== sizes.w7Events || twice > 0) report.fail('W7', `${Object.keys(last.handled).length} of ${sizes.w7Events} handled, ${twice} applied twice`);
  const early = median(latencies.slice(0, 10));
  const late = median(latencies.slice(-10));
  report.add('W7', 'events 1-10 event to handled p50', early, 'ms', 10);
  report.add('W7', `events ${sizes.w7Events - 9}-${sizes.w7Events} event to handled p50`, late, 'ms', 10);
  report.add('W7', 'late / early', late / early, 'x', 20);
  report.add('W7', 'all events p50', median(latencies), 'ms', latencies.length);
  report.target('W7', 'late events no slower than 1.1x early ones', late / early, late <= 1.1 * early);
  await host.stop();
}
