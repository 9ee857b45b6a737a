/**
 * Instances kept in memory between turns, so that an instance that keeps working (a sequence of
 * activities, a busy entity) is not re-read and its history not re-parsed on every event. Bounded:
 * the least recently used idle instance is forgotten; storage stays the source of truth.
 */
import type { HistoryEvent } from '../core/history-event.js';
import type { SchedulerState } from '../core/entity-scheduler-state.js';
import type { InstanceMessage } from '../core/work.js';

export interface HotBase {
  instanceId: string;
  /** Sentinel ETag of the last commit; undefined before the first commit. */
  etag: string | undefined;
  turnNumber: number;
  /** Current execution id (a new one per entity turn). */
  executionId: string | undefined;
}

export interface HotOrchestration extends HotBase {
  kind: 'orchestration';
  /** Committed events of the current execution. */
  events: HistoryEvent[];
  /** In-memory messages held while the instance is suspended. */
  held: InstanceMessage[];
  /** Activities of the current execution running in this process, by task id. */
  running: Set<number>;
  /** The last custom status written (kept when a reply sets none, e.g. across continue-as-new). */
  customStatus: string | undefined;
}

export interface HotEntity extends HotBase {
  kind: 'entity';
  state: SchedulerState;
  /** Created time of the entity's Instances row (kept across turns). */
  createdTime: string | undefined;
}

export type HotInstance = HotOrchestration | HotEntity;

/** What every hot instance takes from a cold load: the sentinel's ETag and turn, the execution id. */
export function hotBaseFromHistory(instanceId: string, history: { executionId: string; sentinel: { etag: string; turnNumber: number } } | undefined): HotBase {
  return { instanceId, etag: history?.sentinel.etag, turnNumber: history?.sentinel.turnNumber ?? 0, executionId: history?.executionId };
}

/**
 * How long an idle instance stays in memory before it is forgotten. An entity called by a running
 * orchestration, or an agent loop woken soon after it fell asleep, usually comes back within this
 * window, and re-reading it from storage would cost three requests; a sleeping agent still leaves
 * no object behind once the window has passed.
 */
export const IDLE_GRACE_MS = 2_000;

export class HotInstances {
  readonly #map = new Map<string, HotInstance>();
  /** Idle instances and when they may be forgotten (one sweep timer serves them all). */
  readonly #retiring = new Map<string, number>();
  #sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly capacity: number,
    private readonly graceMs = IDLE_GRACE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  get(instanceId: string): HotInstance | undefined {
    const hot = this.#map.get(instanceId);
    this.#retiring.delete(instanceId);
    if (hot) {
      // re-insert: Map iteration order is the LRU order
      this.#map.delete(instanceId);
      this.#map.set(instanceId, hot);
    }
    return hot;
  }

  set(hot: HotInstance): void {
    this.#map.delete(hot.instanceId);
    this.#map.set(hot.instanceId, hot);
    while (this.#map.size > this.capacity) {
      const victim = this.#pickVictim();
      if (!victim) break;
      this.#map.delete(victim);
    }
  }

  delete(instanceId: string): void {
    this.#map.delete(instanceId);
    this.#retiring.delete(instanceId);
  }

  /** Forget the instance after the grace period unless a turn uses it again before then. */
  retire(instanceId: string): void {
    if (!this.#map.has(instanceId)) return;
    if (this.graceMs <= 0) return this.delete(instanceId);
    this.#retiring.set(instanceId, this.now() + this.graceMs);
    if (!this.#sweeper) {
      this.#sweeper = setInterval(() => this.sweep(), Math.max(50, Math.floor(this.graceMs / 2)));
      this.#sweeper.unref?.();
    }
  }

  /** Forget the retired instances whose grace period has passed. */
  sweep(): void {
    const now = this.now();
    for (const [id, deadline] of this.#retiring) {
      if (deadline > now) continue;
      this.#retiring.delete(id);
      this.#map.delete(id);
    }
    if (this.#retiring.size === 0 && this.#sweeper) {
      clearInterval(this.#sweeper);
      this.#sweeper = undefined;
    }
  }

  /** Stop the sweep timer (host stop). */
  close(): void {
    if (this.#sweeper) clearInterval(this.#sweeper);
    this.#sweeper = undefined;
  }

  get size(): number {
    return this.#map.size;
  }

  /** Oldest entry that holds nothing only memory knows (no running activity, no held message). */
  #pickVictim(): string | undefined {
    for (const [id, hot] of this.#map) {
      if (hot.kind === 'orchestration' && (hot.running.size > 0 || hot.held.length > 0)) continue;
      return id;
    }
    return undefined;
  }
}
