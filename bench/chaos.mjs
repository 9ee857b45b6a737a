#!/usr/bin/env node
/**
 * `npm run chaos`: kill -9 the host again and again under a mixed load, then check every invariant
 * (bench/lib/chaos-driver.mjs). Prints the counts as a JSON line and exits 1 on any violation.
 */
import { parseArgs } from 'node:util';
import { runChaos } from './lib/chaos-driver.mjs';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '20' },
    seed: { type: 'string' },
    storage: { type: 'string' },
    'min-up-ms': { type: 'string' },
    'max-up-ms': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('usage: npm run chaos -- [--kills 20] [--seed N] [--storage <connection string>] [--min-up-ms 700] [--max-up-ms 2500]');
  process.exit(0);
}
const num = (/** @type {string | undefined} */ v) => (v === undefined ? undefined : Number(v));
try {
  const result = await runChaos({
    kills: Number(values.kills),
    ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
    ...(values.storage !== undefined ? { storage: values.storage } : {}),
    ...(values['min-up-ms'] !== undefined ? { minUpMs: num(values['min-up-ms']) } : {}),
    ...(values['max-up-ms'] !== undefined ? { maxUpMs: num(values['max-up-ms']) } : {}),
    log: (t) => process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${t}\n`),
  });
  const { violations, ...counts } = result;
  console.log(`chaos result ${JSON.stringify(counts)}`);
  for (const v of violations.slice(0, 50)) console.log(`VIOLATION: ${v}`);
  if (violations.length > 50) console.log(`... and ${violations.length - 50} more violations`);
  console.log(violations.length === 0 ? 'chaos: every invariant held' : `chaos: ${violations.length} violations`);
  process.exit(violations.length === 0 ? 0 : 1);
} catch (err) {
  console.error(`chaos: harness error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(2);
}
