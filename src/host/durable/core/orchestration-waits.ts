/**
 * What a running execution is waiting for, read from its history: timers not yet fired, and
 * whether anything else (an activity, a sub-orchestration, an entity call or lock) is outstanding.
 * The engine uses it to drop the timers of an execution that ended and to forget dormant
 * instances (those waiting only on timers and external events) from memory.
 */
import { EntityMessageName, RequestMessageSchema } from './entity-messages.js';
import type { HistoryEvent } from './history-event.js';

export interface PendingTimer {
  timerId: number;
  fireAt: string;
}

/** Timers the history created and that have not fired. */
export function pendingTimers(history: readonly HistoryEvent[]): PendingTimer[] {
  const fired = new Set<number>();
  for (const e of history) if (e.type === 'TimerFired') fired.add(e.timerId);
  const pending: PendingTimer[] = [];
  for (const e of history) if (e.type === 'TimerCreated' && !fired.has(e.eventId)) pending.push({ timerId: e.eventId, fireAt: e.fireAt });
  return pending;
}

/**
 * True when the execution is running and waits only for timers or external events: no activity or
 * sub-orchestration without its completion, no entity call or lock request without its response.
 * Such an instance gets its next message from a durable timer or a client, usually much later, so
 * keeping it in memory buys nothing (DTFx ends an orchestration's session in the same case).
 */
export function waitsOnlyOnTimersOrEvents(history: readonly HistoryEvent[]): boolean {
  let started = false;
  const open = new Set<number>();
  const calls = new Set<string>();
  for (const e of history) {
    switch (e.type) {
      case 'ExecutionStarted':
        started = true;
        break;
      case 'ExecutionCompleted':
      case 'ContinueAsNew':
        return false;
      case 'TaskScheduled':
      case 'SubOrchestrationInstanceCreated':
        open.add(e.eventId);
        break;
      case 'TaskCompleted':
      case 'TaskFailed':
      case 'SubOrchestrationInstanceCompleted':
      case 'SubOrchestrationInstanceFailed':
        open.delete(e.taskScheduledId);
        break;
      case 'EventSent': {
        const id = awaitedResponseIdOf(e);
        if (id !== undefined) calls.add(id);
        break;
      }
      case 'EventRaised':
        calls.delete(e.name);
        break;
      default:
        break;
    }
  }
  return started && open.size === 0 && calls.size === 0;
}

/** {@link awaitedResponseId} once per event object (an instance checks its whole history after every turn). */
const awaitedIds = new WeakMap<HistoryEvent, string | null>();

function awaitedResponseIdOf(e: HistoryEvent & { name: string; input?: string }): string | undefined {
  let id = awaitedIds.get(e);
  if (id === undefined) {
    id = awaitedResponseId(e.name, e.input) ?? null;
    awaitedIds.set(e, id);
  }
  return id ?? undefined;
}

/** The request id an entity call or lock request waits for (its response is an EventRaised of that name); undefined for signals and other events. */
function awaitedResponseId(name: string, input: string | undefined): string | undefined {
  if (name !== EntityMessageName.Request || input === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(input);
  } catch {
    return undefined;
  }
  const request = RequestMessageSchema.safeParse(json);
  if (!request.success || request.data.signal === true) return undefined;
  // A lock request goes to the first entity of the lock set and is answered once the whole set is held.
  if (request.data.lockset && (request.data.pos ?? 0) !== 0) return undefined;
  return request.data.id;
}
