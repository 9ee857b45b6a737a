/**
 * Writes the Instances rows of the engine's turns: at most one write in flight per instance, and
 * fields that wait merge with later ones (the latest value of each field wins), so a busy
 * instance whose turns change nothing a client reads writes its row once per {@link delayMs}
 * instead of once per turn (longer when many instances are busy, see
 * {@link DEFAULT_DEFERRED_ROWS_PER_SECOND}). The row may lag the sentinel meanwhile: that is safe only while the
 * instance's Work partition keeps a row (recovery finds instances there and redoes the last
 * turn's post-commit when the row's TurnNumber lags), so callers defer only then.
 * @see docs/design/durable-engine.md "A turn", step 5
 */
import type { HistoryEvent, OrchestrationStatusName } from '../core/history-event.js';
import type { OutboundWork } from '../core/work.js';
import type { InstanceFields } from '../wire/instance-row.js';
import type { TaskHubStore } from '../store/task-hub-store.js';
import type { Logger } from '../../log/logger.js';

type Mode = 'Merge' | 'Replace';

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

interface Entry {
  /** Fields not yet sent, merged oldest first. */
  pending: InstanceFields | undefined;
  mode: Mode;
  /** Callers waiting for the pending fields to land. */
  waiters: Waiter[];
  writing: boolean;
  timer: NodeJS.Timeout | undefined;
}

/** How long a deferred row may wait for a later turn to join it (when few instances are busy). */
export const DEFAULT_ROW_DELAY_MS = 1_000;
/**
 * Deferred rows are refreshed at about this many writes per second in all: with many busy
 * instances each one waits longer (1,000 busy instances: 10 s), so that refreshing rows nobody
 * needs does not take the storage requests the turns need. Only the row's LastUpdatedTime and
 * TurnNumber lag meanwhile (nothing a client acts on changes in a deferred turn), and a crash
 * still redoes only the last turn's post-commit.
 */
export const DEFAULT_DEFERRED_ROWS_PER_SECOND = 100;

export class InstanceRowWriter {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly store: Pick<TaskHubStore, 'writeInstance'>,
    private readonly log: Logger,
    private readonly delayMs = DEFAULT_ROW_DELAY_MS,
    private readonly deferredRowsPerSecond = DEFAULT_DEFERRED_ROWS_PER_SECOND,
  ) {}

  /**
   * Write now (after a write in flight for the instance, with whatever fields wait, these winning).
   * Resolves once a write that holds these fields has succeeded.
   */
  write(fields: InstanceFields, mode: Mode = 'Merge'): Promise<void> {
    const entry = this.#queue(fields, mode);
    const landed = new Promise<void>((resolve, reject) => entry.waiters.push({ resolve, reject }));
    this.#drain(fields.instanceId, entry);
    return landed;
  }

  /** Write within `delayMs`, merged with later fields; failures are logged and retried. */
  defer(fields: InstanceFields): void {
    const entry = this.#queue(fields, 'Merge');
    if (!entry.writing && entry.timer === undefined) this.#arm(fields.instanceId, entry);
  }

  /**
   * Sends what waits for the instance now and resolves once that write was tried (a cold load
   * reads the row after this, so it does not see a lag this process could have avoided).
   */
  async settle(instanceId: string): Promise<void> {
    const entry = this.#entries.get(instanceId);
    if (!entry || (!entry.pending && !entry.writing)) return;
    const tried = new Promise<void>((resolve) => entry.waiters.push({ resolve, reject: () => resolve() }));
    this.#drain(instanceId, entry);
    await tried;
  }

  /** Sends everything that waits, now (at stop). */
  async flush(): Promise<void> {
    await Promise.all([...this.#entries.keys()].map((id) => this.settle(id)));
  }

  /** Instances with a row pending or in flight. */
  get size(): number {
    return this.#entries.size;
  }

  #queue(fields: InstanceFields, mode: Mode): Entry {
    let entry = this.#entries.get(fields.instanceId);
    if (!entry) {
      entry = { pending: undefined, mode: 'Merge', waiters: [], writing: false, timer: undefined };
      this.#entries.set(fields.instanceId, entry);
    }
    // A Replace drops what waits (its point is that older columns go).
    entry.pending = mode === 'Replace' || !entry.pending ? fields : { ...entry.pending, ...fields };
    if (mode === 'Replace') entry.mode = 'Replace';
    return entry;
  }

  #arm(instanceId: string, entry: Entry): void {
    const delay = Math.max(this.delayMs, Math.ceil((this.#entries.size * 1000) / this.deferredRowsPerSecond));
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      this.#drain(instanceId, entry);
    }, delay);
    entry.timer.unref?.();
  }

  /** One write at a time per instance; fields that arrive meanwhile go in the next one. */
  #drain(instanceId: string, entry: Entry): void {
    if (entry.writing) return;
    if (entry.timer !== undefined) {
      clearTimeout(entry.timer);
      entry.timer = undefined;
    }
    const fields = entry.pending;
    if (!fields) {
      // Waiters whose fields went out with the last write.
      for (const w of entry.waiters.splice(0)) w.resolve();
      return this.#forget(instanceId, entry);
    }
    const { mode, waiters } = entry;
    entry.pending = undefined;
    entry.mode = 'Merge';
    entry.waiters = [];
    entry.writing = true;
    this.store.writeInstance(fields, mode).then(
      () => {
        entry.writing = false;
        for (const w of waiters) w.resolve();
        // Waiters that came during the write need their own; deferred fields wait for the timer.
        if (entry.waiters.length > 0) this.#drain(instanceId, entry);
        else if (entry.pending) this.#arm(instanceId, entry);
        else this.#forget(instanceId, entry);
      },
      (err: unknown) => {
        entry.writing = false;
        // Put the fields back under anything newer (a Replace queued since stays as it is).
        if (entry.mode !== 'Replace') entry.pending = entry.pending ? { ...fields, ...entry.pending } : fields;
        if (mode === 'Replace' && entry.pending === fields) entry.mode = 'Replace';
        for (const w of waiters) w.reject(err);
        this.log.log('warn', 'instance row write failed; retrying', { instanceId, error: String(err) });
        this.#arm(instanceId, entry);
      },
    );
  }

  #forget(instanceId: string, entry: Entry): void {
    if (entry.writing || entry.pending || entry.timer !== undefined) return;
    this.#entries.delete(instanceId);
  }
}

/** What a committed orchestration turn tells {@link rowMayLag}. */
export interface TurnRowFacts {
  /** The execution's committed events after the turn. */
  events: readonly HistoryEvent[];
  outbound: readonly OutboundWork[];
  runtimeStatus: OrchestrationStatusName;
  /** Status and custom status the row shows (or will) from the turns before. */
  statusBefore: OrchestrationStatusName;
  customStatusBefore: string | undefined;
  /** The reply's custom status; undefined keeps the last one. */
  customStatus: string | undefined;
}

/**
 * True when the turn's row may wait ({@link InstanceRowWriter.defer}): nothing a client reads
 * changes (status, custom status, output), the turn sends no message (a redo after a crash would
 * send it again), and activities stay open, so their `a-` rows keep the Work partition non-empty.
 */
export function rowMayLag(facts: TurnRowFacts): boolean {
  if (facts.runtimeStatus !== facts.statusBefore) return false;
  if (facts.customStatus !== undefined && facts.customStatus !== facts.customStatusBefore) return false;
  if (facts.outbound.some((w) => w.kind === 'message' || w.kind === 'startSubOrchestration')) return false;
  const open = new Set<number>();
  for (const e of facts.events) {
    if (e.type === 'TaskScheduled') open.add(e.eventId);
    else if (e.type === 'TaskCompleted' || e.type === 'TaskFailed') open.delete(e.taskScheduledId);
  }
  return open.size > 0;
}
