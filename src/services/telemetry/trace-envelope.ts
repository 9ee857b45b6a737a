/**
 * Trace context carried in the event envelope: stamped when the API accepts an event (the
 * request's span becomes the parent), read back by activities to continue the same trace.
 */
import { context, propagation, ROOT_CONTEXT, type Context } from '@opentelemetry/api';

/** The envelope fields this module reads and writes (any `EventEnvelope` has them). */
export interface TracedEnvelope {
  id: string;
  correlationId?: string | undefined;
  traceparent?: string | undefined;
  tracestate?: string | undefined;
}

/** Sets `correlationId` (the event's own id unless the client gave one) and the active trace context. */
export function stampEnvelope<E extends TracedEnvelope>(event: E): E {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return {
    ...event,
    correlationId: event.correlationId ?? event.id,
    ...(carrier.traceparent ? { traceparent: carrier.traceparent } : {}),
    ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
  };
}

/** The context an activity's span continues: the envelope's trace, else a new root. */
export function contextOfEnvelope(envelope: Partial<TracedEnvelope> | undefined): Context {
  if (!envelope?.traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent: envelope.traceparent, ...(envelope.tracestate ? { tracestate: envelope.tracestate } : {}) });
}

/**
 * Finds the event envelope in an activity input (`{ event }`, `{ entry: { payload: { event } } }`,
 * ...), breadth-first and shallow, so the tracing wrapper needs no per-activity code.
 */
export function findEnvelope(input: unknown, maxDepth = 3): (TracedEnvelope & { type?: string }) | undefined {
  let level: unknown[] = [input];
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const value of level) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
      const v = value as Record<string, unknown>;
      if (typeof v.id === 'string' && typeof v.type === 'string' && typeof v.source === 'string' && typeof v.time === 'string') return v as unknown as TracedEnvelope & { type?: string };
      next.push(...Object.values(v));
    }
    level = next;
  }
  return undefined;
}
