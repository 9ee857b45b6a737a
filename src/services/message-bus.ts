/**
 * The external message bus port: topics with named subscriptions, each subscription receiving its
 * own copy of every message published after it exists, with explicit acknowledgement. Storage
 * Queues implement it locally (Azurite), Azure Service Bus in Azure; `runBusContract` (in
 * tests/support) is the behaviour both must show.
 */
import { z } from 'zod';
import type { EventEnvelope, TopicName } from '../domain/index.js';

/**
 * Subscription names: lower-case letters and digits in dash-separated words, 1-30 characters, not
 * ending in `-poison`: the Storage Queue adapter puts them into a queue name (with room for its
 * `-poison` twin) and Service Bus accepts them unchanged.
 */
export const BusSubscriptionNameSchema = z
  .string()
  .max(30)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a subscription name is 1-30 lower-case letters or digits in dash-separated words')
  .refine((s) => !s.endsWith('-poison'), 'a subscription name must not end in -poison');

export interface ReceivedBusMessage {
  topic: TopicName;
  envelope: EventEnvelope;
  /** 1 on first delivery; more after a release or an expired lock. */
  deliveryCount: number;
  /** Removes the message for good (processing is done). */
  ack(): Promise<void>;
  /** Gives the message back at once, for this or another receiver to take again. */
  release(): Promise<void>;
}

export interface ReceiveOptions {
  /** @default 16 */
  maxMessages?: number;
  /** How long a received, unacknowledged message stays hidden before it is delivered again. @default 60 */
  lockSeconds?: number;
  /** How long to wait for a first message when none is there (0: answer at once). @default 0 */
  waitMs?: number;
}

export interface MessageBus {
  readonly provider: string;
  /** Makes sure `subscription` on `topic` exists; messages published from now on reach it. Idempotent. */
  subscribe(topic: TopicName, subscription: string): Promise<void>;
  /** Removes the subscription and what it still holds. Idempotent. */
  unsubscribe(topic: TopicName, subscription: string): Promise<void>;
  /** Publishes one envelope to every subscription of the topic (none: the message goes nowhere, as on a Service Bus topic). */
  publish(topic: TopicName, envelope: EventEnvelope): Promise<void>;
  /** Takes up to `maxMessages` messages of one subscription, locked until acknowledged or released. */
  receive(topic: TopicName, subscription: string, options?: ReceiveOptions): Promise<ReceivedBusMessage[]>;
  close(): Promise<void>;
}
