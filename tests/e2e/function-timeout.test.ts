// Proves host.json `functionTimeout` as the Functions host applies it: an invocation that outlives
// it fails with the host's "Timeout value of ... exceeded" message (HTTP 500; an activity's
// failure reaches its orchestration, which can catch it), while one that finishes in time is
// untouched, and a functionTimeout that is not a TimeSpan stops the host at start.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, spawnAos, startAos, type AosProcess } from '../support/aos-process.js';
import { waitUntil } from '../support/wait-until.js';
import { DurableHttp } from './durable-support.js';

const APP = path.join(REPO_ROOT, 'tests', 'fixtures', 'apps', 'function-timeout');

describe('host.json functionTimeout (1 s)', () => {
  let aos: AosProcess;
  let api: DurableHttp;

  beforeAll(async () => {
    aos = await startAos({ app: APP, env: { AOS_TASK_HUB: `Timeout${randomUUID().slice(0, 8)}` } });
    api = new DurableHttp(aos.baseUrl);
  });
  afterAll(async () => {
    await aos?.stop();
  });

  it('fails an HTTP invocation that outlives it with 500, and answers one that does not', async () => {
    const started = Date.now();
    const slow = await fetch(`${aos.baseUrl}/api/sleepy?ms=3000`);
    expect(slow.status).toBe(500);
    expect(Date.now() - started).toBeLessThan(2_900);
    await aos.waitForOutput(/Timeout value of 00:00:01 exceeded by function 'Functions\.sleepy'/);
    const quick = await fetch(`${aos.baseUrl}/api/sleepy?ms=10`);
    expect(await quick.json()).toEqual({ sleptMs: 10 });
  });

  it("fails an activity that outlives it, and the orchestration sees the host's message", async () => {
    const slow = await api.start('CallSlowStep', 3000);
    const quick = await api.start('CallSlowStep', 10);
    const [slowDone, quickDone] = await Promise.all([api.waitFor(slow), api.waitFor(quick)]);
    expect(slowDone.runtimeStatus).toBe('Completed');
    expect((slowDone.output as { failed: string }).failed).toMatch(/Timeout value of 00:00:01 exceeded by function 'Functions\.SlowStep'/);
    expect(quickDone.output).toEqual({ ok: 'slept 10 ms' });
  });
});

describe('a functionTimeout that is not a TimeSpan', () => {
  it('stops the host with one line naming the key', async () => {
    const { mkdtemp, cp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(path.join(tmpdir(), 'aos-timeout-'));
    await cp(APP, dir, { recursive: true });
    await writeFile(path.join(dir, 'host.json'), JSON.stringify({ version: '2.0', functionTimeout: 'five minutes' }));
    const proc = spawnAos({ app: dir });
    await waitUntil(() => proc.child.exitCode !== null, { timeoutMs: 20_000, describe: 'aos exited' });
    expect(proc.child.exitCode).toBe(1);
    expect(proc.output()).toMatch(/aos: invalid host\.json: functionTimeout: 'five minutes' is not a positive TimeSpan/);
  });
});
