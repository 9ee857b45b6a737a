// Proves that `aos start` turns every kind of bad input into one line on stderr that names the
// problem, with a non-zero exit and no stack trace: an app that throws while loading, a missing
// or unmatched "main", invalid host.json and local.settings.json, a port in use, unreachable
// storage (fast, without minutes of SDK retries), and CLI usage errors (exit 2). It also proves
// the package's "bin" works through `npx aos` from the checkout.
import { execFile, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AOS_BIN, REPO_ROOT } from '../support/aos-process.js';
import { waitUntil } from '../support/wait-until.js';

const APPS = path.join(REPO_ROOT, 'tests', 'fixtures', 'apps');

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the CLI to completion; a host that unexpectedly starts is killed by the timeout and fails the test. */
function runAos(args: string[], timeoutMs = 20_000): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [AOS_BIN, ...args], { cwd: REPO_ROOT, timeout: timeoutMs, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** A port nothing listens on: bound once by the OS for us, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function expectOneLineError(run: CliRun, pattern: RegExp): void {
  expect(run.code, `exit code; stderr: ${run.stderr}`).toBe(1);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^aos: /);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}

describe.concurrent('aos start with bad input', () => {
  const start = (app: string, extra: string[] = []) =>
    runAos(['start', '--app', path.join(APPS, app), '--port', '0', '--storage', inject('storageConnectionString'), ...extra]);

  it('reports an app that throws while loading', async () => {
    expectOneLineError(await start('broken-load-throws'), /the app failed while loading .*broken-load-throws\/index\.js: DATABASE_URL is not configured/);
  });

  it('reports a package.json without "main"', async () => {
    expectOneLineError(await start('broken-no-main'), /package\.json in .*broken-no-main has no "main"/);
  });

  it('reports a "main" file that does not exist', async () => {
    expectOneLineError(await start('broken-main-missing'), /"main" \(dist\/index\.js\) in .*broken-main-missing\/package\.json does not exist/);
  });

  it('reports a "main" glob that matches nothing', async () => {
    expectOneLineError(await start('broken-main-glob'), /"main" \(dist\/src\/functions\/\*\.js\) in .*matches no file/);
  });

  it('reports host.json that is not JSON, with line and column', async () => {
    expectOneLineError(await start('broken-host-json'), /invalid host\.json \(.*broken-host-json\/host\.json\): .*\(line 4, column 1\)/);
  });

  it('reports a host.json value of the wrong type by its key', async () => {
    expectOneLineError(await start('broken-host-json-type'), /invalid host\.json .*: extensions\.http\.routePrefix: Invalid input: expected string, received number/);
  });

  it('reports an invalid local.settings.json value by its key', async () => {
    expectOneLineError(await start('broken-local-settings'), /invalid local\.settings\.json .*: Values\.RETRY_POLICY: an app setting is a string, number or boolean/);
  });

  it('reports a CORS setting that browsers would reject', async () => {
    expectOneLineError(await start('http-cjs', ['--cors', '*', '--cors-credentials']), /CORS: a wildcard origin \(\*\) cannot be combined with CORSCredentials/);
    expectOneLineError(await start('http-cjs', ['--cors', 'localhost:3000']), /CORS: 'localhost:3000' is not an origin/);
  });

  it('reports an app folder that does not exist', async () => {
    expectOneLineError(await start('no-such-app'), /the app folder .*no-such-app does not exist/);
  });

  it('reports an app folder without package.json', async () => {
    expectOneLineError(await start('.'), /no package\.json in .*tests\/fixtures\/apps:/);
  });

  it('reports a route that refers to an undefined app setting', async () => {
    expectOneLineError(await start('broken-route-setting'), /function 'orders' \(httpTrigger\): route '%ORDERS_ROUTE%\/\{id\}' refers to app setting 'ORDERS_ROUTE', which is not defined/);
  });

  describe('with a port in use', () => {
    let blocker: net.Server;
    let port: number;
    beforeAll(async () => {
      blocker = net.createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      port = (blocker.address() as net.AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    });

    it('names the port and the flag to change it', async () => {
      const run = await runAos(['start', '--app', path.join(APPS, 'http-cjs'), '--port', String(port), '--storage', inject('storageConnectionString')]);
      expectOneLineError(run, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use; choose another with --port`));
    });
  });

  it('fails within seconds when the storage account is unreachable', async () => {
    const dead = await closedPort();
    const key = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
    const endpoint = (kind: string) => `${kind}Endpoint=http://127.0.0.1:${dead}/devstoreaccount1`;
    const connection = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${key};${endpoint('Blob')};${endpoint('Queue')};${endpoint('Table')};`;
    const run = await runAos(['start', '--app', path.join(APPS, 'http-cjs'), '--port', '0', '--storage', connection]);
    expectOneLineError(run, new RegExp(`storage account devstoreaccount1 at http://127\\.0\\.0\\.1:${dead}/devstoreaccount1 is unreachable: .*ECONNREFUSED`));
    expect(run.ms).toBeLessThan(5_000);
  });
});

describe('aos command line', () => {
  it('prints help and exits 0 for --help', async () => {
    const run = await runAos(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: aos/);
    const startHelp = await runAos(['start', '--help']);
    expect(startHelp.code).toBe(0);
    expect(startHelp.stdout).toMatch(/--app <dir>/);
  });

  it('exits 2 for an unknown flag, a bad flag value and a missing command', async () => {
    const unknown = await runAos(['start', '--no-such-flag']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--no-such-flag'/);
    const badPort = await runAos(['start', '--port', 'seventy']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toMatch(/a port is a whole number/);
    expect((await runAos([])).code).toBe(2);
  });

  it('starts an app through the package bin with npx', async () => {
    const child = spawn('npx', ['aos', 'start', '--app', path.join(APPS, 'http-cjs'), '--port', '0', '--storage', inject('storageConnectionString')], {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))));
    try {
      const match = await waitUntil(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out) ?? undefined, { timeoutMs: 30_000, describe: `npx aos printed "listening on"; output:\n${out}` });
      const res = await fetch(`${match[1]}/v1/items/9`);
      expect(await res.json()).toMatchObject({ params: { id: '9' } });
    } finally {
      // npx runs the bin in a child of its own: Ctrl-C goes to the whole process group, as in a terminal.
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGINT');
    }
    // npm re-raises the signal its child got; the host itself logs that it stopped on Ctrl-C.
    expect(['0', 'SIGINT']).toContain(await exited);
    expect(out).toMatch(/stopping signal=SIGINT/);
  });
});
