// Proves function-level retry policies on the local host's timer trigger, as the Functions runtime
// runs them: a timer function that fails is run again after its delay (fixed or exponential), and
// each attempt sees context.retryContext with retryCount 0, 1, ... and the policy's maxRetryCount.
// A malformed policy stops start-up with one line naming the function.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT, spawnAos, startAos, type AosProcess } from '../support/aos-process.js';
import { waitUntil } from '../support/wait-until.js';

const APP = path.join(REPO_ROOT, 'tests', 'fixtures', 'apps', 'timer-retry-app');

interface Attempt {
  retryContext: { retryCount: number; maxRetryCount: number } | null;
  at: string;
}
interface RetryReport {
  function: string;
  attempts: Attempt[];
}

const gaps = (attempts: Attempt[]) => attempts.slice(1).map((a, i) => new Date(a.at).getTime() - new Date(attempts[i]?.at ?? 0).getTime());

describe('timer trigger retry policy', () => {
  const suffix = randomUUID().slice(0, 8);
  const queue = QueueServiceClient.fromConnectionString(inject('storageConnectionString')).getQueueClient(`retries-${suffix}`);
  const reports: RetryReport[] = [];
  let aos: AosProcess;

  async function drain(): Promise<RetryReport[]> {
    if (!(await queue.exists())) return reports;
    const res = await queue.receiveMessages({ numberOfMessages: 32 });
    for (const m of res.receivedMessageItems) {
      reports.push(JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as RetryReport);
      await queue.deleteMessage(m.messageId, m.popReceipt);
    }
    return reports;
  }

  beforeAll(async () => {
    aos = await startAos({ app: APP, env: { RetryOutQueue: `retries-${suffix}`, AOS_HOST_ID: `retry-${suffix}` } });
  });
  afterAll(async () => {
    await aos?.stop();
  });

  it('runs a failed timer again after the fixed delay, with retryCount 0 then 1', async () => {
    const report = await waitUntil(async () => (await drain()).find((r) => r.function === 'fixedRetry'), { timeoutMs: 20_000, describe: 'fixedRetry succeeded' });
    expect(report.attempts.map((a) => a.retryContext)).toEqual([
      { retryCount: 0, maxRetryCount: 2 },
      { retryCount: 1, maxRetryCount: 2 },
    ]);
    const [gap] = gaps(report.attempts);
    expect(gap).toBeGreaterThanOrEqual(900);
    expect(gap).toBeLessThan(3_000);
    expect(aos.output()).toMatch(/timer function failed; retrying/);
  });

  it('backs off exponentially between the minimum and maximum interval', async () => {
    const report = await waitUntil(async () => (await drain()).find((r) => r.function === 'backoffRetry'), { timeoutMs: 20_000, describe: 'backoffRetry succeeded' });
    expect(report.attempts.map((a) => a.retryContext?.retryCount)).toEqual([0, 1, 2]);
    expect(report.attempts[0]?.retryContext?.maxRetryCount).toBe(3);
    const [first, second] = gaps(report.attempts);
    expect(first).toBeGreaterThanOrEqual(900);
    expect(first).toBeLessThan(1_900);
    expect(second).toBeGreaterThanOrEqual(1_900);
    expect(second).toBeLessThan(3_500);
  });
});

describe('an invalid timer retry policy', () => {
  it('stops start-up with one line naming the function', async () => {
    const suffix = randomUUID().slice(0, 8);
    const proc = spawnAos({ app: APP, env: { RetryOutQueue: `retries-${suffix}`, AOS_HOST_ID: `bad-${suffix}`, RegisterInvalidRetry: 'true' } });
    const code = await proc.exited;
    expect(code).not.toBe(0);
    const line = proc.output().split('\n').find((l) => l.includes('invalidRetry'));
    expect(line).toMatch(/maxRetryCount must be -1 \(unlimited\) or more/);
  });
});
