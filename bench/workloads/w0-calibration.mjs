/**
 * W0 calibration: what Azurite itself allows one Node process, with the same SDKs the host uses.
 * Every later speed is also given as a ratio to one of these rates, measured in the same run.
 */
import { TableClient } from '@azure/data-tables';
import { QueueServiceClient } from '@azure/storage-queue';
import { BASELINES } from '../lib/report.mjs';
import { median } from '../lib/stats.mjs';

/**
 * Operations per second of `op` with `inFlight` concurrent callers over `ms`.
 * @param {(i: number) => Promise<unknown>} op @param {number} inFlight @param {number} ms
 */
async function rate(op, inFlight, ms) {
  let done = 0;
  let seq = 0;
  const start = performance.now();
  const end = start + ms;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (performance.now() < end) {
      await op(seq++);
      done++;
    }
  }));
  return done / ((performance.now() - start) / 1000);
}

/** @param {import('../run.mjs').WorkloadContext} ctx */
export async function w0Calibration(ctx) {
  const { report, sizes } = ctx;
  const azurite = await ctx.freshAzurite();
  const conn = azurite.connectionString;
  const table = TableClient.fromConnectionString(conn, 'BenchCalibration', { allowInsecureConnection: true });
  await table.createTable();
  const queue = QueueServiceClient.fromConnectionString(conn).getQueueClient('bench-calibration');
  await queue.createIfNotExists();
  const empty = QueueServiceClient.fromConnectionString(conn).getQueueClient('bench-empty');
  await empty.createIfNotExists();
  const payload = 'x'.repeat(200);
  const upsert = (/** @type {number} */ i) => table.upsertEntity({ partitionKey: `p${i % 50}`, rowKey: `r${i % 500}`, payload }, 'Replace');
  const txn5 = (/** @type {number} */ i) => table.submitTransaction(Array.from({ length: 5 }, (_, k) => /** @type {const} */ (['upsert', { partitionKey: `t${i % 50}`, rowKey: `r${k}`, payload }, 'Replace'])));
  const cycle = async () => {
    await queue.sendMessage(payload);
    const got = await queue.receiveMessages({ numberOfMessages: 1 });
    const m = got.receivedMessageItems[0];
    if (m) await queue.deleteMessage(m.messageId, m.popReceipt);
  };
  const poll = () => empty.receiveMessages({ numberOfMessages: 32 });
  /** @type {[keyof typeof BASELINES, () => Promise<number>][]} */
  const cases = [
    ['upsert1', () => rate(upsert, 1, sizes.w0Ms)],
    ['upsert8', () => rate(upsert, 8, sizes.w0Ms)],
    ['txn5', () => rate(txn5, 1, sizes.w0Ms)],
    ['queueCycle', () => rate(cycle, 1, sizes.w0Ms)],
    ['emptyPoll', () => rate(poll, 1, sizes.w0Ms)],
  ];
  await rate(upsert, 8, 300); // warm-up: connections, JIT, Azurite's first table pages
  for (const [key, run] of cases) {
    const rounds = [];
    for (let r = 0; r < sizes.rounds; r++) rounds.push(await run());
    report.add('W0', BASELINES[key], median(rounds), 'ops/s', sizes.rounds);
  }
  await azurite.stop();
}
