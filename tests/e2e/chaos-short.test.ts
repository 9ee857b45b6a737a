// The short chaos run: `npm run chaos -- --kills 3` against the run's Azurite, killing the host
// with SIGKILL three times under a mixed load; every invariant must hold at the end.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../support/aos-process.js';

function runChaos(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bench', 'chaos.mjs'), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

describe('chaos, short', () => {
  it('loses and duplicates nothing across three kill -9 of the host', { timeout: 180_000 }, async () => {
    const { code, out } = await runChaos(['--kills', '3', '--storage', inject('storageConnectionString')]);
    expect(out, out).toContain('chaos: every invariant held');
    expect(code).toBe(0);
    const result = JSON.parse(/chaos result (.*)/.exec(out)?.[1] ?? '{}') as { kills: number; flows: { started: number; completed: number }; signals: { accepted: number } };
    expect(result.kills).toBe(3);
    expect(result.flows.started).toBeGreaterThan(0);
    expect(result.flows.completed).toBeGreaterThanOrEqual(result.flows.started);
    expect(result.signals.accepted).toBeGreaterThan(0);
  });
});
