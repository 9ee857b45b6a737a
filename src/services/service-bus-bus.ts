/**
 * The message bus on Azure Service Bus (`@azure/service-bus`): a bus topic is a Service Bus topic,
 * a bus subscription a Service Bus subscription, receive is peek-lock, ack completes, release
 * abandons, and a body that is not an envelope is dead-lettered. Subscriptions are created through
 * the administration client when one is given (it needs Manage rights); otherwise they must exist
 * (Bicep creates them). The lock duration is the subscription's, so `lockSeconds` is not used here.
 */
import { ServiceBusAdministrationClient, ServiceBusClient, type ServiceBusReceiver, type ServiceBusSender } from '@azure/service-bus';
import type { TokenCredential } from '@azure/core-auth';
import { EventEnvelopeSchema, TopicNameSchema, type EventEnvelope, type TopicName } from '../domain/index.js';
import { BusSubscriptionNameSchema, type MessageBus, type ReceiveOptions, type ReceivedBusMessage } from './message-bus.js';

/** The subscription management this adapter needs; `ServiceBusAdministrationClient` has it (the results are not read). */
export interface ServiceBusSubscriptionAdmin {
  subscriptionExists(topicName: string, subscriptionName: string): Promise<boolean>;
  createSubscription(topicName: string, subscriptionName: string): Promise<unknown>;
  deleteSubscription(topicName: string, subscriptionName: string): Promise<unknown>;
}

/** Where the adapter gets its SDK senders and receivers; `serviceBusEntities` builds it from a real client. */
export interface ServiceBusEntities {
  sender(topic: string): ServiceBusSender;
  receiver(topic: string, subscription: string): ServiceBusReceiver;
  admin?: ServiceBusSubscriptionAdmin;
  close(): Promise<void>;
}

/** Service Bus needs some wait to answer a receive; a request for "at once" waits this long. @default 200 */
export const MIN_RECEIVE_WAIT_MS = 200;

export function serviceBusEntities(client: ServiceBusClient, admin?: ServiceBusSubscriptionAdmin): ServiceBusEntities {
  const senders = new Map<string, ServiceBusSender>();
  const receivers = new Map<string, ServiceBusReceiver>();
  return {
    sender(topic) {
      let s = senders.get(topic);
      if (!s) senders.set(topic, (s = client.createSender(topic)));
      return s;
    },
    receiver(topic, subscription) {
      const key = `${topic}\n${subscription}`;
      let r = receivers.get(key);
      if (!r) receivers.set(key, (r = client.createReceiver(topic, subscription, { receiveMode: 'peekLock' })));
      return r;
    },
    ...(admin ? { admin } : {}),
    async close() {
      await client.close();
    },
  };
}

/** Builds the entities from a connection string, or a namespace and a token credential (Entra ID). */
export function connectServiceBus(options: { connectionString?: string; namespace?: string; credential?: TokenCredential; manageSubscriptions?: boolean }): ServiceBusEntities {
  if (options.connectionString) {
    const admin = options.manageSubscriptions ? new ServiceBusAdministrationClient(options.connectionString) : undefined;
    return serviceBusEntities(new ServiceBusClient(options.connectionString), admin);
  }
  if (!options.namespace || !options.credential) throw new Error('Service Bus needs a connection string, or a namespace and a token credential');
  const admin = options.manageSubscriptions ? new ServiceBusAdministrationClient(options.namespace, options.credential) : undefined;
  return serviceBusEntities(new ServiceBusClient(options.namespace, options.credential), admin);
}

export class ServiceBusMessageBus implements MessageBus {
  readonly provider = 'service-bus';

  constructor(private readonly entities: ServiceBusEntities) {}

  async subscribe(topic: TopicName, subscription: string): Promise<void> {
    const [t, s] = [TopicNameSchema.parse(topic), BusSubscriptionNameSchema.parse(subscription)];
    const admin = this.entities.admin;
    if (!admin) return;
    if (await admin.subscriptionExists(t, s)) return;
    try {
      await admin.createSubscription(t, s);
    } catch (err) {
      // Another subscriber created it between the check and the create: that is what we wanted.
      if ((err as { code?: string }).code !== 'MessageEntityAlreadyExistsError') throw err;
    }
  }

  async unsubscribe(topic: TopicName, subscription: string): Promise<void> {
    const admin = this.entities.admin;
    if (!admin) return;
    if (await admin.subscriptionExists(topic, subscription)) await admin.deleteSubscription(topic, subscription);
  }

  async publish(topic: TopicName, envelope: EventEnvelope): Promise<void> {
    await this.entities.sender(TopicNameSchema.parse(topic)).sendMessages({
      body: envelope,
      // Duplicate detection on the topic (when enabled) then drops a re-sent publication.
      messageId: envelope.id,
      contentType: 'application/json',
      subject: envelope.type,
      ...(envelope.correlationId ? { correlationId: envelope.correlationId } : {}),
      applicationProperties: { topic, source: envelope.source },
    });
  }

  async receive(topic: TopicName, subscription: string, options: ReceiveOptions = {}): Promise<ReceivedBusMessage[]> {
    const receiver = this.entities.receiver(TopicNameSchema.parse(topic), BusSubscriptionNameSchema.parse(subscription));
    const got = await receiver.receiveMessages(options.maxMessages ?? 16, { maxWaitTimeInMs: Math.max(MIN_RECEIVE_WAIT_MS, options.waitMs ?? 0) });
    const out: ReceivedBusMessage[] = [];
    for (const message of got) {
      const envelope = EventEnvelopeSchema.safeParse(message.body);
      if (!envelope.success) {
        await receiver.deadLetterMessage(message, { deadLetterReason: 'InvalidEnvelope', deadLetterErrorDescription: 'the body is not an AOS event envelope' });
        continue;
      }
      out.push({
        topic,
        envelope: envelope.data,
        deliveryCount: message.deliveryCount ?? 1,
        ack: () => receiver.completeMessage(message),
        release: () => receiver.abandonMessage(message),
      });
    }
    return out;
  }

  async close(): Promise<void> {
    await this.entities.close();
  }
}
