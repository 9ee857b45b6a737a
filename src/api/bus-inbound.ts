/**
 * The inbound edge of the external bus: a Storage Queue trigger on `aos-bus-inbound`. Each message
 * is `{to, event}` (an event for one agent) or `{topic, event}` (a publication, fanned out by
 * `topic-publish`); `event` is an envelope whose `id` and `time` are filled when missing (then from
 * the queue message id, so a redelivered message keeps its event id and is taken once).
 *
 * A message that cannot be delivered (bad JSON or schema, unknown or terminated agent) throws: the
 * host retries it `maxDequeueCount` times, then moves it to `aos-bus-inbound-poison`, where it can
 * be inspected. Nothing is dropped silently.
 */
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { z } from 'zod';
import { AgentIdSchema, DeliveryOutcome, EventEnvelopeInputSchema, TopicNameSchema, ValidationError, completeEnvelope } from '../domain/index.js';
import { BUS_INBOUND_QUEUE, deliverToAgent, startPublication, type DeliveryClient, type PublicationClient } from '../services/index.js';

export const InboundBusMessageSchema = z.union([
  z.object({ to: AgentIdSchema, event: EventEnvelopeInputSchema }).strict(),
  z.object({ topic: TopicNameSchema, event: EventEnvelopeInputSchema }).strict(),
]);
export type InboundBusMessage = z.infer<typeof InboundBusMessageSchema>;

export class InboundUndeliverableError extends ValidationError {
  override name = 'InboundUndeliverableError';
}

function parseMessage(message: unknown): InboundBusMessage {
  let raw = message;
  if (typeof message === 'string') {
    try {
      raw = JSON.parse(message);
    } catch {
      throw new ValidationError('the inbound bus message is not JSON');
    }
  }
  const parsed = InboundBusMessageSchema.safeParse(raw);
  if (!parsed.success) throw ValidationError.fromZod('inbound bus message', parsed.error);
  return parsed.data;
}

export async function handleInbound(message: unknown, client: DeliveryClient & PublicationClient, meta: { messageId: string; insertedAt: Date }, log?: { warn(message: string, meta: Record<string, unknown>): void }): Promise<{ delivered: string }> {
  const inbound = parseMessage(message);
  const event = completeEnvelope(inbound.event, { now: () => meta.insertedAt, newId: () => `bus-${meta.messageId}` });
  if ('to' in inbound) {
    const result = await deliverToAgent(client, inbound.to, event, log ? { log } : {});
    if (result.outcome === DeliveryOutcome.unknown || result.outcome === DeliveryOutcome.terminated) throw new InboundUndeliverableError(`agent ${inbound.to} is ${result.outcome === DeliveryOutcome.unknown ? 'not registered' : 'terminated'}`);
    return { delivered: `agent ${inbound.to} (${result.outcome})` };
  }
  const { instanceId } = await startPublication(client, { topic: inbound.topic, event, exclude: [], forward: false });
  return { delivered: `topic ${inbound.topic} (${instanceId})` };
}

function triggerMetadata(context: InvocationContext): { messageId: string; insertedAt: Date } {
  const m = context.triggerMetadata ?? {};
  const id = typeof m.id === 'string' ? m.id : context.invocationId;
  const inserted = typeof m.insertionTime === 'string' || m.insertionTime instanceof Date ? new Date(m.insertionTime) : new Date();
  return { messageId: id, insertedAt: Number.isNaN(inserted.getTime()) ? new Date() : inserted };
}

df.app.client.storageQueue('bus-inbound', {
  queueName: BUS_INBOUND_QUEUE,
  connection: 'AzureWebJobsStorage',
  handler: async (message: unknown, client: DurableClient, context: InvocationContext) => {
    const out = await handleInbound(message, client, triggerMetadata(context), { warn: (m, meta) => context.warn(m, meta) });
    context.log('inbound bus message delivered', { to: out.delivered });
  },
});
