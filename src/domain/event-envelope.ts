/** The one event envelope of AOS (CloudEvents-like JSON), and how the API completes it. */
import { z } from 'zod';

const IsoTimeSchema = z.iso.datetime({ offset: true });

/** A complete event, as stored in a mailbox and passed to the loop. */
export const EventEnvelopeSchema = z.object({
  id: z.string().min(1).max(128),
  type: z.string().min(1).max(256),
  source: z.string().min(1).max(512),
  subject: z.string().max(512).optional(),
  time: IsoTimeSchema,
  correlationId: z.string().max(128).optional(),
  causationId: z.string().max(128).optional(),
  /**
   * W3C trace context of the request that accepted the event: activities continue that trace, so
   * one trace follows the event through the loop (orchestrators, being replayed, create no spans).
   * @see https://www.w3.org/TR/trace-context/#traceparent-header
   */
  traceparent: z.string().regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/).optional(),
  tracestate: z.string().max(512).optional(),
  data: z.unknown(),
});
export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;

/** What a client may post: `id` and `time` are filled in when missing. */
export const EventEnvelopeInputSchema = EventEnvelopeSchema.extend({
  id: EventEnvelopeSchema.shape.id.optional(),
  time: IsoTimeSchema.optional(),
  data: z.unknown().optional(),
});
export type EventEnvelopeInput = z.infer<typeof EventEnvelopeInputSchema>;

/** Fills `id` and `time`; `data` defaults to null so that the envelope always round-trips through JSON. */
export function completeEnvelope(input: EventEnvelopeInput, deps: { now: () => Date; newId: () => string }): EventEnvelope {
  return {
    ...input,
    id: input.id ?? deps.newId(),
    time: input.time ?? deps.now().toISOString(),
    data: input.data === undefined ? null : input.data,
  };
}

/** The size of an envelope in UTF-8 bytes of its JSON, which is what a mailbox stores. */
export function envelopeBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}
