/**
 * Which pending messages an orchestration episode applies. A message can be delivered more than
 * once (a crash between commit and delete, a re-sent completion), so each is checked against the
 * execution's history and the messages before it in the same batch: an activity result, timer or
 * event is applied to a history once.
 */
import type { HistoryEvent } from './history-event.js';
import { readHistory } from './orchestration-history.js';
import { rewindExecution } from './orchestration-rewind.js';
import type { InstanceMessage } from './work.js';
import { isEntityInstanceId } from './entity-messages.js';

/** Why a message was not applied. */
export const DropReason = {
  /** Addressed to another execution of the instance (an older generation, or a new one not started here). */
  OtherExecution: 'other-execution',
  /** ExecutionStarted for an execution that already started. */
  AlreadyStarted: 'already-started',
  /** Anything but ExecutionStarted for an instance that has not started. */
  NotStarted: 'not-started',
  /** The execution has ended (completed, failed, terminated, continued as new). */
  ExecutionEnded: 'execution-ended',
  /** A completion for a task that already completed, a timer that already fired, or an entity answer already applied. */
  Duplicate: 'duplicate',
  /** A completion for a task or timer never scheduled in this execution. */
  NeverScheduled: 'never-scheduled',
  /** Suspend of a suspended instance, resume of one that is not suspended, a second terminate, rewind of an execution that has not failed. */
  NoEffect: 'no-effect',
  /** An event type that is never a message (OrchestratorStarted, TaskScheduled, ...). */
  NotAMessage: 'not-a-message',
} as const;
export type DropReasonValue = (typeof DropReason)[keyof typeof DropReason];

export interface InstanceState {
  /** Committed events of the current execution; empty when the instance has none. */
  history: readonly HistoryEvent[];
}

export interface AcceptedMessages {
  /** Apply these in this episode, in this order. */
  accepted: InstanceMessage[];
  /** Delete these without applying them. */
  dropped: { message: InstanceMessage; reason: DropReasonValue }[];
  /** Keep these pending: the instance is suspended; deliver them again after it resumes. */
  held: InstanceMessage[];
  /**
   * True when an ExecutionStarted for a new execution id was accepted while the current execution
   * has ended (a start that overwrites a terminal instance): the episode starts from an empty history.
   */
  newExecution: boolean;
  /**
   * True when an ExecutionRewound for the failed current execution was accepted: the episode
   * starts from its rewound history (`applyRewind`) under a new execution id.
   */
  rewind?: boolean;
}

const controlTypes = new Set<HistoryEvent['type']>(['ExecutionStarted', 'ExecutionTerminated', 'ExecutionSuspended', 'ExecutionResumed']);

/** Sort a batch into accepted, dropped (with the reason) and held messages. */
export function acceptMessages(state: InstanceState, messages: readonly InstanceMessage[]): AcceptedMessages {
  const facts = readHistory(state.history);
  let executionId = facts.started?.executionId;
  let ended = facts.finalStatus !== undefined;
  let failed = facts.finalStatus === 'Failed';
  let rewind = false;
  let suspended = facts.suspended;
  let terminated = false;
  let newExecution = false;
  let scheduled = new Map([...facts.scheduled].map(([k, e]) => [k, e.type]));
  const done = new Set(facts.completedTasks);
  const fired = new Set(facts.firedTimers);
  const accepted: InstanceMessage[] = [];
  const dropped: AcceptedMessages['dropped'] = [];
  const drop = (message: InstanceMessage, reason: DropReasonValue) => dropped.push({ message, reason });
  // Entity answers (EventRaised named by the request id) already applied: an entity answers a
  // request once, so a second copy is a re-delivery (its post-commit redone after a crash).
  // Built on first need from the history the next messages apply to.
  let answersFrom: readonly HistoryEvent[] = state.history;
  let answered: Set<string> | undefined;

  for (const message of messages) {
    const event = message.event;
    if (event.type === 'ExecutionStarted') {
      if (executionId === undefined || (ended && event.executionId !== executionId)) {
        if (executionId !== undefined) newExecution = true;
        executionId = event.executionId;
        ended = false;
        failed = false;
        rewind = false;
        suspended = false;
        terminated = false;
        scheduled = new Map();
        done.clear();
        fired.clear();
        answersFrom = [];
        answered = undefined;
        accepted.push(message);
      } else {
        drop(message, DropReason.AlreadyStarted);
      }
      continue;
    }
    if (executionId === undefined) {
      drop(message, DropReason.NotStarted);
      continue;
    }
    // After a rewind in this batch, the execution a message could name is the failed one.
    if (message.targetExecutionId !== undefined && (rewind || message.targetExecutionId !== executionId)) {
      drop(message, DropReason.OtherExecution);
      continue;
    }
    if (event.type === 'ExecutionRewound') {
      if (!failed) {
        drop(message, ended ? DropReason.ExecutionEnded : DropReason.NoEffect);
        continue;
      }
      // What the rewound execution has scheduled and completed, for the messages after this one.
      const rewoundHistory = rewindExecution({ history: state.history, rewind: event, newExecutionId: executionId }).history;
      const rewound = readHistory(rewoundHistory);
      answersFrom = rewoundHistory;
      answered = undefined;
      scheduled = new Map([...rewound.scheduled].map(([k, e]) => [k, e.type]));
      done.clear();
      for (const id of rewound.completedTasks) done.add(id);
      fired.clear();
      for (const id of rewound.firedTimers) fired.add(id);
      ended = false;
      failed = false;
      rewind = true;
      accepted.push(message);
      continue;
    }
    if (ended) {
      drop(message, DropReason.ExecutionEnded);
      continue;
    }
    const reason = event.type === 'EventRaised' && message.sender !== undefined && isEntityInstanceId(message.sender) ? entityAnswer(event.name) : check(event);
    if (reason) drop(message, reason);
    else accepted.push(message);
  }

  function check(event: HistoryEvent): DropReasonValue | undefined {
    switch (event.type) {
      case 'TaskCompleted':
      case 'TaskFailed':
        return completion(event.taskScheduledId, 'TaskScheduled');
      case 'SubOrchestrationInstanceCompleted':
      case 'SubOrchestrationInstanceFailed':
        return completion(event.taskScheduledId, 'SubOrchestrationInstanceCreated');
      case 'TimerFired':
        if (scheduled.get(event.timerId) !== 'TimerCreated') return DropReason.NeverScheduled;
        if (fired.has(event.timerId)) return DropReason.Duplicate;
        fired.add(event.timerId);
        return undefined;
      case 'EventRaised':
        return undefined;
      case 'ExecutionTerminated':
        if (terminated) return DropReason.NoEffect;
        terminated = true;
        return undefined;
      case 'ExecutionSuspended':
        if (suspended) return DropReason.NoEffect;
        suspended = true;
        return undefined;
      case 'ExecutionResumed':
        if (!suspended) return DropReason.NoEffect;
        suspended = false;
        return undefined;
      default:
        return DropReason.NotAMessage;
    }
  }

  function entityAnswer(name: string): DropReasonValue | undefined {
    answered ??= new Set(answersFrom.flatMap((e) => (e.type === 'EventRaised' ? [e.name] : [])));
    if (answered.has(name)) return DropReason.Duplicate;
    answered.add(name);
    return undefined;
  }

  function completion(taskId: number, scheduledAs: HistoryEvent['type']): DropReasonValue | undefined {
    if (scheduled.get(taskId) !== scheduledAs) return DropReason.NeverScheduled;
    if (done.has(taskId)) return DropReason.Duplicate;
    done.add(taskId);
    return undefined;
  }

  // While the instance stays suspended, only control messages apply; the rest wait for resume.
  if (suspended && !terminated) {
    return {
      accepted: accepted.filter((m) => controlTypes.has(m.event.type)),
      dropped,
      held: accepted.filter((m) => !controlTypes.has(m.event.type)),
      newExecution,
      ...(rewind ? { rewind } : {}),
    };
  }
  return { accepted, dropped, held: [], newExecution, ...(rewind ? { rewind } : {}) };
}
