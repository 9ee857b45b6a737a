/**
 * The agent mailbox: accepted events not yet processed, handed to the loop in batches with a token
 * and removed only when the batch is acknowledged (exactly-once processing together with the
 * per-batch `recorded` list and the processed-id window).
 */
import { AGENT_LIMITS, type InFlightBatch, type Mailbox } from './agent-context.js';
import type { EventEnvelope } from './event-envelope.js';

export function emptyMailbox(): Mailbox {
  return { events: [], processedIds: [], acknowledgedTokens: [] };
}

/** True when the event is waiting, in flight, or among the recently processed ones. */
export function isKnownEvent(mailbox: Mailbox, eventId: string): boolean {
  return mailbox.events.some((e) => e.id === eventId) || mailbox.processedIds.includes(eventId);
}

export function enqueue(mailbox: Mailbox, event: EventEnvelope): Mailbox {
  return { ...mailbox, events: [...mailbox.events, event] };
}

export interface TakeOutcome {
  mailbox: Mailbox;
  batch: InFlightBatch | undefined;
  events: EventEnvelope[];
}

/**
 * Hands out the batch in flight when there is one (same token, same events: the caller crashed or
 * replayed before acknowledging), else the first `max` events under `token`. An empty mailbox
 * gives no batch.
 */
export function take(mailbox: Mailbox, token: string, max: number, at: string): TakeOutcome {
  if (mailbox.inFlight) {
    const ids = new Set(mailbox.inFlight.eventIds);
    return { mailbox, batch: mailbox.inFlight, events: mailbox.events.filter((e) => ids.has(e.id)) };
  }
  const events = mailbox.events.slice(0, max);
  if (events.length === 0) return { mailbox, batch: undefined, events };
  const batch: InFlightBatch = { token, eventIds: events.map((e) => e.id), takenAt: at, recorded: [] };
  return { mailbox: { ...mailbox, inFlight: batch }, batch, events };
}

/** Marks one event of the batch as recorded; false when it already was (a replayed record). */
export function markRecorded(mailbox: Mailbox, eventId: string): { mailbox: Mailbox; first: boolean } {
  const batch = mailbox.inFlight;
  if (!batch || !batch.eventIds.includes(eventId) || batch.recorded.includes(eventId)) return { mailbox, first: false };
  return { mailbox: { ...mailbox, inFlight: { ...batch, recorded: [...batch.recorded, eventId] } }, first: true };
}

/** Removes the batch's events, remembering their ids and the token; returns how many left the mailbox. */
export function acknowledge(mailbox: Mailbox): { mailbox: Mailbox; acknowledged: number } {
  const batch = mailbox.inFlight;
  if (!batch) return { mailbox, acknowledged: 0 };
  const ids = new Set(batch.eventIds);
  const { inFlight: _done, ...rest } = mailbox;
  return {
    acknowledged: ids.size,
    mailbox: {
      ...rest,
      events: mailbox.events.filter((e) => !ids.has(e.id)),
      processedIds: [...mailbox.processedIds, ...batch.eventIds].slice(-AGENT_LIMITS.dedupeWindow),
      acknowledgedTokens: [...mailbox.acknowledgedTokens, batch.token].slice(-AGENT_LIMITS.lifecycleHistory),
    },
  };
}
