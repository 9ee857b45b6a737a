/**
 * Orchestration history events, the Durable Task Framework's `HistoryEvent` family in camelCase.
 * Wire forms (PascalCase JSON for the JS library, table rows for the task hub) are converted at
 * the edge in `../wire/`.
 * @see https://github.com/Azure/durabletask/tree/main/src/DurableTask.Core/History
 */

/** DTFx `EventType` numbers; the JS library and the History table use these (names in the table). */
export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionFailed: 2,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventSent: 14,
  EventRaised: 15,
  ContinueAsNew: 16,
  GenericEvent: 17,
  HistoryState: 18,
  ExecutionSuspended: 19,
  ExecutionResumed: 20,
  ExecutionRewound: 21,
} as const;
export type EventTypeName = keyof typeof EventType;

/** DTFx `OrchestrationStatus`; the Instances table stores the names. */
export const OrchestrationStatus = {
  Running: 0,
  Completed: 1,
  ContinuedAsNew: 2,
  Failed: 3,
  Canceled: 4,
  Terminated: 5,
  Pending: 6,
  Suspended: 7,
} as const;
export type OrchestrationStatusName = keyof typeof OrchestrationStatus;

export interface FailureDetails {
  errorType: string;
  errorMessage: string;
  stackTrace?: string;
  innerFailure?: FailureDetails;
  isNonRetriable?: boolean;
}

export interface ParentInstance {
  name: string;
  version: string;
  taskScheduleId: number;
  instanceId: string;
  executionId: string;
}

interface Base {
  /** Sequence number for scheduling events (TaskScheduled, TimerCreated, SubOrchestrationInstanceCreated, EventSent), -1 otherwise. */
  eventId: number;
  isPlayed: boolean;
  /** ISO-8601 UTC with a `Z`. */
  timestamp: string;
}

export type HistoryEvent =
  | (Base & {
      type: 'ExecutionStarted';
      name: string;
      version: string;
      /** JSON text, or undefined for no input. */
      input?: string;
      instanceId: string;
      executionId: string;
      parent?: ParentInstance;
      tags?: Record<string, string>;
      scheduledStartTime?: string;
      generation?: number;
    })
  | (Base & { type: 'ExecutionCompleted'; orchestrationStatus: OrchestrationStatusName; result?: string; failureDetails?: FailureDetails })
  | (Base & { type: 'ExecutionTerminated'; input?: string })
  | (Base & { type: 'TaskScheduled'; name: string; version: string; input?: string })
  | (Base & { type: 'TaskCompleted'; taskScheduledId: number; result?: string })
  | (Base & { type: 'TaskFailed'; taskScheduledId: number; reason?: string; details?: string; failureDetails?: FailureDetails })
  | (Base & { type: 'SubOrchestrationInstanceCreated'; name: string; version: string; instanceId: string; input?: string })
  | (Base & { type: 'SubOrchestrationInstanceCompleted'; taskScheduledId: number; result?: string })
  | (Base & { type: 'SubOrchestrationInstanceFailed'; taskScheduledId: number; reason?: string; details?: string; failureDetails?: FailureDetails })
  | (Base & { type: 'TimerCreated'; fireAt: string })
  | (Base & { type: 'TimerFired'; timerId: number; fireAt: string })
  | (Base & { type: 'OrchestratorStarted' })
  | (Base & { type: 'OrchestratorCompleted' })
  | (Base & { type: 'EventSent'; instanceId: string; name: string; input?: string })
  | (Base & { type: 'EventRaised'; name: string; input?: string })
  | (Base & { type: 'ContinueAsNew'; result?: string })
  | (Base & { type: 'GenericEvent'; data?: string })
  | (Base & { type: 'ExecutionSuspended'; reason?: string })
  | (Base & { type: 'ExecutionResumed'; reason?: string })
  | (Base & {
      type: 'ExecutionRewound';
      reason?: string;
      /** Set when a rewinding parent rewinds its failed child: the parent's new execution, which the child reports to. */
      parentExecutionId?: string;
    });

export type HistoryEventOf<T extends HistoryEvent['type']> = Extract<HistoryEvent, { type: T }>;

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
