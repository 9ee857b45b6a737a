// Proves the storage queue trigger and output binding of the local host over real Azurite:
// base64 and plain-text messages both run the function, metadata (dequeue count) is the host's,
// a message is retried until it succeeds, a message that keeps failing lands in `<queue>-poison`
// after maxDequeueCount attempts, arrays write one message each, and Ctrl-C stops cleanly.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT, startAos, type AosProcess } from '../support/aos-process.js';
import { waitUntil } from '../support/wait-until.js';

const APP = path.join(REPO_ROOT, 'tests', 'fixtures', 'apps', 'triggers-app');
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

interface Echo {
  body: unknown;
  id: string;
  dequeueCount: number;
  insertionTime: string;
  popReceipt: string;
  queueTrigger: unknown;
}

describe('storage queue trigger', () => {
  const suffix = randomUUID().slice(0, 8);
  const inName = `in-${suffix}`;
  const outName = `out-${suffix}`;
  let aos: AosProcess;
  let inQueue: QueueClient;
  let outQueue: QueueClient;
  /** Every echo read from the output queue so far, in arrival order. */
  const seen: string[] = [];

  /** Drain the output queue into `seen` and return the decoded texts. */
  async function drain(): Promise<string[]> {
    const res = await outQueue.receiveMessages({ numberOfMessages: 32 });
    for (const m of res.receivedMessageItems) {
      seen.push(Buffer.from(m.messageText, 'base64').toString('utf8'));
      await outQueue.deleteMessage(m.messageId, m.popReceipt);
    }
    return seen;
  }

  async function echoOf(predicate: (e: Echo) => boolean, describe: string): Promise<Echo> {
    return waitUntil(
      async () => (await drain()).map((t) => JSON.parse(t) as Echo).find((e) => typeof e === 'object' && e !== null && predicate(e)),
      { timeoutMs: 20_000, describe },
    );
  }

  beforeAll(async () => {
    const service = QueueServiceClient.fromConnectionString(inject('storageConnectionString'));
    inQueue = service.getQueueClient(inName);
    outQueue = service.getQueueClient(outName);
    aos = await startAos({
      app: APP,
      env: {
        InQueue: inName,
        OutQueue: outName,
        TimerOutQueue: `timers-${suffix}`,
        EverySecondSchedule: '* * * * * *',
        'AzureWebJobs.everySecond.Disabled': 'true',
        'AzureWebJobs.onStartup.Disabled': 'true',
        'AzureWebJobs.hourly.Disabled': 'true',
      },
    });
    // The host creates the queue it listens on.
    await waitUntil(async () => (await inQueue.exists()) || undefined, { timeoutMs: 10_000, describe: `queue ${inName} exists` });
    await outQueue.createIfNotExists();
  });

  afterAll(async () => {
    await aos?.stop();
  });

  it('runs the function for a base64 message and writes its output base64-encoded', async () => {
    const sent = await inQueue.sendMessage(b64(JSON.stringify({ kind: 'base64', n: 1 })));
    const echo = await echoOf((e) => e.id === sent.messageId, 'the base64 message was echoed');
    expect(echo.body).toEqual({ kind: 'base64', n: 1 });
    expect(echo.dequeueCount).toBe(1);
    // QueueTrigger is sent as a string; the library JSON-parses metadata strings, as in Azure.
    expect(echo.queueTrigger).toEqual({ kind: 'base64', n: 1 });
    expect(new Date(echo.insertionTime).getTime()).toBe(sent.insertedOn.getTime());
    expect(typeof echo.popReceipt).toBe('string');
  });

  it('runs the function for a plain-text message', async () => {
    const sent = await inQueue.sendMessage('{"kind":"plain"}');
    const sentWord = await inQueue.sendMessage('test');
    expect((await echoOf((e) => e.id === sent.messageId, 'the plain JSON message was echoed')).body).toEqual({ kind: 'plain' });
    expect((await echoOf((e) => e.id === sentWord.messageId, 'the plain word was echoed')).body).toBe('test');
  });

  it('deletes a message only after it succeeds, retrying with a growing dequeue count', async () => {
    const sent = await inQueue.sendMessage(b64(JSON.stringify({ failUntil: 3 })));
    const echo = await echoOf((e) => e.id === sent.messageId, 'the message succeeded on its third attempt');
    expect(echo.dequeueCount).toBe(3);
    await waitUntil(async () => (await inQueue.getProperties()).approximateMessagesCount === 0 || undefined, { timeoutMs: 10_000, describe: 'the input queue is empty' });
  });

  it('moves a message that fails five times to the poison queue', async () => {
    const poison = QueueServiceClient.fromConnectionString(inject('storageConnectionString')).getQueueClient(`${inName}-poison`);
    const text = b64(JSON.stringify({ failUntil: 99, tag: suffix }));
    await inQueue.sendMessage(text);
    const moved = await waitUntil(
      async () => ((await poison.exists()) ? (await poison.peekMessages()).peekedMessageItems[0] : undefined),
      { timeoutMs: 30_000, describe: `a message arrived in ${inName}-poison` },
    );
    expect(moved.messageText).toBe(text);
    expect(aos.output()).toMatch(/failing on purpose at attempt 5/);
    expect(aos.output()).not.toMatch(/failing on purpose at attempt 6/);
    await waitUntil(async () => (await inQueue.getProperties()).approximateMessagesCount === 0 || undefined, { timeoutMs: 10_000, describe: 'the input queue is empty' });
  });

  it('writes one output message per array element', async () => {
    await inQueue.sendMessage(b64(JSON.stringify({ fanOut: ['first', { second: 2 }, 'third'] })));
    const texts = await waitUntil(
      async () => {
        const all = await drain();
        return ['first', '{"second":2}', 'third'].every((t) => all.includes(t)) ? all : undefined;
      },
      { timeoutMs: 20_000, describe: 'three fan-out messages arrived' },
    );
    expect(texts.filter((t) => ['first', '{"second":2}', 'third'].includes(t))).toEqual(['first', '{"second":2}', 'third']);
  });

  it('stops cleanly on Ctrl-C', async () => {
    expect(await aos.stop()).toBe(0);
  });
});
