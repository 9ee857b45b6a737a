/**
 * The entity scheduler's durable state: the entity's existence and state, the requests waiting
 * for a lock or a later batch, the lock holder and the de-duplication record. Stored as the
 * entity's Instances `Input` in the DF 2.x format, so Durable Functions Monitor shows it.
 * @see taskhub-layout.md section 4; durable-protocol.md C.6
 */
import {
  SchedulerStateJsonSchema,
  type EntityStatusJson,
  type SchedulerStateJson,
  type SequenceRecordJson,
  type SorterJson,
} from '../wire/entity-batch.js';
import type { RequestMessage } from './entity-messages.js';

/**
 * Requests received from one sender that carried no sequence number (sent before requests had
 * one, e.g. an outbox committed by an older host and redone after an upgrade), for dropping
 * re-deliveries by request id.
 */
export interface ReceivedIds {
  /** When the newest request from this sender was received (ISO). */
  last: string;
  /** Ids of the newest requests, oldest first (bounded, see entity-dedup.ts). */
  ids: string[];
}

/** A request's place in a stream's chain: its sequence number and its predecessor's. */
export interface SequenceLink {
  n: number;
  prev?: number;
}

/** The requests received from one sender stream, by sequence number (see entity-dedup.ts). */
export interface SequenceRecord {
  /** The sender's instance id. */
  sender: string;
  /** Orchestration streams: the sender's execution id. */
  execution?: string;
  /** Entity streams: the sender's turn the chain belongs to. */
  turn?: number;
  /** Orchestration streams: the newest sender turn a request of this execution came from (absent in older records). */
  lastTurn?: number;
  /** When the newest request of this stream was received (ISO). */
  last: string;
  /** Sequence number of the newest request of the unbroken chain: it and all before it are in. */
  upTo?: number;
  /** Requests received ahead of a gap in the chain (their predecessor has not arrived), by `n`. */
  above: SequenceLink[];
}

export interface SchedulerState {
  /** Whether the entity exists (it was given state or returned a value and was not destructed). */
  exists: boolean;
  /** The entity state as JSON text; undefined when none. */
  state?: string;
  /** Requests waiting to run, in order: behind a lock, or past the batch size of the last turn. */
  queue: RequestMessage[];
  /** Instance id of the orchestration holding the lock. */
  lockedBy?: string;
  /** The lock request id of the current lock (absent in states written by the extension). */
  lockId?: string;
  /** Signals whose `due` time is in the future, earliest first. */
  scheduled: RequestMessage[];
  /** De-duplication record of requests without a sequence number, by sender instance id. */
  received: Record<string, ReceivedIds>;
  /** De-duplication record of requests with a sequence number, one per sender stream. */
  sequences: SequenceRecord[];
  /** Keys of a stored state we do not interpret (DF's own sorter fields, `suspended`), kept as they were. */
  foreign: { root: Record<string, unknown>; sorter: Record<string, unknown> };
}

/** A scheduler state with no entity, no queue and no lock (a new entity). */
export function emptySchedulerState(): SchedulerState {
  return { exists: false, queue: [], scheduled: [], received: {}, sequences: [], foreign: { root: {}, sorter: {} } };
}

/** The state with nothing in it: no entity, nothing waiting, no lock. Its instance can be removed. */
export function isSchedulerIdle(state: SchedulerState): boolean {
  return !state.exists && state.queue.length === 0 && state.scheduled.length === 0 && state.lockedBy === undefined;
}

export class SchedulerStateFormatError extends Error {
  override name = 'SchedulerStateFormatError';
  readonly code = 'ENTITY_SCHEDULER_STATE_INVALID';
  readonly retryable = false;
}

// `suspended` is the extension's pause after a full batch; this scheduler reports `moreWork`
// instead, so a stored flag is dropped rather than kept.
const KNOWN_ROOT_KEYS = new Set(['exists', 'state', 'queue', 'lockedBy', 'lockId', 'suspended', 'scheduled', 'sorter']);

/**
 * Reads a stored scheduler state. `undefined`, `null` and `""` give an empty state (an entity
 * auto-started by its first message, or one whose scheduler was removed).
 * @throws SchedulerStateFormatError when the text is not a scheduler state
 */
export function parseSchedulerState(json: string | null | undefined): SchedulerState {
  if (json === undefined || json === null || json === '' || json === 'null') return emptySchedulerState();
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new SchedulerStateFormatError('entity scheduler state is not JSON', { cause: err });
  }
  const parsed = SchedulerStateJsonSchema.safeParse(raw);
  if (!parsed.success) {
    throw new SchedulerStateFormatError(`entity scheduler state is invalid: ${parsed.error.message}`, { cause: parsed.error });
  }
  const s = parsed.data;
  const root: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) if (!KNOWN_ROOT_KEYS.has(k)) root[k] = v;
  const { ReceivedRequestIds, ReceivedSequences, ...sorterRest } = s.sorter ?? {};
  const received: Record<string, ReceivedIds> = {};
  for (const [sender, r] of Object.entries(ReceivedRequestIds ?? {})) received[sender] = { last: r.Last, ids: [...r.Ids] };
  const sequences = (ReceivedSequences ?? []).map(sequenceRecordFromJson);
  return {
    exists: s.exists ?? false,
    ...(s.state !== null && s.state !== undefined ? { state: s.state } : {}),
    queue: [...(s.queue ?? [])],
    ...(s.lockedBy ? { lockedBy: s.lockedBy } : {}),
    ...(s.lockedBy && s.lockId ? { lockId: s.lockId } : {}),
    scheduled: [...(s.scheduled ?? [])],
    received,
    sequences,
    foreign: { root, sorter: sorterRest },
  };
}

/**
 * Writes the state in the DF 2.x layout, defaults omitted: `{"exists":true,"state":"5","sorter":{}}`.
 * Key order follows the extension's property order so stored rows look like the real ones.
 */
export function serializeSchedulerState(state: SchedulerState): string {
  const out: SchedulerStateJson = {};
  if (state.exists) out.exists = true;
  if (state.state !== undefined) out.state = state.state;
  if (state.queue.length > 0) out.queue = state.queue;
  if (state.lockedBy !== undefined) out.lockedBy = state.lockedBy;
  if (state.lockedBy !== undefined && state.lockId !== undefined) out.lockId = state.lockId;
  Object.assign(out, state.foreign.root);
  if (state.scheduled.length > 0) out.scheduled = state.scheduled;
  const sorter: SorterJson = { ...state.foreign.sorter };
  const senders = Object.entries(state.received);
  if (senders.length > 0) {
    sorter.ReceivedRequestIds = Object.fromEntries(senders.map(([sender, r]) => [sender, { Last: r.last, Ids: r.ids }]));
  }
  if (state.sequences.length > 0) sorter.ReceivedSequences = state.sequences.map(sequenceRecordToJson);
  out.sorter = sorter;
  return JSON.stringify(out);
}

/**
 * The entity status JSON for the Instances row `CustomStatus`, e.g.
 * `{"entityExists":true,"queueSize":2,"lockedBy":"orch-1"}` (defaults omitted; DTFx's entity
 * queries test existence by the presence of `entityExists`).
 */
export function entityStatusJson(state: SchedulerState): string {
  const status: EntityStatusJson = {};
  if (state.exists) status.entityExists = true;
  if (state.queue.length > 0) status.queueSize = state.queue.length;
  if (state.lockedBy !== undefined) status.lockedBy = state.lockedBy;
  return JSON.stringify(status);
}

/** A deep copy, so a turn never changes the state it was given. */
export function cloneSchedulerState(state: SchedulerState): SchedulerState {
  return structuredClone(state);
}

function sequenceRecordFromJson(r: SequenceRecordJson): SequenceRecord {
  return {
    sender: r.Sender,
    ...(r.Execution !== undefined ? { execution: r.Execution } : {}),
    ...(r.Turn !== undefined ? { turn: r.Turn } : {}),
    ...(r.LastTurn !== undefined ? { lastTurn: r.LastTurn } : {}),
    last: r.Last,
    ...(r.UpTo !== undefined ? { upTo: r.UpTo } : {}),
    above: (r.Above ?? []).map((a) => ({ n: a.N, ...(a.Prev !== undefined ? { prev: a.Prev } : {}) })),
  };
}

function sequenceRecordToJson(r: SequenceRecord): SequenceRecordJson {
  return {
    Sender: r.sender,
    ...(r.execution !== undefined ? { Execution: r.execution } : {}),
    ...(r.turn !== undefined ? { Turn: r.turn } : {}),
    ...(r.lastTurn !== undefined ? { LastTurn: r.lastTurn } : {}),
    Last: r.last,
    ...(r.upTo !== undefined ? { UpTo: r.upTo } : {}),
    ...(r.above.length > 0 ? { Above: r.above.map((a) => ({ N: a.n, ...(a.prev !== undefined ? { Prev: a.prev } : {}) })) } : {}),
  };
}
