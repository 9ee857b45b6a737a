/**
 * Starts Azurite (blob, queue, table) as a child process when development storage is wanted
 * and nothing listens on its ports, and stops it when the host stops. Pinned to Azurite 3.35,
 * the last release that runs on Node 20; `--skipApiVersionCheck` because today's SDKs send
 * newer API versions than it knows, `--disableTelemetry` because this machine has no network.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { HostStartError } from '../config/host-config-error.js';
import type { Logger } from '../log/logger.js';
import type { AzuritePorts } from './storage-connection.js';

export interface AzuriteOptions {
  ports: AzuritePorts;
  /** Folder for Azurite's data; ignored with `inMemory`. */
  location: string;
  inMemory?: boolean;
  host?: string;
  log: Logger;
  /** How long to wait for the three services to answer. @default 30000 */
  startTimeoutMs?: number;
}

export function azuriteEntryPoint(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'azurite.js');
}

export async function isListening(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export class AzuriteProcess {
  #child: ChildProcess | undefined;
  #exited: Promise<void> | undefined;

  private constructor(readonly ports: AzuritePorts) {}

  /**
   * Use an Azurite that already listens on all three ports, or start one.
   * Returns undefined when an existing one is used (nothing to stop later).
   */
  static async ensure(options: AzuriteOptions): Promise<AzuriteProcess | undefined> {
    const host = options.host ?? '127.0.0.1';
    const { blob, queue, table } = options.ports;
    const listening = await Promise.all([blob, queue, table].map((p) => isListening(p, host)));
    if (listening.every(Boolean)) {
      options.log.log('info', 'using the storage emulator already listening', { ports: options.ports });
      return undefined;
    }
    if (listening.some(Boolean)) {
      const busy = [blob, queue, table].filter((_, i) => listening[i]);
      throw new HostStartError(
        `ports ${busy.join(', ')} are taken by something that is not a complete Azurite (blob ${blob}, queue ${queue}, table ${table}); stop it or pass --storage`,
        'STORAGE_PORTS_BUSY',
      );
    }
    const proc = new AzuriteProcess(options.ports);
    await proc.#start(options, host);
    return proc;
  }

  async #start(options: AzuriteOptions, host: string): Promise<void> {
    const args = [
      azuriteEntryPoint(),
      '--blobHost', host, '--queueHost', host, '--tableHost', host,
      '--blobPort', String(this.ports.blob), '--queuePort', String(this.ports.queue), '--tablePort', String(this.ports.table),
      '--skipApiVersionCheck', '--disableTelemetry', '--silent', '--loose',
    ];
    if (options.inMemory) args.push('--inMemoryPersistence');
    else {
      await mkdir(options.location, { recursive: true });
      args.push('--location', options.location);
    }
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.#child = child;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    options.log.log('info', 'starting the storage emulator (Azurite)', { ports: this.ports, location: options.inMemory ? 'memory' : options.location });
    const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
    for (;;) {
      if (child.exitCode !== null) {
        throw new HostStartError(`Azurite exited during start-up (code ${child.exitCode}): ${stderr.trim().split('\n').pop() ?? ''}`, 'AZURITE_FAILED');
      }
      const up = await Promise.all([this.ports.blob, this.ports.queue, this.ports.table].map((p) => isListening(p, host)));
      if (up.every(Boolean)) return;
      if (Date.now() > deadline) {
        await this.stop();
        throw new HostStartError('Azurite did not answer within the start-up timeout', 'AZURITE_TIMEOUT');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await this.#exited;
    clearTimeout(timer);
  }
}
