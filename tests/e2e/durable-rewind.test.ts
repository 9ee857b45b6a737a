// Proves rewind (durable-protocol.md B.15, E.3, F) on the local host: an orchestration that failed
// because of a missing file runs again from where it failed once the file exists (the activity that
// succeeded is not run again, the failed one is rescheduled), through the raw HTTP route and through
// the JS client's `rewind` in an HTTP starter; a failed sub-orchestration is rewound with its parent;
// and the refusals: 404 unknown, 410 completed, the extension's 500 for a running instance.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startAos, type AosProcess } from '../support/aos-process.js';
import { waitUntil } from '../support/wait-until.js';
import { DurableHttp } from './durable-support.js';

const APP = path.join(REPO_ROOT, 'tests', 'fixtures', 'apps', 'durable-rewind');

describe('rewind of failed orchestrations on the local host', () => {
  let aos: AosProcess;
  let api: DurableHttp;
  let dir: string;
  const run = randomUUID().slice(0, 8);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'aos-rewind-'));
    aos = await startAos({ app: APP, env: { AOS_TASK_HUB: `Rewind${run}` } });
    api = new DurableHttp(aos.baseUrl);
  });
  afterAll(async () => {
    await aos?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const eventTypes = async (id: string): Promise<string[]> => ((await api.status(id, 'showHistory=true')).body.historyEvents ?? []).map((e) => String(e.EventType));

  it('runs a failed instance again from its failure once the cause is repaired (HTTP route)', async () => {
    const flag = path.join(dir, 'pipeline.flag');
    const id = await api.start('FlagPipeline', { flag }, `pipe-${run}`);
    const failed = await api.waitFor(id);
    expect(failed.runtimeStatus).toBe('Failed');
    expect(String(failed.output)).toContain('is missing');

    writeFileSync(flag, 'ok');
    const res = await api.request('POST', `instances/${id}/rewind?reason=flag%20created`);
    expect(res.status).toBe(202);

    const done = await api.waitFor(id, ['Completed']);
    expect(done.output).toEqual(['step a', 'b with flag']);
    // One execution: the successful step kept its result, the failure is gone, the rewind is recorded.
    expect(await eventTypes(id)).toEqual(['ExecutionStarted', 'TaskCompleted', 'ExecutionRewound', 'TaskCompleted', 'ExecutionCompleted']);
  });

  it('rewinds a failed child with its parent through the JS client, which resolves', async () => {
    const flag = path.join(dir, 'parent.flag');
    const id = await api.start('FlagParent', { flag }, `parent-${run}`);
    expect((await api.waitFor(id)).runtimeStatus).toBe('Failed');
    expect((await api.waitFor(`${id}-child`)).runtimeStatus).toBe('Failed');

    writeFileSync(flag, 'ok');
    const viaClient = await api.request<{ result?: unknown; error?: string }>('POST', `${aos.baseUrl}/api/client/rewind`, { instanceId: id, reason: 'repaired' });
    expect(viaClient.status).toBe(200);
    expect(viaClient.body).toEqual({ result: null });

    const parent = await api.waitFor(id, ['Completed']);
    expect(parent.output).toEqual({ child: ['step a', 'b with flag'] });
    const child = await api.waitFor(`${id}-child`, ['Completed']);
    expect(child.output).toEqual(['step a', 'b with flag']);
    expect(await eventTypes(`${id}-child`)).toContain('ExecutionRewound');
  });

  it('answers 404 for an unknown instance, 410 for a completed one and 500 for a running one', async () => {
    expect((await api.request('POST', `instances/unknown-${run}/rewind`)).status).toBe(404);
    const flag = path.join(dir, 'present.flag');
    writeFileSync(flag, 'ok');
    const completed = await api.start('FlagPipeline', { flag }, `done-${run}`);
    await api.waitFor(completed, ['Completed']);
    expect((await api.request('POST', `instances/${completed}/rewind`)).status).toBe(410);

    const waiting = await api.start('WaitForGo', undefined, `wait-${run}`);
    await api.waitFor(waiting, ['Running']);
    const refused = await api.request('POST', `instances/${waiting}/rewind?reason=no`);
    expect(refused.status).toBe(500);
    const viaClient = await api.request<{ error?: string }>('POST', `${aos.baseUrl}/api/client/rewind`, { instanceId: waiting, reason: 'no' });
    expect(viaClient.body.error).toContain('only failed instances can be rewound');
    await api.raise(waiting, 'Go', 'now');
    await waitUntil(async () => (await api.status(waiting)).body.runtimeStatus === 'Completed', { timeoutMs: 20_000, describe: 'the waiting instance completed' });
  });
});
