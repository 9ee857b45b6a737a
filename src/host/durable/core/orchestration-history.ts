/**
 * Facts about one execution read from its history: identity, what was scheduled and completed,
 * suspension, the final status, and entity locks still held. Pure queries over `HistoryEvent[]`.
 */
import { EntityMessageName, RequestMessageSchema, ReleaseMessageSchema, type EntityId } from './entity-messages.js';
import type { HistoryEvent, HistoryEventOf, OrchestrationStatusName } from './history-event.js';

export type ExecutionStartedEvent = HistoryEventOf<'ExecutionStarted'>;

/** What the scheduling event with EventId k was. */
export type ScheduledKind = 'TaskScheduled' | 'SubOrchestrationInstanceCreated' | 'TimerCreated' | 'EventSent';

export interface HistoryFacts {
  started?: ExecutionStartedEvent;
  /** Scheduling events by sequence number. */
  scheduled: Map<number, HistoryEventOf<ScheduledKind>>;
  /** Sequence numbers of activities and sub-orchestrations with a completion or failure. */
  completedTasks: Set<number>;
  firedTimers: Set<number>;
  /** Final status when the execution ended (Completed, Failed, Terminated, ContinuedAsNew). */
  finalStatus?: OrchestrationStatusName;
  suspended: boolean;
}

export function readHistory(history: readonly HistoryEvent[]): HistoryFacts {
  const facts: HistoryFacts = { scheduled: new Map(), completedTasks: new Set(), firedTimers: new Set(), suspended: false };
  for (const e of history) {
    switch (e.type) {
      case 'ExecutionStarted':
        facts.started ??= e;
        break;
      case 'TaskScheduled':
      case 'SubOrchestrationInstanceCreated':
      case 'TimerCreated':
      case 'EventSent':
        facts.scheduled.set(e.eventId, e);
        break;
      case 'TaskCompleted':
      case 'TaskFailed':
      case 'SubOrchestrationInstanceCompleted':
      case 'SubOrchestrationInstanceFailed':
        facts.completedTasks.add(e.taskScheduledId);
        break;
      case 'TimerFired':
        facts.firedTimers.add(e.timerId);
        break;
      case 'ExecutionCompleted':
        facts.finalStatus = e.orchestrationStatus;
        break;
      case 'ContinueAsNew':
        facts.finalStatus = 'ContinuedAsNew';
        break;
      case 'ExecutionSuspended':
        facts.suspended = true;
        break;
      case 'ExecutionResumed':
        facts.suspended = false;
        break;
      default:
        break;
    }
  }
  return facts;
}

/** The runtime status a history implies (undefined before the execution started). */
export function runtimeStatusOf(history: readonly HistoryEvent[]): OrchestrationStatusName | undefined {
  const facts = readHistory(history);
  if (!facts.started) return undefined;
  if (facts.finalStatus) return facts.finalStatus;
  if (!history.some((e) => e.type === 'OrchestratorStarted')) return 'Pending';
  return facts.suspended ? 'Suspended' : 'Running';
}

/** A lock this execution requested and has not released. */
export interface HeldLock {
  lockRequestId: string;
  lockSet: EntityId[];
}

/**
 * Locks requested through EventSent (a request with a `lockset`) without a matching `release`.
 * The host releases these when the execution ends, as the extension does after the shim completes
 * (durable-protocol.md C.6 step 5).
 */
export function heldLocks(history: readonly HistoryEvent[]): HeldLock[] {
  const held = new Map<string, HeldLock>();
  for (const e of history) {
    if (e.type !== 'EventSent' || e.input === undefined) continue;
    const json = safeJson(e.input);
    if (e.name === EntityMessageName.Release) {
      const release = ReleaseMessageSchema.safeParse(json);
      if (release.success) held.delete(release.data.id);
    } else if (e.name === EntityMessageName.Request) {
      const request = RequestMessageSchema.safeParse(json);
      if (request.success && request.data.lockset && (request.data.pos ?? 0) === 0) {
        held.set(request.data.id, { lockRequestId: request.data.id, lockSet: request.data.lockset });
      }
    }
  }
  return [...held.values()];
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Index of the newest OrchestratorStarted, -1 when none. */
export function lastEpisodeStart(history: readonly HistoryEvent[]): number {
  for (let i = history.length - 1; i >= 0; i--) if (history[i]?.type === 'OrchestratorStarted') return i;
  return -1;
}
