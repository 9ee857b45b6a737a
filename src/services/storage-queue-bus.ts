/**
 * The message bus on Azure Storage Queues (Azurite locally): one queue per topic subscription,
 * named `aosbus-<topic hash>-<subscription>`. Publishing lists the topic's queues (one request) and
 * sends a copy to each. A message that is not a valid envelope goes to `<queue>-poison`, as the
 * Functions queue trigger does, instead of being lost or blocking the subscription.
 */
import { createHash } from 'node:crypto';
import type { QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { EventEnvelopeSchema, TopicNameSchema, type EventEnvelope, type TopicName } from '../domain/index.js';
import { BusSubscriptionNameSchema, type MessageBus, type ReceiveOptions, type ReceivedBusMessage } from './message-bus.js';

/** The wire form of a bus message in a queue: the topic travels with the envelope. */
interface QueuedBusMessage {
  topic: string;
  envelope: EventEnvelope;
}

export function topicQueuePrefix(topic: TopicName): string {
  return `aosbus-${createHash('sha256').update(topic, 'utf8').digest('hex').slice(0, 10)}-`;
}

export function subscriptionQueueName(topic: TopicName, subscription: string): string {
  return `${topicQueuePrefix(TopicNameSchema.parse(topic))}${BusSubscriptionNameSchema.parse(subscription)}`;
}

export interface StorageQueueBusOptions {
  /** Waits between empty polls while `waitMs` lasts. @default 200 */
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export class StorageQueueBus implements MessageBus {
  readonly provider = 'storage-queue';
  private readonly pollMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(
    private readonly service: QueueServiceClient,
    options: StorageQueueBusOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 200;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
  }

  private queue(topic: TopicName, subscription: string): QueueClient {
    return this.service.getQueueClient(subscriptionQueueName(topic, subscription));
  }

  async subscribe(topic: TopicName, subscription: string): Promise<void> {
    await this.queue(topic, subscription).createIfNotExists();
  }

  async unsubscribe(topic: TopicName, subscription: string): Promise<void> {
    await this.queue(topic, subscription).deleteIfExists();
  }

  async publish(topic: TopicName, envelope: EventEnvelope): Promise<void> {
    const text = JSON.stringify({ topic, envelope } satisfies QueuedBusMessage);
    const sends: Promise<unknown>[] = [];
    for await (const page of this.service.listQueues({ prefix: topicQueuePrefix(topic) }).byPage({ maxPageSize: 100 })) {
      for (const q of page.queueItems ?? []) {
        if (!q.name.endsWith('-poison')) sends.push(this.service.getQueueClient(q.name).sendMessage(text));
      }
    }
    await Promise.all(sends);
  }

  async receive(topic: TopicName, subscription: string, options: ReceiveOptions = {}): Promise<ReceivedBusMessage[]> {
    const queue = this.queue(topic, subscription);
    const deadline = this.now() + (options.waitMs ?? 0);
    for (;;) {
      const got = await queue.receiveMessages({ numberOfMessages: Math.min(32, options.maxMessages ?? 16), visibilityTimeout: options.lockSeconds ?? 60 });
      const messages: ReceivedBusMessage[] = [];
      for (const item of got.receivedMessageItems) {
        const parsed = parseQueued(item.messageText);
        if (!parsed) {
          await this.poison(queue, item.messageText);
          await queue.deleteMessage(item.messageId, item.popReceipt);
          continue;
        }
        let popReceipt = item.popReceipt;
        messages.push({
          topic: parsed.topic,
          envelope: parsed.envelope,
          deliveryCount: item.dequeueCount,
          ack: async () => {
            await queue.deleteMessage(item.messageId, popReceipt);
          },
          release: async () => {
            const updated = await queue.updateMessage(item.messageId, popReceipt, undefined, 0);
            popReceipt = updated.popReceipt ?? popReceipt;
          },
        });
      }
      if (messages.length > 0 || this.now() >= deadline) return messages;
      await this.sleep(this.pollMs);
    }
  }

  private async poison(queue: QueueClient, text: string): Promise<void> {
    const poison = this.service.getQueueClient(`${queue.name}-poison`);
    await poison.createIfNotExists();
    await poison.sendMessage(text);
  }

  async close(): Promise<void> {
    // Stateless HTTP clients: nothing to close.
  }
}

function parseQueued(text: string): { topic: TopicName; envelope: EventEnvelope } | undefined {
  try {
    const raw = JSON.parse(text) as { topic?: unknown; envelope?: unknown };
    const topic = TopicNameSchema.safeParse(raw.topic);
    const envelope = EventEnvelopeSchema.safeParse(raw.envelope);
    return topic.success && envelope.success ? { topic: topic.data, envelope: envelope.data } : undefined;
  } catch {
    return undefined;
  }
}
