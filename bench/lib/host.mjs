/**
 * The local host under measurement: `node bin/aos.js start --app <fixture> --port 0 --storage <conn>`
 * as a child process, with `--expose-gc` so SIGUSR2 reports the post-GC heap. Diagnostics come
 * from the host's own log lines (`host diagnostics ...` on SIGUSR2, `storage requests count=N` at stop).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './stats.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BENCH_APP = path.join(REPO_ROOT, 'bench', 'apps', 'bench-app');
const AOS_BIN = path.join(REPO_ROOT, 'bin', 'aos.js');

/**
 * @typedef {object} Diagnostics
 * @property {number} rss @property {number} heapUsed @property {number} storageRequests @property {Record<string, number>} storageRequestsByKind
 * @property {number} activityExecutions @property {number} failedTurns
 * @property {number} hotInstances instances the engine keeps in memory (NaN on a host that does not say)
 * @property {number} codeBytes compiled code in the heap (bytecode, optimised code, metadata)
 * @property {number} instanceEntries entries keyed by instance in the engine's structures (hot instances,
 *   scheduler slots, hand-over claims, rows waiting in the row writer): 0 when every instance sleeps
 * @property {Map<string, number>} requestKinds storage requests by kind (`History.query`, `Work.batch`, `blob`, ...; empty on a host that does not say)
 */

/**
 * Storage requests by kind between two diagnostics, largest first: `History.query:1200 Work.get:3`.
 * @param {Diagnostics} before @param {Diagnostics} after
 */
export function requestKindsDelta(before, after) {
  return [...after.requestKinds]
    .map(([kind, n]) => /** @type {[string, number]} */ ([kind, n - (before.requestKinds.get(kind) ?? 0)]))
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, n]) => `${kind}:${n}`)
    .join(' ');
}

/**
 * @typedef {object} HostOptions
 * @property {string} storage connection string
 * @property {string} [app] app folder (default: the bench fixture app)
 * @property {Record<string, string>} [env]
 * @property {string} [cpuProfile] run the host under `node --cpu-prof`, writing this file
 * @property {number} [port] 0 = a free port
 */

export class Host {
  /** @param {HostOptions} options */
  constructor(options) {
    this.options = options;
    const args = [];
    if (options.cpuProfile) args.push('--cpu-prof', '--cpu-prof-dir', path.dirname(options.cpuProfile), '--cpu-prof-name', path.basename(options.cpuProfile));
    args.push(AOS_BIN, 'start', '--app', options.app ?? BENCH_APP, '--port', String(options.port ?? 0), '--storage', options.storage);
    this.startedAt = Date.now();
    this.child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --expose-gc`.trim(), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    /** @type {string} */
    this.out = '';
    this.child.stdout?.on('data', (d) => (this.out += d.toString()));
    this.child.stderr?.on('data', (d) => (this.out += d.toString()));
    /** @type {Promise<number | null>} */
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.baseUrl = '';
    /** A name for logs and profiles. */
    this.label = 'host';
  }

  get pid() {
    return /** @type {number} */ (this.child.pid);
  }

  /** Start a host and wait for `listening on ...`. @param {HostOptions} options */
  static async start(options) {
    const host = new Host(options);
    const match = await waitFor(
      async () => {
        if (host.child.exitCode !== null) throw new Error(`host exited with ${host.child.exitCode}:\n${host.out}`);
        return /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(host.out) ?? undefined;
      },
      { timeoutMs: 60_000, intervalMs: 10, describe: 'the host printed "listening on"' },
    ).catch((err) => {
      host.child.kill('SIGKILL');
      throw new Error(`${err.message}\n${host.out}`);
    });
    host.baseUrl = /** @type {string} */ (match[1]);
    host.listeningAt = Date.now();
    return host;
  }

  /** GC the host and read its memory and storage request count (SIGUSR2). @returns {Promise<Diagnostics>} */
  async diagnostics() {
    const before = (this.out.match(/host diagnostics/g) ?? []).length;
    this.child.kill('SIGUSR2');
    await waitFor(async () => (this.out.match(/host diagnostics/g) ?? []).length > before, { timeoutMs: 30_000, intervalMs: 5, describe: 'the host printed its diagnostics' });
    const lines = this.out.split('\n').filter((l) => l.includes('host diagnostics'));
    const line = /** @type {string} */ (lines[lines.length - 1]);
    /** @param {string} key */
    const num = (key) => Number(new RegExp(`${key}=(\\d+)`).exec(line)?.[1] ?? Number.NaN);
    const kinds = /storageRequestKinds=(\S+)/.exec(line)?.[1] ?? '';
    /** @type {Map<string, number>} */
    const requestKinds = new Map(kinds.split(';').filter(Boolean).map((t) => /** @type {[string, number]} */ ([t.slice(0, t.lastIndexOf(':')), Number(t.slice(t.lastIndexOf(':') + 1))])));
    const instanceEntries = ['hotInstances', 'scheduledInstances', 'claimedInstances', 'pendingInstanceRows'].reduce((sum, key) => sum + num(key), 0);
    return {
      rss: num('rss'),
      heapUsed: num('heapUsed'),
      codeBytes: num('codeBytes'),
      storageRequests: num('storageRequests'),
      storageRequestsByKind: Object.fromEntries(requestKinds),
      requestKinds,
      activityExecutions: num('activityExecutions'),
      failedTurns: num('failedTurns'),
      hotInstances: num('hotInstances'),
      instanceEntries,
    };
  }

  /** Host CPU time so far (user + system), in ms, from /proc. */
  cpuMs() {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  }

  /** Ctrl-C: the host stops cleanly and prints its storage request total. @returns {Promise<number>} */
  async stop() {
    if (this.child.exitCode === null) this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await this.exited;
    clearTimeout(timer);
    return Number(/storage requests count=(\d+)/.exec(this.out)?.[1] ?? Number.NaN);
  }

  /** kill -9, as in a crash. */
  async kill() {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Turns the host reported as failed in its log. */
  failedTurnLines() {
    return this.out.split('\n').filter((l) => l.includes('turn failed'));
  }
}
