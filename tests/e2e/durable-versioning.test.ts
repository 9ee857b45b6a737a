// Proves orchestration versioning on the local host across restarts with other host.json settings:
// instances carry the `defaultVersion` they started under (`context.df.version`), sub-orchestrations
// get the current `defaultVersion`; after an upgrade to 2.0, `Strict` + `Fail` fails a 1.0 instance
// with the extension's message while `CurrentOrOlder` runs it on; a host downgraded to 1.0 under
// `Reject` leaves a 2.0 instance's work pending, and a 2.0 host started later completes it.
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startAos, type AosProcess } from '../support/aos-process.js';
import { DurableHttp } from './durable-support.js';

const FIXTURE = path.join(REPO_ROOT, 'tests', 'fixtures', 'apps', 'durable-versioning');
const MISMATCH = 'Orchestration version did not comply with Worker Versioning';

describe('orchestration versioning on the local host', () => {
  const run = randomUUID().slice(0, 8);
  const hub = `Versions${run}`;
  let app: string;
  let aos: AosProcess | undefined;

  beforeAll(() => {
    // A copy of the app, so each host start can have its own host.json; modules resolve from the repo.
    app = mkdtempSync(path.join(os.tmpdir(), 'aos-versioning-'));
    cpSync(FIXTURE, app, { recursive: true });
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(app, 'node_modules'), 'dir');
  });
  afterEach(async () => {
    await aos?.stop();
    aos = undefined;
  });
  afterAll(() => {
    if (app) rmSync(app, { recursive: true, force: true });
  });

  /** Start the host on the copy with these `extensions.durableTask` versioning settings. */
  async function host(versioning: Record<string, string>): Promise<DurableHttp> {
    await aos?.stop();
    writeFileSync(path.join(app, 'host.json'), JSON.stringify({ version: '2.0', extensions: { durableTask: { hubName: 'VersioningHub', ...versioning } } }));
    aos = await startAos({ app, env: { AOS_TASK_HUB: hub } });
    return new DurableHttp(aos.baseUrl);
  }

  it('fails an older instance under Strict + Fail and runs it on under CurrentOrOlder', async () => {
    let api = await host({ defaultVersion: '1.0' });
    const strict = await api.start('VersionedWait', undefined, `strict-${run}`);
    const older = await api.start('VersionedWait', undefined, `older-${run}`);
    await api.waitFor(strict, ['Running']);
    await api.waitFor(older, ['Running']);

    api = await host({ defaultVersion: '2.0', versionMatchStrategy: 'Strict', versionFailureStrategy: 'Fail' });
    expect((await api.raise(strict, 'Go', 'x')).status).toBe(202);
    const failed = await api.waitFor(strict);
    expect(failed.runtimeStatus).toBe('Failed');
    expect(failed.output).toBe(MISMATCH);
    // Instances of the current version run as usual.
    const current = await api.start('VersionedWait', undefined, `current-${run}`);
    await api.raise(current, 'Go', 'now');
    expect((await api.waitFor(current)).output).toEqual({ version: '2.0', child: { version: '2.0', input: 'now' } });

    api = await host({ defaultVersion: '2.0', versionMatchStrategy: 'CurrentOrOlder', versionFailureStrategy: 'Fail' });
    await api.raise(older, 'Go', 'y');
    const done = await api.waitFor(older);
    expect(done.runtimeStatus).toBe('Completed');
    // The instance keeps the version it started under; its new child gets the current default.
    expect(done.output).toEqual({ version: '1.0', child: { version: '2.0', input: 'y' } });
  });

  it('leaves a newer instance pending under Reject until a host of its version runs it', async () => {
    let api = await host({ defaultVersion: '2.0' });
    const newer = await api.start('VersionedWait', undefined, `newer-${run}`);
    await api.waitFor(newer, ['Running']);

    api = await host({ defaultVersion: '1.0', versionMatchStrategy: 'CurrentOrOlder', versionFailureStrategy: 'Reject' });
    expect((await api.raise(newer, 'Go', 'z')).status).toBe(202);
    await aos?.waitForOutput('orchestration version rejected by versioning settings');
    expect((await api.status(newer)).body.runtimeStatus).toBe('Running');

    api = await host({ defaultVersion: '2.0' });
    const done = await api.waitFor(newer);
    expect(done.output).toEqual({ version: '2.0', child: { version: '2.0', input: 'z' } });
  });
});
