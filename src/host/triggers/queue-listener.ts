/**
 * Runs one queue-triggered function over its storage queue, as the host's QueueListener does:
 * poll with back-off, up to `batchSize` messages at once, delete a message only after its
 * invocation succeeded, make a failed one visible again after `visibilityTimeout`, and move it to
 * `<queue>-poison` once it has failed `maxDequeueCount` times.
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger#poison-messages
 */
import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import type { Logger } from '../log/logger.js';
import { nextPollDelay } from './poll-backoff.js';
import { decodeMessageText } from './queue-message-text.js';
import type { QueueOptions } from './queue-options.js';
import { WakeableSleep } from './wakeable-sleep.js';

/** How long a message being processed stays hidden from other readers; renewed at half-time. */
const PROCESSING_VISIBILITY_S = 600;
/** The service's limit for one receive call. */
const MAX_RECEIVE = 32;

export interface QueueListenerOptions {
  functionName: string;
  queue: QueueClient;
  poisonQueue: QueueClient;
  options: QueueOptions;
  /** Runs the function for one message; rejects when the invocation fails. */
  invoke(message: DequeuedMessageItem, body: string): Promise<unknown>;
  /** Told about messages this listener puts on a queue (the poison queue), to wake its listeners. */
  onMessageSent?(queueName: string): void;
  log: Logger;
  /** @default Math.random */
  random?: () => number;
}

export class QueueListener {
  readonly #o: QueueListenerOptions;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #abort = new AbortController();
  #loop: Promise<void> | undefined;
  #stopped = false;
  #delayMs = 0;
  readonly #pause = new WakeableSleep();
  #poisonCreated: Promise<unknown> | undefined;

  constructor(options: QueueListenerOptions) {
    this.#o = options;
  }

  get queueName(): string {
    return this.#o.queue.name;
  }

  /** Creates the queue if missing (as the host does), then polls in the background. */
  async start(): Promise<void> {
    await this.#o.queue.createIfNotExists();
    this.#loop = this.#pollLoop();
  }

  /** Poll now: a message was just sent to this queue from inside the host. */
  wake(): void {
    this.#delayMs = 0;
    this.#pause.wake();
  }

  /** Stops polling; resolves when every message in progress is finished and settled. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    this.#pause.wake();
    await this.#loop;
    await Promise.all([...this.#inFlight]);
  }

  async #pollLoop(): Promise<void> {
    const { batchSize, maxPollingIntervalMs } = this.#o.options;
    while (!this.#stopped) {
      const capacity = batchSize - this.#inFlight.size;
      if (capacity <= 0) {
        await Promise.race(this.#inFlight);
        continue;
      }
      const messages = await this.#receive(Math.min(MAX_RECEIVE, capacity));
      for (const message of messages) {
        const work = this.#process(message).finally(() => this.#inFlight.delete(work));
        this.#inFlight.add(work);
      }
      this.#delayMs = nextPollDelay(this.#delayMs, messages.length > 0, maxPollingIntervalMs, this.#o.random);
      // stop() may have come while the receive was in flight; then there is nobody left to wake us.
      if (this.#delayMs > 0 && !this.#stopped) await this.#pause.sleep(this.#delayMs);
    }
  }

  async #receive(count: number): Promise<DequeuedMessageItem[]> {
    try {
      const res = await this.#o.queue.receiveMessages({ numberOfMessages: count, visibilityTimeout: PROCESSING_VISIBILITY_S, abortSignal: this.#abort.signal });
      return res.receivedMessageItems;
    } catch (err) {
      if (this.#stopped) return [];
      this.#o.log.log('warn', 'queue poll failed', { functionName: this.#o.functionName, queueName: this.queueName, err });
      // Someone deleted the queue under us: the host recreates it.
      if ((err as { statusCode?: number }).statusCode === 404) await this.#o.queue.createIfNotExists().catch(() => undefined);
      return [];
    }
  }


  async #process(message: DequeuedMessageItem): Promise<void> {
    const { maxDequeueCount, messageEncoding } = this.#o.options;
    const meta = { functionName: this.#o.functionName, queueName: this.queueName, messageId: message.messageId, dequeueCount: message.dequeueCount };
    const lease = new VisibilityLease(this.#o.queue, message, this.#o.log);
    try {
      // Already over the limit (a host died mid-run more often than allowed): straight to poison.
      if (message.dequeueCount > maxDequeueCount) {
        await this.#toPoison(message, await lease.release());
        return;
      }
      let failed = false;
      try {
        await this.#o.invoke(message, decodeMessageText(message.messageText, messageEncoding));
      } catch (err) {
        failed = true;
        this.#o.log.log('error', 'queue function failed', { ...meta, err });
      }
      const popReceipt = await lease.release();
      if (!failed) {
        await this.#o.queue.deleteMessage(message.messageId, popReceipt);
      } else if (message.dequeueCount >= maxDequeueCount) {
        await this.#toPoison(message, popReceipt);
      } else {
        await this.#o.queue.updateMessage(message.messageId, popReceipt, undefined, Math.round(this.#o.options.visibilityTimeoutMs / 1000));
      }
    } catch (err) {
      // The message reappears when its visibility runs out, so it is retried rather than lost.
      this.#o.log.log('error', 'queue message settlement failed', { ...meta, err });
    } finally {
      await lease.release().catch(() => undefined);
    }
  }

  async #toPoison(message: DequeuedMessageItem, popReceipt: string): Promise<void> {
    const poison = this.#o.poisonQueue;
    this.#o.log.log('warn', 'message reached maxDequeueCount; moving it to the poison queue', {
      functionName: this.#o.functionName,
      queueName: this.queueName,
      poisonQueue: poison.name,
      messageId: message.messageId,
      maxDequeueCount: this.#o.options.maxDequeueCount,
    });
    this.#poisonCreated ??= poison.createIfNotExists().catch((err: unknown) => {
      this.#poisonCreated = undefined;
      throw err;
    });
    await this.#poisonCreated;
    // The stored text is copied as is, so the poison queue holds exactly what was sent.
    await poison.sendMessage(message.messageText);
    await this.#o.queue.deleteMessage(message.messageId, popReceipt);
    this.#o.onMessageSent?.(poison.name);
  }
}

/**
 * Keeps a message hidden while its function runs longer than the processing visibility, and
 * tracks the pop receipt each renewal returns (the old one stops working).
 */
class VisibilityLease {
  #popReceipt: string;
  #renewing: Promise<void> = Promise.resolve();
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly queue: QueueClient,
    private readonly message: DequeuedMessageItem,
    private readonly log: Logger,
  ) {
    this.#popReceipt = message.popReceipt;
    this.#timer = setInterval(() => {
      this.#renewing = this.#renew();
    }, (PROCESSING_VISIBILITY_S * 1000) / 2);
  }

  async #renew(): Promise<void> {
    try {
      const res = await this.queue.updateMessage(this.message.messageId, this.#popReceipt, undefined, PROCESSING_VISIBILITY_S);
      if (res.popReceipt) this.#popReceipt = res.popReceipt;
    } catch (err) {
      this.log.log('warn', 'queue message visibility renewal failed', { messageId: this.message.messageId, err });
    }
  }

  /** Stop renewing; the current pop receipt once any renewal in flight has finished. */
  async release(): Promise<string> {
    clearInterval(this.#timer);
    await this.#renewing;
    return this.#popReceipt;
  }
}
