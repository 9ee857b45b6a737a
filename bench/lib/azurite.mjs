/**
 * A private Azurite for the bench: in memory, on free ports, so every workload starts on an empty
 * emulator and never touches a developer's own on 10000-10002.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';

const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** @returns {Promise<number>} */
export function freePort() {
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

/** @param {number} port @returns {Promise<boolean>} */
function listening(port) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * @typedef {object} Azurite
 * @property {string} connectionString
 * @property {number} pid
 * @property {() => Promise<void>} stop
 */

/** @returns {Promise<Azurite>} */
export async function startAzurite() {
  const [blob, queue, table] = [await freePort(), await freePort(), await freePort()];
  const require = createRequire(import.meta.url);
  const entry = path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'azurite.js');
  const child = spawn(
    process.execPath,
    [entry, '--inMemoryPersistence', '--skipApiVersionCheck', '--disableTelemetry', '--silent', '--loose',
      '--blobPort', String(blob), '--queuePort', String(queue), '--tablePort', String(table)],
    { stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 30_000;
  while (!((await listening(blob)) && (await listening(queue)) && (await listening(table)))) {
    if (Date.now() > deadline) throw new Error('Azurite did not start within 30 s');
    if (child.exitCode !== null) throw new Error(`Azurite exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};` +
      `BlobEndpoint=http://127.0.0.1:${blob}/${ACCOUNT};QueueEndpoint=http://127.0.0.1:${queue}/${ACCOUNT};TableEndpoint=http://127.0.0.1:${table}/${ACCOUNT};`,
    pid: /** @type {number} */ (child.pid),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
