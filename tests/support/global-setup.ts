/**
 * Starts one Azurite (in memory, on free ports) for the whole e2e run, the way a user's machine
 * would have one, and hands its connection string to the tests. Hosts under test are given it
 * with `--storage`, so tests never touch a developer's own Azurite on 10000-10002.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

let child: ChildProcess | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [blob, queue, table] = [await freePort(), await freePort(), await freePort()];
  const require = createRequire(import.meta.url);
  const entry = path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'azurite.js');
  child = spawn(
    process.execPath,
    [entry, '--inMemoryPersistence', '--skipApiVersionCheck', '--disableTelemetry', '--silent', '--loose',
      '--blobPort', String(blob), '--queuePort', String(queue), '--tablePort', String(table)],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 30_000;
  while (!((await listening(blob)) && (await listening(queue)) && (await listening(table)))) {
    if (Date.now() > deadline) throw new Error('Azurite did not start for the e2e tests');
    if (child.exitCode !== null) throw new Error(`Azurite exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const connectionString =
    `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};` +
    `BlobEndpoint=http://127.0.0.1:${blob}/${ACCOUNT};QueueEndpoint=http://127.0.0.1:${queue}/${ACCOUNT};TableEndpoint=http://127.0.0.1:${table}/${ACCOUNT};`;
  project.provide('storageConnectionString', connectionString);
  project.provide('azuritePorts', { blob, queue, table });
  return async () => {
    child?.kill('SIGTERM');
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    storageConnectionString: string;
    azuritePorts: { blob: number; queue: number; table: number };
  }
}
