/**
 * Rewind of a failed orchestration (durable-protocol.md B.15), the way current DTFx does it
 * (`TaskOrchestrationDispatcher.ProcessRewindOrchestrationDecision`): the failed execution's
 * history is rewritten under a new execution id without its failures, and the orchestrator runs
 * again; the failed operations have lost their scheduling events, so the replay issues them again
 * with their original sequence numbers. Failed sub-orchestrations keep their creation event and
 * are rewound themselves (recursively), reporting back to the parent's new execution.
 * @see https://github.com/Azure/durabletask/blob/main/src/DurableTask.Core/TaskOrchestrationDispatcher.cs
 */
import type { HistoryEvent, HistoryEventOf } from './history-event.js';
import { outboundMessageId } from './orchestration-ids.js';
import type { InstanceMessage, OutboundWork } from './work.js';

export type ExecutionRewoundEvent = HistoryEventOf<'ExecutionRewound'>;

export interface RewindInput {
  /** The failed execution's committed history (ending in ExecutionCompleted(Failed) and OrchestratorCompleted). */
  history: readonly HistoryEvent[];
  /** The accepted ExecutionRewound event (a client's, or a rewinding parent's with `parentExecutionId`). */
  rewind: ExecutionRewoundEvent;
  newExecutionId: string;
}

export interface RewoundExecution {
  /** The history of the new execution, without this episode's events (the episode appends OrchestratorStarted and the ExecutionRewound). */
  history: HistoryEvent[];
  /** One ExecutionRewound message per failed sub-orchestration whose creation is kept. */
  work: OutboundWork[];
}

const SCHEDULING = new Set<HistoryEvent['type']>(['TaskScheduled', 'SubOrchestrationInstanceCreated', 'TimerCreated', 'EventSent']);

/**
 * Rewrite a failed execution for its rewind. Removed: the failed TaskScheduled/TaskFailed pairs,
 * every SubOrchestrationInstanceFailed, ExecutionCompleted with its episode's OrchestratorCompleted,
 * and everything scheduled from the first failure on (with its completions): that work exists only
 * because the orchestrator saw a failure (a catch block, a retry's timers and later attempts), and a
 * re-run that succeeds would otherwise read those results as the results of its own next calls (the
 * regression test of azure-functions-durable-extension#444 in DTFx's RewindTests). Removing more is
 * always safe: what is removed is scheduled again under the same number.
 */
export function rewindExecution(input: RewindInput): RewoundExecution {
  const { history, rewind, newExecutionId } = input;
  const failedTasks = new Set<number>();
  const failedChildren = new Set<number>();
  let firstFailure = history.length;
  history.forEach((e, i) => {
    if (e.type !== 'TaskFailed' && e.type !== 'SubOrchestrationInstanceFailed') return;
    (e.type === 'TaskFailed' ? failedTasks : failedChildren).add(e.taskScheduledId);
    firstFailure = Math.min(firstFailure, i);
  });
  const completedTasks = new Set<number>();
  for (const e of history) if (e.type === 'TaskCompleted' || e.type === 'SubOrchestrationInstanceCompleted') completedTasks.add(e.taskScheduledId);

  // Sequence numbers whose scheduling event goes, so that the replay schedules them again.
  const removed = new Set<number>();
  history.forEach((e, i) => {
    if (!SCHEDULING.has(e.type)) return;
    const activityWithoutResult = e.type === 'TaskScheduled' && !completedTasks.has(e.eventId);
    if (i > firstFailure || failedTasks.has(e.eventId) || activityWithoutResult) removed.add(e.eventId);
  });

  const kept: HistoryEvent[] = [];
  const work: OutboundWork[] = [];
  let started: HistoryEventOf<'ExecutionStarted'> | undefined;
  for (let i = 0; i < history.length; i++) {
    const e = history[i] as HistoryEvent;
    switch (e.type) {
      case 'ExecutionCompleted':
        // Its episode's OrchestratorCompleted follows it (orchestration-turn.ts `finish`).
        if (history[i + 1]?.type === 'OrchestratorCompleted') i++;
        continue;
      case 'TaskFailed':
      case 'SubOrchestrationInstanceFailed':
        continue;
      case 'TaskCompleted':
      case 'SubOrchestrationInstanceCompleted':
        if (removed.has(e.taskScheduledId)) continue;
        break;
      case 'TimerFired':
        if (removed.has(e.timerId)) continue;
        break;
      case 'ExecutionStarted':
        started = withNewExecution(e, newExecutionId, rewind.parentExecutionId);
        kept.push(started);
        continue;
      default:
        if (SCHEDULING.has(e.type) && removed.has(e.eventId)) continue;
        if (e.type === 'SubOrchestrationInstanceCreated' && failedChildren.has(e.eventId)) {
          work.push({ kind: 'message', message: childRewind(started, e, rewind, newExecutionId) });
        }
    }
    kept.push(e);
  }
  return { history: kept, work };
}

function withNewExecution(e: HistoryEventOf<'ExecutionStarted'>, executionId: string, parentExecutionId: string | undefined): HistoryEventOf<'ExecutionStarted'> {
  // A rewound child reports to its parent's new execution (DTFx: ExecutionRewoundEvent.ParentExecutionId).
  const parent = e.parent && parentExecutionId ? { ...e.parent, executionId: parentExecutionId } : e.parent;
  return { ...e, executionId, ...(parent ? { parent } : {}) };
}

function childRewind(
  started: HistoryEventOf<'ExecutionStarted'> | undefined,
  created: HistoryEventOf<'SubOrchestrationInstanceCreated'>,
  rewind: ExecutionRewoundEvent,
  newExecutionId: string,
): InstanceMessage {
  const instanceId = started?.instanceId ?? '';
  return {
    messageId: outboundMessageId(instanceId, newExecutionId, `rewind-${created.eventId}`),
    targetInstanceId: created.instanceId,
    event: {
      type: 'ExecutionRewound',
      eventId: -1,
      isPlayed: false,
      timestamp: rewind.timestamp,
      ...(rewind.reason !== undefined ? { reason: rewind.reason } : {}),
      parentExecutionId: newExecutionId,
    },
    sender: instanceId,
  };
}

/**
 * The rewound history a turn starts from when `accepted` holds an ExecutionRewound (accepted only
 * for a failed execution by `acceptMessages`); undefined when it holds none.
 */
export function applyRewind(history: readonly HistoryEvent[], accepted: readonly InstanceMessage[], newExecutionId: string): RewoundExecution | undefined {
  const rewind = accepted.find((m) => m.event.type === 'ExecutionRewound')?.event;
  if (rewind?.type !== 'ExecutionRewound') return undefined;
  return rewindExecution({ history, rewind, newExecutionId });
}
