/**
 * Drops requests an entity already received. Re-deliveries happen when a sender's post-commit is
 * redone after a crash: the same messages (same request ids) are sent again. The record is per
 * sender and bounded, and it lives in the scheduler state, so it survives with the entity.
 *
 * The extension orders and de-duplicates by sender timestamps (`MessageSorter`); our senders do
 * not label messages, so the record keeps request ids instead. Requests without a parent
 * (client signals) are not recorded, as in the extension: the engine de-duplicates those by
 * the inbound message key.
 */
import type { RequestMessage } from './entity-messages.js';
import type { SchedulerState } from './entity-scheduler-state.js';

export interface DedupOptions {
  /** How many recent request ids are kept per sender. @default 100 */
  idsPerSender?: number;
  /**
   * A sender is forgotten once it has been quiet this long, measured against the newest
   * activity of the entity (not the clock), so host downtime does not expire records.
   * @default 30 minutes (the extension's entity message reorder window)
   */
  senderWindowMs?: number;
}

export const DEFAULT_IDS_PER_SENDER = 100;
export const DEFAULT_SENDER_WINDOW_MS = 30 * 60_000;

/** The sender a request is de-duplicated under, or undefined when it is not tracked. */
export function dedupSender(request: RequestMessage): string | undefined {
  return request.parent ?? undefined;
}

/**
 * Records a request as received and tells whether it was seen before (then it must be dropped).
 * Mutates `state.received`.
 */
export function receiveOnce(state: SchedulerState, request: RequestMessage, now: Date, options: DedupOptions = {}): boolean {
  const sender = dedupSender(request);
  if (sender === undefined) return true;
  const limit = options.idsPerSender ?? DEFAULT_IDS_PER_SENDER;
  const record = state.received[sender];
  if (record?.ids.includes(request.id)) return false;
  const ids = record ? [...record.ids, request.id] : [request.id];
  if (ids.length > limit) ids.splice(0, ids.length - limit);
  state.received[sender] = { last: now.toISOString(), ids };
  return true;
}

/** Forgets senders quiet for longer than the window before the entity's newest activity. */
export function expireSenders(state: SchedulerState, options: DedupOptions = {}): void {
  const windowMs = options.senderWindowMs ?? DEFAULT_SENDER_WINDOW_MS;
  const records = Object.entries(state.received);
  if (records.length === 0) return;
  const newest = Math.max(...records.map(([, r]) => Date.parse(r.last)));
  for (const [sender, r] of records) {
    if (Date.parse(r.last) < newest - windowMs) delete state.received[sender];
  }
}
