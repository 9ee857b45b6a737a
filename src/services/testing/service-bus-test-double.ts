/**
 * Test doubles of Service Bus: an in-memory namespace whose senders and receivers implement the
 * SDK's `ServiceBusSender` and `ServiceBusReceiver` TypeScript interfaces (the members the adapter
 * uses behave like a topic with peek-lock subscriptions; the others throw). A real namespace cannot
 * run here, so these let the adapter pass the same bus contract as the Storage Queue adapter.
 */
import type { ServiceBusMessage, ServiceBusReceivedMessage, ServiceBusReceiver, ServiceBusSender } from '@azure/service-bus';
import type { ServiceBusEntities, ServiceBusSubscriptionAdmin } from '../service-bus-bus.js';

interface Held {
  message: ServiceBusReceivedMessage;
  locked: boolean;
  deliveries: number;
}

function notInDouble(member: string): never {
  throw new Error(`${member} is not implemented by the Service Bus test double`);
}

/** One in-memory namespace: topics, their subscriptions, and what each subscription holds. */
export class ServiceBusNamespaceTestDouble implements ServiceBusEntities {
  private readonly topics = new Map<string, Map<string, Held[]>>();
  readonly deadLetters: ServiceBusReceivedMessage[] = [];
  readonly sent: ServiceBusMessage[] = [];
  private sequence = 0;

  readonly admin: ServiceBusSubscriptionAdmin = {
    subscriptionExists: async (topic, subscription) => this.topics.get(topic)?.has(subscription) ?? false,
    createSubscription: async (topic, subscription) => {
      const subs = this.topics.get(topic) ?? new Map<string, Held[]>();
      this.topics.set(topic, subs);
      if (subs.has(subscription)) throw Object.assign(new Error('exists'), { code: 'MessageEntityAlreadyExistsError' });
      subs.set(subscription, []);
      return { name: subscription };
    },
    deleteSubscription: async (topic, subscription) => this.topics.get(topic)?.delete(subscription),
  };

  private deliver(topic: string, message: ServiceBusMessage): void {
    this.sent.push(message);
    for (const held of this.topics.get(topic)?.values() ?? []) {
      this.sequence += 1;
      const raw: ServiceBusReceivedMessage['_rawAmqpMessage'] = { body: message.body, bodyType: 'value' };
      held.push({ message: { ...message, messageId: message.messageId ?? `m${this.sequence}`, lockToken: `lock-${this.sequence}`, state: 'active', _rawAmqpMessage: raw }, locked: false, deliveries: 0 });
    }
  }

  private held(topic: string, subscription: string): Held[] {
    const held = this.topics.get(topic)?.get(subscription);
    if (!held) throw Object.assign(new Error(`subscription ${topic}/${subscription} does not exist`), { code: 'MessagingEntityNotFoundError' });
    return held;
  }

  sender(topic: string): ServiceBusSender {
    return new ServiceBusSenderTestDouble(topic, (m) => this.deliver(topic, m));
  }

  receiver(topic: string, subscription: string): ServiceBusReceiver {
    return new ServiceBusReceiverTestDouble(`${topic}/Subscriptions/${subscription}`, () => this.held(topic, subscription), (m) => this.deadLetters.push(m));
  }

  async close(): Promise<void> {}
}

export class ServiceBusSenderTestDouble implements ServiceBusSender {
  identifier = 'sender-test-double';
  isClosed = false;
  constructor(
    readonly entityPath: string,
    private readonly onSend: (message: ServiceBusMessage) => void,
  ) {}
  async sendMessages(messages: Parameters<ServiceBusSender['sendMessages']>[0]): Promise<void> {
    const list = Array.isArray(messages) ? messages : [messages];
    for (const m of list) {
      if (!('body' in m) || 'bodyType' in m) notInDouble('sendMessages with batches or AMQP messages');
      // Serialized as on the wire: the receiver gets a copy, never the sender's object.
      this.onSend({ ...(m as ServiceBusMessage), body: JSON.parse(JSON.stringify((m as ServiceBusMessage).body)) as unknown });
    }
  }
  createMessageBatch(): never {
    return notInDouble('createMessageBatch');
  }
  scheduleMessages(): never {
    return notInDouble('scheduleMessages');
  }
  cancelScheduledMessages(): never {
    return notInDouble('cancelScheduledMessages');
  }
  async close(): Promise<void> {
    this.isClosed = true;
  }
}

export class ServiceBusReceiverTestDouble implements ServiceBusReceiver {
  identifier = 'receiver-test-double';
  receiveMode = 'peekLock' as const;
  isClosed = false;
  constructor(
    readonly entityPath: string,
    private readonly held: () => Held[],
    private readonly onDeadLetter: (message: ServiceBusReceivedMessage) => void,
  ) {}

  private find(message: ServiceBusReceivedMessage): Held {
    const found = this.held().find((h) => h.message.lockToken === message.lockToken && h.locked);
    if (!found) throw Object.assign(new Error('the lock is lost'), { code: 'MessageLockLost' });
    return found;
  }

  async receiveMessages(maxMessageCount: number): Promise<ServiceBusReceivedMessage[]> {
    const out: ServiceBusReceivedMessage[] = [];
    for (const h of this.held()) {
      if (out.length >= maxMessageCount) break;
      if (h.locked) continue;
      h.locked = true;
      h.deliveries += 1;
      h.message = { ...h.message, deliveryCount: h.deliveries };
      out.push(h.message);
    }
    return out;
  }
  async completeMessage(message: ServiceBusReceivedMessage): Promise<void> {
    const h = this.find(message);
    const all = this.held();
    all.splice(all.indexOf(h), 1);
  }
  async abandonMessage(message: ServiceBusReceivedMessage): Promise<void> {
    this.find(message).locked = false;
  }
  async deadLetterMessage(message: ServiceBusReceivedMessage): Promise<void> {
    await this.completeMessage(message);
    this.onDeadLetter(message);
  }
  subscribe(): never {
    return notInDouble('subscribe');
  }
  getMessageIterator(): never {
    return notInDouble('getMessageIterator');
  }
  receiveDeferredMessages(): never {
    return notInDouble('receiveDeferredMessages');
  }
  peekMessages(): never {
    return notInDouble('peekMessages');
  }
  deferMessage(): never {
    return notInDouble('deferMessage');
  }
  renewMessageLock(): never {
    return notInDouble('renewMessageLock');
  }
  async close(): Promise<void> {
    this.isClosed = true;
  }
}
