/**
 * Starts the real `aos` CLI as a child process on an app folder, the way a user does, and
 * gives the test its base URL, its output, and ways to stop or kill it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { waitUntil } from './wait-until.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const AOS_BIN = path.join(REPO_ROOT, 'bin', 'aos.js');

export interface AosProcess {
  baseUrl: string;
  port: number;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Ctrl-C, then wait for exit. */
  stop(): Promise<number | null>;
  /** kill -9: no clean-up at all, as in a crash. */
  kill(): Promise<void>;
  /** Wait until the output contains `text`. */
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<void>;
}

export interface StartAosOptions {
  app?: string;
  port?: number;
  /** Extra CLI arguments. */
  args?: string[];
  env?: Record<string, string | undefined>;
  /** Use the run's shared Azurite (default) or this connection string. */
  storage?: string | null;
  cwd?: string;
}

/** Start `aos start` and wait for `listening on ...`. */
export async function startAos(options: StartAosOptions = {}): Promise<AosProcess> {
  const proc = spawnAos(options);
  const match = await waitUntil(() => /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(proc.output()) ?? (proc.child.exitCode !== null ? Promise.reject(new Error(`aos exited with ${proc.child.exitCode}:\n${proc.output()}`)) : undefined), {
    timeoutMs: 60_000,
    describe: `aos printed "listening on" (output so far:\n${proc.output()})`,
  });
  const port = Number(match[2]);
  return { ...proc, baseUrl: String(match[1]), port };
}

/** Spawn `aos start` without waiting; for tests of start-up failures. */
export function spawnAos(options: StartAosOptions = {}): Omit<AosProcess, 'baseUrl' | 'port'> {
  const args = [AOS_BIN, 'start', '--port', String(options.port ?? 0)];
  if (options.app) args.push('--app', options.app);
  const storage = options.storage === undefined ? inject('storageConnectionString') : options.storage;
  if (storage) args.push('--storage', storage);
  args.push(...(options.args ?? []));
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  const child = spawn(process.execPath, args, { cwd: options.cwd ?? REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
    async waitForOutput(text, timeoutMs = 30_000) {
      await waitUntil(() => (typeof text === 'string' ? out.includes(text) : text.test(out)), { timeoutMs, describe: `output contains ${String(text)}; output:\n${out}` });
    },
  };
}
