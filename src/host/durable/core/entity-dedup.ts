/**
 * Drops requests an entity already received. Re-deliveries happen when a sender's post-commit is
 * redone after a crash: the same messages are sent again, however many the turn sent (an
 * orchestration may signal one entity thousands of times in one episode).
 *
 * Requests carry their place in the sender's stream (`seq`, see entity-messages.ts): an
 * orchestration numbers them by event id within one execution, an entity by turn and by index in
 * the turn, and each names its predecessor to the same entity. Per stream the entity keeps the
 * head of the unbroken chain it received (`upTo`: that request and every one before it are in)
 * and the few received ahead of a gap (`above`). The record is a few numbers long and exact in any
 * order of arrival. Entity senders chain within a turn only: a sender delivers all of a turn's
 * messages before it runs its next turn, so a request of a newer turn means the older turns are in.
 *
 * An eternal orchestration (continue-as-new) is a new execution, hence a new stream, per
 * generation: kept for the whole window, its records would grow the entity's state by one per
 * generation. Orchestration requests therefore also carry the sender's turn number, and a stream
 * is forgotten once the same instance's most recently received stream came from a later turn.
 * That is safe for the same reason as above: a sender re-delivers only the messages of its last
 * committed turn (the redo of an interrupted post-commit, before its next turn runs), so once a
 * request of turn t has been received, no request of an earlier turn can arrive again. A sender
 * whose turn numbers restart (purged and started again) is recognised by its older records
 * having the *higher* turn: nothing is forgotten early then, the window expires them.
 *
 * Requests without `seq` (committed by an older host and redone from its outbox) fall back to
 * the bounded list of recent request ids per sender. Requests without a parent (client signals)
 * are not recorded, as in the extension: the engine de-duplicates those by the inbound message
 * key, which is written once. The extension orders and de-duplicates by sender timestamps
 * (`MessageSorter`); this is the same idea with sequence numbers.
 */
import type { RequestMessage } from './entity-messages.js';
import type { SchedulerState, SequenceLink, SequenceRecord } from './entity-scheduler-state.js';

export interface DedupOptions {
  /** How many recent request ids are kept per sender for requests without `seq`. @default 100 */
  idsPerSender?: number;
  /**
   * A sender stream is forgotten once it has been quiet this long, measured against the newest
   * activity of the entity (not the clock), so host downtime does not expire records.
   * @default 30 minutes (the extension's entity message reorder window)
   */
  senderWindowMs?: number;
  /**
   * Requests waiting past a gap in one stream before the gap is given up (its request was lost,
   * e.g. purged): the chain then jumps to the newest. Normally nothing waits. @default 1000
   */
  maxAhead?: number;
}

export const DEFAULT_IDS_PER_SENDER = 100;
export const DEFAULT_SENDER_WINDOW_MS = 30 * 60_000;
export const DEFAULT_MAX_AHEAD = 1000;

/** A request's stream and place in it. */
export interface StreamPosition {
  sender: string;
  /** Orchestration streams: the sender's execution. */
  execution?: string;
  /** Entity streams: the sender's turn. */
  turn?: number;
  /** Orchestration streams: the sender's turn that sent the request (absent from older hosts). */
  senderTurn?: number;
  n: number;
  prev?: number;
}

/** The stream a request was numbered in, or undefined when it carries no (usable) sequence number. */
export function streamPosition(request: RequestMessage): StreamPosition | undefined {
  const seq = request.seq;
  if (!seq) return undefined;
  const link = { n: seq.n, ...(seq.prev !== undefined ? { prev: seq.prev } : {}) };
  if (seq.from !== undefined && seq.turn !== undefined) return { sender: seq.from, turn: seq.turn, ...link };
  if (request.parent && request.parentExecution) {
    return { sender: request.parent, execution: request.parentExecution, ...(seq.turn !== undefined ? { senderTurn: seq.turn } : {}), ...link };
  }
  return undefined;
}

/**
 * Records a request as received and tells whether it is new (false: drop it, it was received
 * before). Mutates `state.sequences` or `state.received`.
 */
export function receiveOnce(state: SchedulerState, request: RequestMessage, now: Date, options: DedupOptions = {}): boolean {
  const position = streamPosition(request);
  if (position) return receiveInStream(state, position, now, options.maxAhead ?? DEFAULT_MAX_AHEAD);
  return receiveById(state, request, now, options.idsPerSender ?? DEFAULT_IDS_PER_SENDER);
}

function receiveInStream(state: SchedulerState, p: StreamPosition, now: Date, maxAhead: number): boolean {
  const stamp = now.toISOString();
  let record = state.sequences.find((r) => r.sender === p.sender && r.execution === p.execution);
  if (!record) {
    record = { sender: p.sender, ...(p.execution !== undefined ? { execution: p.execution } : {}), last: stamp, above: [] };
    state.sequences.push(record);
    // An orchestration stream seen for the first time starts its chain here: any predecessor was
    // received before the record expired (a sender quiet for the whole window), or never sent.
    if (p.turn === undefined) {
      record.upTo = p.n;
      noteSenderTurn(record, p);
      return true;
    }
  }
  if (p.turn !== undefined) {
    if (record.turn !== undefined && p.turn < record.turn) return false;
    if (record.turn === undefined || p.turn > record.turn) {
      record.turn = p.turn;
      delete record.upTo;
      record.above = [];
    }
  }
  if ((record.upTo !== undefined && p.n <= record.upTo) || record.above.some((a) => a.n === p.n)) return false;
  record.last = stamp;
  noteSenderTurn(record, p);
  const link: SequenceLink = { n: p.n, ...(p.prev !== undefined ? { prev: p.prev } : {}) };
  if (follows(record, link)) {
    record.upTo = p.n;
    absorb(record);
  } else {
    record.above = [...record.above, link].sort((a, b) => a.n - b.n);
    if (record.above.length > maxAhead) {
      record.upTo = Math.max(...record.above.map((a) => a.n));
      record.above = [];
    }
  }
  return true;
}

function noteSenderTurn(record: SequenceRecord, p: StreamPosition): void {
  if (p.senderTurn !== undefined) record.lastTurn = Math.max(record.lastTurn ?? p.senderTurn, p.senderTurn);
}

/** Whether `link` extends the record's unbroken chain (its predecessor is in). */
function follows(record: SequenceRecord, link: SequenceLink): boolean {
  if (link.prev === undefined) return true;
  return record.upTo !== undefined && link.prev <= record.upTo;
}

/** Moves requests that waited past a gap into the chain once the gap is filled. */
function absorb(record: SequenceRecord): void {
  // A request without a predecessor may move the head past waiting ones: those are in now.
  record.above = record.above.filter((a) => a.n > (record.upTo as number));
  for (;;) {
    const next = record.above.find((a) => follows(record, a));
    if (!next) break;
    record.upTo = Math.max(record.upTo ?? next.n, next.n);
    record.above = record.above.filter((a) => a !== next && a.n > (record.upTo as number));
  }
}

function receiveById(state: SchedulerState, request: RequestMessage, now: Date, limit: number): boolean {
  const sender = request.parent ?? undefined;
  if (sender === undefined) return true;
  const record = state.received[sender];
  if (record?.ids.includes(request.id)) return false;
  const ids = record ? [...record.ids, request.id] : [request.id];
  if (ids.length > limit) ids.splice(0, ids.length - limit);
  state.received[sender] = { last: now.toISOString(), ids };
  return true;
}

/** Forgets sender streams quiet for longer than the window before the entity's newest activity. */
export function expireSenders(state: SchedulerState, options: DedupOptions = {}): void {
  const windowMs = options.senderWindowMs ?? DEFAULT_SENDER_WINDOW_MS;
  const legacy = Object.entries(state.received);
  if (legacy.length === 0 && state.sequences.length === 0) return;
  let newest = Number.NEGATIVE_INFINITY;
  for (const [, r] of legacy) newest = Math.max(newest, Date.parse(r.last));
  for (const r of state.sequences) newest = Math.max(newest, Date.parse(r.last));
  for (const [sender, r] of legacy) {
    if (Date.parse(r.last) < newest - windowMs) delete state.received[sender];
  }
  state.sequences = dropSupersededExecutions(state.sequences.filter((r) => Date.parse(r.last) >= newest - windowMs));
}

/**
 * Forgets the streams of an orchestration's older executions once its most recently received
 * stream came from a later sender turn (see the module comment for why no re-delivery of theirs
 * can come). Runs after a whole batch was received, so the order of arrival within it is moot.
 */
function dropSupersededExecutions(sequences: SequenceRecord[]): SequenceRecord[] {
  /** Per orchestration sender: its most recently received stream (ties: the later turn). */
  const current = new Map<string, SequenceRecord>();
  for (const r of sequences) {
    if (r.execution === undefined || r.lastTurn === undefined) continue;
    const c = current.get(r.sender);
    if (!c || r.last > c.last || (r.last === c.last && (r.lastTurn as number) > (c.lastTurn as number))) current.set(r.sender, r);
  }
  if (current.size === 0) return sequences;
  return sequences.filter((r) => {
    const c = r.execution === undefined ? undefined : current.get(r.sender);
    return c === undefined || r === c || r.lastTurn === undefined || r.lastTurn >= (c.lastTurn as number);
  });
}

/**
 * Puts the requests of each sender stream in stream order (turn, then sequence number), each
 * stream keeping the slots its requests held, so other senders' requests do not move. Work rows
 * sort by `m-<ms>-<message id>` and the ids of one turn share the ms but compare as text
 * (`…|10` before `…|9`), so the order read from storage is not the order sent.
 */
export function orderWithinStreams<T>(items: readonly T[], positionOf: (item: T) => StreamPosition | undefined): T[] {
  const slots = new Map<string, number[]>();
  items.forEach((item, i) => {
    const p = positionOf(item);
    if (!p) return;
    const key = `${p.sender}\n${p.execution ?? ''}`;
    const list = slots.get(key) ?? [];
    list.push(i);
    slots.set(key, list);
  });
  const out = [...items];
  for (const indexes of slots.values()) {
    if (indexes.length < 2) continue;
    const sorted = indexes.map((i) => items[i] as T).sort((a, b) => compare(positionOf(a) as StreamPosition, positionOf(b) as StreamPosition));
    indexes.forEach((slot, k) => {
      out[slot] = sorted[k] as T;
    });
  }
  return out;
}

function compare(a: StreamPosition, b: StreamPosition): number {
  return (a.turn ?? 0) - (b.turn ?? 0) || a.n - b.n;
}
