// Proves the timer trigger of the local host over real Azurite: an every-second NCRONTAB schedule
// (given through a %Setting%) fires repeatedly, runOnStartup runs once at start, an occurrence
// missed while the host was down runs once after restart with IsPastDue (schedule status kept in
// azure-webjobs-hosts like the Functions host), and an invalid schedule stops start-up with one line.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT, spawnAos, startAos, type AosProcess } from '../support/aos-process.js';
import { waitUntil } from '../support/wait-until.js';

const APP = path.join(REPO_ROOT, 'tests', 'fixtures', 'apps', 'triggers-app');

interface TimerRun {
  function: string;
  at: string;
  timer: { isPastDue: boolean; schedule: { adjustForDST: boolean }; scheduleStatus: { last: string; next: string; lastUpdated: string } | null };
}

/** Reads every message of the fixture's timer output queue into `runs`. */
class TimerRuns {
  readonly runs: TimerRun[] = [];
  constructor(readonly queue: QueueClient) {}

  async drain(): Promise<TimerRun[]> {
    if (!(await this.queue.exists())) return this.runs;
    const res = await this.queue.receiveMessages({ numberOfMessages: 32 });
    for (const m of res.receivedMessageItems) {
      this.runs.push(JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as TimerRun);
      await this.queue.deleteMessage(m.messageId, m.popReceipt);
    }
    return this.runs;
  }

  of(name: string): TimerRun[] {
    return this.runs.filter((r) => r.function === name);
  }
}

function appEnv(suffix: string, enabled: string[], extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { InQueue: `in-${suffix}`, OutQueue: `out-${suffix}`, TimerOutQueue: `timers-${suffix}`, EverySecondSchedule: '* * * * * *', ...extra };
  for (const fn of ['queueEcho', 'everySecond', 'onStartup', 'hourly']) {
    if (!enabled.includes(fn)) env[`AzureWebJobs.${fn}.Disabled`] = 'true';
  }
  return env;
}

const queues = () => QueueServiceClient.fromConnectionString(inject('storageConnectionString'));

describe('timer trigger', () => {
  describe('schedules and runOnStartup', () => {
    const suffix = randomUUID().slice(0, 8);
    let aos: AosProcess;
    let runs: TimerRuns;

    beforeAll(async () => {
      runs = new TimerRuns(queues().getQueueClient(`timers-${suffix}`));
      aos = await startAos({ app: APP, env: appEnv(suffix, ['everySecond', 'onStartup'], { AOS_HOST_ID: `sched-${suffix}` }) });
    });
    afterAll(async () => {
      await aos?.stop();
    });

    it('fires an every-second schedule repeatedly, without persisted status', async () => {
      await waitUntil(async () => (await runs.drain(), runs.of('everySecond').length >= 3), { timeoutMs: 15_000, describe: 'everySecond ran three times' });
      const [first, second] = runs.of('everySecond');
      expect(first?.timer).toEqual({ schedule: { adjustForDST: true }, scheduleStatus: null, isPastDue: false });
      const gap = new Date(second?.at ?? 0).getTime() - new Date(first?.at ?? 0).getTime();
      expect(gap).toBeGreaterThan(500);
      expect(gap).toBeLessThan(2_500);
    });

    it('runs a runOnStartup timer once at start, with its schedule status', async () => {
      await waitUntil(async () => (await runs.drain(), runs.of('onStartup').length >= 1), { timeoutMs: 10_000, describe: 'onStartup ran' });
      const run = runs.of('onStartup')[0];
      expect(run?.timer.isPastDue).toBe(false);
      expect(run?.timer.scheduleStatus?.last).toBe('0001-01-01T00:00:00');
      const next = new Date(run?.timer.scheduleStatus?.next ?? '');
      expect([next.getMonth(), next.getDate(), next.getHours(), next.getMinutes()]).toEqual([0, 1, 0, 0]);
      // Several every-second runs later, the yearly timer has still run only the once.
      const seen = runs.of('everySecond').length;
      await waitUntil(async () => (await runs.drain(), runs.of('everySecond').length >= seen + 2), { timeoutMs: 10_000, describe: 'two more everySecond runs' });
      expect(runs.of('onStartup')).toHaveLength(1);
    });

    it('stops cleanly on Ctrl-C', async () => {
      expect(await aos.stop()).toBe(0);
    });
  });

  it('runs an occurrence missed while the host was down once after restart, with IsPastDue', async () => {
    const suffix = randomUUID().slice(0, 8);
    const hostId = `pastdue-${suffix}`;
    const env = appEnv(suffix, ['hourly'], { AOS_HOST_ID: hostId });
    const runs = new TimerRuns(queues().getQueueClient(`timers-${suffix}`));
    const blob = BlobServiceClient.fromConnectionString(inject('storageConnectionString'))
      .getContainerClient('azure-webjobs-hosts')
      .getBlockBlobClient(`timers/${hostId}/Host.Functions.hourly/status`);
    const readStatus = async () => JSON.parse((await blob.downloadToBuffer()).toString('utf8')) as { Last: string; Next: string; LastUpdated: string };

    // First start: a new timer records its next occurrence at once.
    const first = await startAos({ app: APP, env });
    const initial = await waitUntil(async () => ((await blob.exists()) ? readStatus() : undefined), { timeoutMs: 10_000, describe: 'the status blob was written' });
    expect(initial.Last).toBe('0001-01-01T00:00:00');
    expect(new Date(initial.Next).getMinutes()).toBe(0);
    expect(await first.stop()).toBe(0);

    // While it is down, the clock moves past an occurrence: as if it stopped two hours ago.
    const hour = new Date();
    hour.setMinutes(0, 0, 0);
    const missed = new Date(hour.getTime() - 3_600_000);
    const before = new Date(hour.getTime() - 2 * 3_600_000);
    const stale = JSON.stringify({ Last: before.toISOString(), Next: missed.toISOString(), LastUpdated: before.toISOString() });
    await blob.upload(stale, Buffer.byteLength(stale));

    const second = await startAos({ app: APP, env });
    try {
      await waitUntil(async () => (await runs.drain(), runs.of('hourly').length >= 1), { timeoutMs: 10_000, describe: 'hourly ran after restart' });
      const run = runs.of('hourly')[0];
      expect(run?.timer.isPastDue).toBe(true);
      expect(new Date(run?.timer.scheduleStatus?.next ?? '').getTime()).toBe(missed.getTime());
      expect(new Date(run?.timer.scheduleStatus?.last ?? '').getTime()).toBe(before.getTime());
      const after = await waitUntil(async () => {
        const s = await readStatus();
        return new Date(s.Next).getTime() > hour.getTime() ? s : undefined;
      }, { timeoutMs: 10_000, describe: 'the status moved on to the next hour' });
      const untilNext = new Date(after.Next).getTime() - Date.now();
      expect(new Date(after.Next).getMinutes()).toBe(0);
      expect(untilNext).toBeGreaterThan(0);
      expect(untilNext).toBeLessThanOrEqual(3_600_000);
      expect(new Date(after.Last).getTime()).toBeGreaterThan(hour.getTime());
    } finally {
      expect(await second.stop()).toBe(0);
    }
    // Exactly one catch-up run, however many occurrences were missed.
    expect((await runs.drain(), runs.of('hourly'))).toHaveLength(1);
  });

  it('refuses to start with an invalid schedule, naming the function and the expression', async () => {
    const suffix = randomUUID().slice(0, 8);
    const proc = spawnAos({ app: APP, env: appEnv(suffix, ['everySecond'], { EverySecondSchedule: '0 0 12 * * 7' }) });
    const code = await proc.exited;
    expect(code).not.toBe(0);
    const line = proc.output().split('\n').find((l) => l.includes('0 0 12 * * 7'));
    expect(line).toMatch(/everySecond/);
    expect(line).toMatch(/day-of-week 7 is outside 0-6/);
  });
});
