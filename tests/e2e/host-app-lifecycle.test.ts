// Proves the app life cycle on the local host with a TypeScript app built by tsc into dist/ and
// loaded through a glob "main": appStart runs once before the first request, preInvocation can
// replace inputs and the handler, postInvocation sees results and errors (and can change them),
// local.settings.json Values become environment variables without overriding the real ones,
// a `%Setting%` route resolves, an unknown binding type loads with a warning and the function
// still serves, the app runs with its folder as working directory (wherever `aos` was started),
// and Ctrl-C runs appTerminate before the process exits.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startAos, type AosProcess } from '../support/aos-process.js';

const APP = path.join(REPO_ROOT, 'tests', 'fixtures', 'apps', 'http-ts');
/** Where appTerminate writes: local.settings.json names `dist/app-terminated.json`, relative to the app folder. */
const MARKER = path.join(APP, 'dist', 'app-terminated.json');

interface Trace {
  appStartCalls: number;
  appStartFinishedAt: number;
  firstInvocationAt: number;
  post: { functionName: string; resultBody: string | null; error: string | null }[];
}

describe('app life cycle of a TypeScript app (hooks, settings, bindings)', () => {
  let aos: AosProcess;
  let api: string;
  let workDir: string;
  beforeAll(async () => {
    // The user's build step before `func start`.
    await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', APP], { cwd: REPO_ROOT });
    await rm(MARKER, { force: true });
    // Started from elsewhere: the host must still run the app in its own folder.
    workDir = await mkdtemp(path.join(os.tmpdir(), 'aos-lifecycle-'));
    aos = await startAos({ app: APP, cwd: workDir, env: { OVERRIDDEN_BY_ENV: 'value from the environment' } });
    api = `${aos.baseUrl}/api`;
  });
  afterAll(async () => {
    await aos?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  const trace = async () => (await (await fetch(`${api}/hooks/trace`)).json()) as Trace;

  it('runs appStart once, to completion, before the first invocation', async () => {
    const t = await trace();
    expect(t.appStartCalls).toBe(1);
    expect(t.appStartFinishedAt).toBeGreaterThan(0);
    expect(t.firstInvocationAt).toBeGreaterThanOrEqual(t.appStartFinishedAt);
  });

  it('lets preInvocation add an input and wrap the handler', async () => {
    const res = await fetch(`${api}/hooks/hooked`);
    expect(res.headers.get('x-wrapped-by')).toBe('preInvocation');
    expect(await res.json()).toEqual({ extra: 'extra input from preInvocation', functionName: 'hooked' });
  });

  it('lets preInvocation replace the handler', async () => {
    expect(await (await fetch(`${api}/hooks/replaced`)).text()).toBe('the hook handler answered');
  });

  it('shows postInvocation the result or the error, and lets it clear an error', async () => {
    expect((await fetch(`${api}/hooks/fails`)).status).toBe(500);
    const rescued = await fetch(`${api}/hooks/rescued`);
    expect(rescued.status).toBe(200);
    expect(await rescued.text()).toBe('rescued by postInvocation');
    const { post } = await trace();
    expect(post).toContainEqual({ functionName: 'replacedByHook', resultBody: 'the hook handler answered', error: null });
    expect(post).toContainEqual({ functionName: 'failsForPostHook', resultBody: null, error: 'failure the postInvocation hook sees' });
    expect(post).toContainEqual({ functionName: 'rescuedByHook', resultBody: null, error: 'failure the postInvocation hook clears' });
  });

  it('puts local.settings.json Values in process.env, and an existing variable wins', async () => {
    expect(await (await fetch(`${api}/settings/env`)).json()).toMatchObject({
      FROM_SETTINGS: 'value from local.settings.json',
      OVERRIDDEN_BY_ENV: 'value from the environment',
      FUNCTIONS_WORKER_RUNTIME: 'node',
    });
  });

  it('runs the app with its folder as the working directory, as the Functions host runs the worker', async () => {
    expect(await (await fetch(`${api}/settings/env`)).json()).toMatchObject({ FUNCTIONS_APPLICATION_DIRECTORY: APP, cwd: APP });
  });

  it('resolves a %Setting% expression in a route', async () => {
    expect(await (await fetch(`${api}/resolved-route/5`)).json()).toEqual({ id: '5' });
    expect((await fetch(`${api}/%25ROUTE_NAME%25/5`)).status).toBe(404);
  });

  it('does not serve a function switched off with AzureWebJobs.<name>.Disabled', async () => {
    expect((await fetch(`${api}/disabled`)).status).toBe(404);
    expect(aos.output()).toMatch(/function disabled by app setting; not served functionName=disabledByApp/);
  });

  it('loads a function with an unknown binding type with a warning, and serves it', async () => {
    expect(aos.output()).toMatch(/warn .*binding type not supported by this host; it is ignored functionName=sendSms binding=sms bindingType=twilioSms/);
    const res = await fetch(`${api}/sms`, { method: 'POST', body: 'hello' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ queued: 'hello' });
  });

  it('runs appTerminate on Ctrl-C, with the hook data appStart left, and exits 0', async () => {
    expect(await aos.stop()).toBe(0);
    const marker = JSON.parse(await readFile(MARKER, 'utf8')) as unknown;
    expect(marker).toEqual({ hookData: { startedBy: 'appStart' }, postCount: expect.any(Number) });
  });
});
