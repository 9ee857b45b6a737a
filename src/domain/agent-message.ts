/** Agent-to-agent messages: what a sender posts, the envelope the target's mailbox receives, and the message log record. */
import { z } from 'zod';
import { AgentIdSchema, type AgentId } from './agent-id.js';
import { EventEnvelopeSchema, type EventEnvelope } from './event-envelope.js';

/** The `source` of every envelope an agent sends: `agent:<id>`. */
export function agentSource(id: AgentId): string {
  return `agent:${id}`;
}

/** The body of `POST /api/agents/<from>/messages`. `id` makes a re-send idempotent. */
export const AgentMessageInputSchema = z.object({
  to: AgentIdSchema,
  type: EventEnvelopeSchema.shape.type,
  data: z.unknown().optional(),
  id: EventEnvelopeSchema.shape.id.optional(),
  subject: EventEnvelopeSchema.shape.subject,
  correlationId: EventEnvelopeSchema.shape.correlationId,
  causationId: EventEnvelopeSchema.shape.causationId,
});
export type AgentMessageInput = z.infer<typeof AgentMessageInputSchema>;

/** The envelope the target receives: source `agent:<from>`, `id` and `time` filled when missing. */
export function messageEnvelope(from: AgentId, input: AgentMessageInput, deps: { now: () => Date; newId: () => string }): EventEnvelope {
  return {
    id: input.id ?? deps.newId(),
    type: input.type,
    source: agentSource(from),
    ...(input.subject === undefined ? {} : { subject: input.subject }),
    time: deps.now().toISOString(),
    ...(input.correlationId === undefined ? {} : { correlationId: input.correlationId }),
    ...(input.causationId === undefined ? {} : { causationId: input.causationId }),
    data: input.data === undefined ? null : input.data,
  };
}

export const MessageDirection = { sent: 'sent', received: 'received' } as const;
export type MessageDirection = (typeof MessageDirection)[keyof typeof MessageDirection];

/** One side of a message in the per-agent message log (Table storage). */
export const MessageLogEntrySchema = z.object({
  agentId: AgentIdSchema,
  direction: z.enum([MessageDirection.sent, MessageDirection.received]),
  /** The other agent. */
  peer: AgentIdSchema,
  messageId: z.string(),
  type: z.string(),
  time: z.string(),
  /** The envelope as JSON (bounded by the API's event size limit). */
  envelope: EventEnvelopeSchema,
});
export type MessageLogEntry = z.infer<typeof MessageLogEntrySchema>;
