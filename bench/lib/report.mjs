/**
 * The bench's results: one record per workload and metric, speeds also as a ratio to a W0 rate of
 * the same run, targets with met / not met, a printed table and `bench/results/latest.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** @typedef {{ workload: string, metric: string, value: number, unit: string, n: number }} BenchRecord */
/** @typedef {{ workload: string, target: string, value: string, met: boolean }} TargetResult */

/** W0 rates a speed can be compared with (metric names of W0 records). */
export const BASELINES = /** @type {const} */ ({
  upsert1: 'table upsert, 1 in flight',
  upsert8: 'table upsert, 8 in flight',
  txn5: '5-row transaction, 1 in flight',
  queueCycle: 'queue send+receive+delete',
  emptyPoll: 'empty queue poll',
});

export class Report {
  constructor() {
    /** @type {BenchRecord[]} */
    this.records = [];
    /** @type {TargetResult[]} */
    this.targets = [];
    /** @type {string[]} */
    this.failures = [];
    /** @type {string[]} */
    this.notes = [];
    /** @type {Record<string, unknown>} */
    this.extra = {};
  }

  /** @param {string} workload @param {string} metric @param {number} value @param {string} unit @param {number} n */
  add(workload, metric, value, unit, n) {
    this.records.push({ workload, metric, value, unit, n });
    return value;
  }

  /**
   * A speed, and its ratio to a W0 rate measured in this run (when W0 ran).
   * @param {string} workload @param {string} metric @param {number} value @param {string} unit @param {number} n
   * @param {keyof typeof BASELINES} [baseline]
   */
  speed(workload, metric, value, unit, n, baseline = 'txn5') {
    this.add(workload, metric, value, unit, n);
    const base = this.records.find((r) => r.workload === 'W0' && r.metric === BASELINES[baseline]);
    if (base && base.value > 0) this.add(workload, `${metric} / W0 ${BASELINES[baseline]}`, value / base.value, 'x', n);
    return value;
  }

  /** @param {string} workload @param {string} target @param {number | string} value @param {boolean} met */
  target(workload, target, value, met) {
    this.targets.push({ workload, target, value: typeof value === 'number' ? fmt(value) : value, met });
  }

  /** A broken invariant (wrong count, lost or duplicated work): the run exits non-zero. @param {string} workload @param {string} what */
  fail(workload, what) {
    this.failures.push(`${workload}: ${what}`);
  }

  /** @param {string} text */
  note(text) {
    this.notes.push(text);
  }

  print() {
    const rows = this.records.map((r) => [r.workload, r.metric, fmt(r.value), r.unit, String(r.n)]);
    printTable(['workload', 'metric', 'value', 'unit', 'n'], rows);
    if (this.targets.length > 0) {
      console.log('\ntargets');
      printTable(['workload', 'target', 'measured', 'met'], this.targets.map((t) => [t.workload, t.target, t.value, t.met ? 'yes' : 'NO']));
    }
    for (const n of this.notes) console.log(`note: ${n}`);
    for (const f of this.failures) console.log(`FAILED: ${f}`);
  }

  /** @param {string} file @param {Record<string, unknown>} meta */
  write(file, meta) {
    const value = (/** @type {string} */ w, /** @type {string} */ m) => this.records.find((r) => r.workload === w && r.metric === m)?.value ?? null;
    const json = {
      ...meta,
      workItemsPerSecond: value('W1b', 'work items/s'),
      rawLimit: Object.fromEntries(Object.entries(BASELINES).map(([k, m]) => [k, value('W0', m)])),
      records: this.records,
      targets: this.targets,
      failures: this.failures,
      notes: this.notes,
      ...this.extra,
    };
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  }
}

/** @param {number} v */
export function fmt(v) {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 100) return String(Math.round(v));
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** @param {string[]} header @param {string[][]} rows */
function printTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (/** @type {string[]} */ cells) => cells.map((c, i) => (i === 2 && header[2] !== 'measured' ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}
