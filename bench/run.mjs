#!/usr/bin/env node
/**
 * `npm run bench`: the local host's benchmarks (bench/README.md). Each workload gets its own fresh
 * in-memory Azurite and its own host on the bench fixture app; the run prints a table and the
 * targets and writes bench/results/latest.json. Exit code 1 when an invariant broke (a wrong
 * count, lost or duplicated work), 2 on a harness error.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startAzurite } from './lib/azurite.mjs';
import { Host, REPO_ROOT } from './lib/host.mjs';
import { Report } from './lib/report.mjs';
import { summarizeProfiles } from './lib/profile-summary.mjs';
import { w0Calibration } from './workloads/w0-calibration.mjs';
import { w1Hello } from './workloads/w1-hello.mjs';
import { w2FanOut } from './workloads/w2-fanout.mjs';
import { w3Entities } from './workloads/w3-entities.mjs';
import { w4Wake } from './workloads/w4-wake.mjs';
import { w5Memory } from './workloads/w5-memory.mjs';
import { w6Recovery } from './workloads/w6-recovery.mjs';
import { w7LongLived } from './workloads/w7-long-lived.mjs';

export const FULL_SIZES = {
  rounds: 3, w0Ms: 2000,
  w1aCount: 30, w1bCount: 1000,
  w2Runs: 20, w2Width: 100,
  w3Signals: 10_000, w3Entities: 100, w3Calls: 1000,
  w4Agents: 10_000, w4IdleSeconds: 60, w4Events: 500, w4Rate: 10,
  // W5's target is the slope between the two largest levels that finished; with 1,000 and 3,000
  // it starts past most of the JIT warm-up even when 10,000 does not finish within the budget.
  w5Levels: [0, 1000, 3000, 10_000], w5IdleSeconds: 10,
  w6Instances: 200, w6Agents: 100, w6Events: 1000, w6Rate: 50,
  w7Events: 1000,
  /** How long bringing agents to sleep may take before the workload reports how far it got. */
  agentStartBudgetSeconds: 420,
};
/** @type {typeof FULL_SIZES} */
export const QUICK_SIZES = {
  rounds: 1, w0Ms: 700,
  w1aCount: 20, w1bCount: 150,
  w2Runs: 5, w2Width: 100,
  w3Signals: 600, w3Entities: 20, w3Calls: 150,
  w4Agents: 150, w4IdleSeconds: 5, w4Events: 40, w4Rate: 10,
  w5Levels: [0, 150, 500], w5IdleSeconds: 3,
  w6Instances: 50, w6Agents: 10, w6Events: 100, w6Rate: 50,
  w7Events: 60,
  agentStartBudgetSeconds: 120,
};

/**
 * @typedef {object} WorkloadContext
 * @property {Report} report
 * @property {typeof FULL_SIZES} sizes
 * @property {() => Promise<import('./lib/azurite.mjs').Azurite>} freshAzurite stops the previous emulator, starts an empty one
 * @property {(storage: string, options?: Partial<import('./lib/host.mjs').HostOptions> & { label?: string }) => Promise<Host>} startHost
 * @property {(text: string) => void} log progress on stderr
 */

const WORKLOADS = /** @type {const} */ ({ W0: w0Calibration, W1: w1Hello, W2: w2FanOut, W3: w3Entities, W4: w4Wake, W5: w5Memory, W6: w6Recovery, W7: w7LongLived });

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    skip: { type: 'string' },
    size: { type: 'string', multiple: true },
    profile: { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(REPO_ROOT, 'bench', 'results', 'latest.json') },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`usage: npm run bench -- [--quick] [--only W1,W3] [--skip W4] [--size key=value ...] [--profile] [--out file]
sizes (full / quick): ${Object.keys(FULL_SIZES).join(', ')}; lists as 0,1000,10000`);
  process.exit(0);
}

const sizes = structuredClone(values.quick ? QUICK_SIZES : FULL_SIZES);
for (const s of values.size ?? []) {
  const [key, raw] = s.split('=');
  if (!key || raw === undefined || !(key in sizes)) throw new Error(`unknown size "${s}"; known: ${Object.keys(sizes).join(', ')}`);
  /** @type {Record<string, unknown>} */ (sizes)[key] = raw.includes(',') ? raw.split(',').map(Number) : Number(raw);
}
const pick = (/** @type {string | undefined} */ list) => (list ? list.split(',').map((w) => w.trim().toUpperCase()) : undefined);
const only = pick(values.only);
const skip = pick(values.skip) ?? [];
const selected = Object.keys(WORKLOADS).filter((w) => (!only || only.includes(w)) && !skip.includes(w));
// Speeds are ratios to W0 of the same run, so W0 always runs unless skipped by name.
if (!selected.includes('W0') && !skip.includes('W0')) selected.unshift('W0');

// Profiles sit beside the results as `profile-<label>.cpuprofile.json`, so the results' ignore rule covers them.
const profileDir = path.dirname(values.out);
const report = new Report();
/** @type {import('./lib/azurite.mjs').Azurite | undefined} */
let azurite;
/** @type {Host[]} */
const hosts = [];
const log = (/** @type {string} */ text) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}\n`);

/** @type {WorkloadContext} */
const ctx = {
  report,
  sizes,
  log,
  async freshAzurite() {
    await azurite?.stop();
    azurite = await startAzurite();
    return azurite;
  },
  async startHost(storage, options = {}) {
    const file = values.profile ? path.join(profileDir, `profile-${options.label ?? 'host'}.cpuprofile.json`) : undefined;
    if (file) mkdirSync(profileDir, { recursive: true });
    const host = await Host.start({ storage, ...options, ...(file ? { cpuProfile: file } : {}) });
    host.label = options.label ?? 'host';
    hosts.push(host);
    return host;
  },
};

const started = Date.now();
let exitCode = 0;
try {
  for (const name of selected) {
    log(`${name} ...`);
    const t0 = Date.now();
    try {
      await WORKLOADS[/** @type {keyof typeof WORKLOADS} */ (name)](ctx);
    } catch (err) {
      report.fail(name, `harness error: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      log(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    } finally {
      for (const h of hosts.splice(0)) {
        await h.kill();
        // The host's own log, for evidence (`*.log` is git-ignored); failed turns are worth a line in the table.
        writeFileSync(path.join(path.dirname(values.out), `host-${h.label}.log`), h.out);
        const failed = h.failedTurnLines().length;
        if (failed > 0) report.add(name, `failed turns (host ${h.label}, see host-${h.label}.log)`, failed, 'turns', 1);
      }
    }
    log(`${name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
} finally {
  await azurite?.stop();
}
if (values.profile) report.extra.profiles = summarizeProfiles(profileDir);
report.print();
report.write(values.out, { startedAt: new Date(started).toISOString(), seconds: (Date.now() - started) / 1000, quick: values.quick, sizes, workloads: selected, node: process.version });
console.log(`\nwrote ${path.relative(process.cwd(), values.out)} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
if (report.failures.length > 0) exitCode = 1;
process.exit(exitCode);
