/**
 * The orchestration trigger's input (durable-protocol.md B.1): the current execution's history as
 * DTFx serializes it (PascalCase, integer `EventType`, nulls included) plus the binding fields the
 * JS library requires.
 * @see https://github.com/Azure/azure-functions-durable-extension/blob/v2.13.7/src/WebJobs.Extensions.DurableTask/Bindings/OrchestrationTriggerAttributeBindingProvider.cs
 */
import { EventType, OrchestrationStatus, type FailureDetails, type HistoryEvent, type HistoryEventOf } from '../core/history-event.js';

/**
 * Replay schema the payload advertises. The JS uses `upperSchemaVersionNew` when truthy: 3 = V4,
 * which enables `context.df.lock()` (C.6) and keeps V3's one-action-per-retry/long-timer/polling form.
 */
export const UPPER_SCHEMA_VERSION = 1;
export const UPPER_SCHEMA_VERSION_NEW = 3;
/**
 * .NET `TimeSpan.MaxValue`: advertised as the longest "short" timer so that the JS never splits a
 * timer into a chain of sub-timers (B.10); the engine schedules every timer as one.
 */
export const MAXIMUM_SHORT_TIMER_DURATION = '10675199.02:48:05.4775807';
/** Azure Storage provider's value; unused while no timer is long, but V3+ requires the field. */
export const LONG_RUNNING_TIMER_INTERVAL_DURATION = '3.00:00:00';
/** HttpOptions default: the poll delay of a 202 without Retry-After. */
export const DEFAULT_HTTP_ASYNC_REQUEST_SLEEP_MS = 30_000;

/** A history event as the JS reads it (B.2). */
export type HistoryEventJson = { EventType: number; EventId: number; IsPlayed: boolean; Timestamp: string } & Record<string, unknown>;

/** The object placed (as JSON text) in the orchestration trigger's `inputData`. */
export interface OrchestrationTriggerPayload {
  history: HistoryEventJson[];
  input: unknown;
  instanceId: string;
  isReplaying: boolean;
  parentInstanceId: string | null;
  upperSchemaVersion: number;
  upperSchemaVersionNew: number;
  longRunningTimerIntervalDuration: string;
  maximumShortTimerDuration: string;
  /** The misspelling is the extension's, and the JS reads it so. */
  defaultHttpAsyncRequestSleepTimeMillseconds: number;
}

export class TriggerPayloadError extends Error {
  override name = 'TriggerPayloadError';
}

/** Options of {@link buildOrchestrationTriggerPayload}. */
export interface TriggerPayloadOptions {
  /** @default DEFAULT_HTTP_ASYNC_REQUEST_SLEEP_MS */
  httpAsyncSleepMs?: number;
}

/**
 * Build the trigger payload for one episode. `history` is the current execution's events, oldest
 * first, ending with this episode's events. `IsPlayed` is recomputed from position: events before
 * the newest OrchestratorStarted are played, the newest episode's are not (the JS derives
 * `isReplaying` from that).
 */
export function buildOrchestrationTriggerPayload(history: readonly HistoryEvent[], options: TriggerPayloadOptions = {}): OrchestrationTriggerPayload {
  const { started, lastStart } = episodeBounds(history);
  const json = history.map((e, i) => historyEventToJson({ ...e, isPlayed: i < lastStart }));
  return { history: json, ...payloadFields(history, started, lastStart, options) };
}

/**
 * Played events' JSON text, by event object. A hot instance passes the same event objects to
 * every episode, so each event is converted once as played instead of once per episode (a
 * sequence of n steps converted O(n^2) events). Events are never changed in place; a cold load
 * makes new objects, and the entries go with them.
 */
const playedJson = new WeakMap<HistoryEvent, string>();

/**
 * {@link buildOrchestrationTriggerPayload} as the JSON text the trigger carries (the same JSON):
 * played events come from {@link playedJson}, only the episode's new events are converted.
 */
export function orchestrationTriggerPayloadText(history: readonly HistoryEvent[], options: TriggerPayloadOptions = {}): string {
  const { started, lastStart } = episodeBounds(history);
  const events: string[] = new Array<string>(history.length);
  for (let i = 0; i < history.length; i++) {
    const e = history[i] as HistoryEvent;
    if (i < lastStart) {
      let text = playedJson.get(e);
      if (text === undefined) {
        text = JSON.stringify(historyEventToJson(e.isPlayed ? e : { ...e, isPlayed: true }));
        playedJson.set(e, text);
      }
      events[i] = text;
    } else {
      events[i] = JSON.stringify(historyEventToJson(e.isPlayed ? { ...e, isPlayed: false } : e));
    }
  }
  const rest = JSON.stringify(payloadFields(history, started, lastStart, options));
  return `{"history":[${events.join(',')}],${rest.slice(1)}`;
}

function episodeBounds(history: readonly HistoryEvent[]): { started: HistoryEventOf<'ExecutionStarted'>; lastStart: number } {
  const started = history.find((e) => e.type === 'ExecutionStarted');
  if (!started || started.type !== 'ExecutionStarted') throw new TriggerPayloadError('the history has no ExecutionStarted event');
  let lastStart = -1;
  for (let i = history.length - 1; i >= 0; i--) {
    if (history[i]?.type === 'OrchestratorStarted') {
      lastStart = i;
      break;
    }
  }
  if (lastStart === -1) throw new TriggerPayloadError('the history has no OrchestratorStarted event');
  return { started, lastStart };
}

/** Every field of the payload but `history`, in the order the payload object has them. */
function payloadFields(history: readonly HistoryEvent[], started: HistoryEventOf<'ExecutionStarted'>, lastStart: number, options: TriggerPayloadOptions): Omit<OrchestrationTriggerPayload, 'history'> {
  const startedIndex = history.indexOf(started);
  return {
    input: started.input === undefined ? null : parseJsonOrString(started.input),
    instanceId: started.instanceId,
    isReplaying: startedIndex < lastStart,
    parentInstanceId: started.parent?.instanceId ?? null,
    upperSchemaVersion: UPPER_SCHEMA_VERSION,
    upperSchemaVersionNew: UPPER_SCHEMA_VERSION_NEW,
    longRunningTimerIntervalDuration: LONG_RUNNING_TIMER_INTERVAL_DURATION,
    maximumShortTimerDuration: MAXIMUM_SHORT_TIMER_DURATION,
    defaultHttpAsyncRequestSleepTimeMillseconds: options.httpAsyncSleepMs ?? DEFAULT_HTTP_ASYNC_REQUEST_SLEEP_MS,
  };
}

/** Stored inputs are JSON text; a plain string (never expected) is passed through rather than failing the episode. */
function parseJsonOrString(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** One event in DTFx's Newtonsoft form: PascalCase DataMember names, integer EventType, nulls kept. */
export function historyEventToJson(e: HistoryEvent): HistoryEventJson {
  const base = { EventType: EventType[e.type], EventId: e.eventId, IsPlayed: e.isPlayed, Timestamp: e.timestamp };
  switch (e.type) {
    case 'ExecutionStarted':
      return {
        ...base,
        OrchestrationInstance: { InstanceId: e.instanceId, ExecutionId: e.executionId },
        ParentInstance: e.parent
          ? {
              Name: e.parent.name,
              Version: e.parent.version,
              TaskScheduleId: e.parent.taskScheduleId,
              OrchestrationInstance: { InstanceId: e.parent.instanceId, ExecutionId: e.parent.executionId },
            }
          : null,
        Name: e.name,
        Version: e.version,
        Input: e.input ?? null,
        Tags: e.tags ?? null,
        Correlation: null,
        ScheduledStartTime: e.scheduledStartTime ?? null,
        Generation: e.generation ?? 0,
      };
    case 'ExecutionCompleted':
      return {
        ...base,
        OrchestrationStatus: OrchestrationStatus[e.orchestrationStatus],
        Result: e.result ?? null,
        FailureDetails: failureDetailsJson(e.failureDetails),
      };
    case 'ExecutionTerminated':
      return { ...base, Input: e.input ?? null };
    case 'TaskScheduled':
      return { ...base, Name: e.name, Version: e.version, Input: e.input ?? null };
    case 'TaskCompleted':
    case 'SubOrchestrationInstanceCompleted':
      return { ...base, TaskScheduledId: e.taskScheduledId, Result: e.result ?? null };
    case 'TaskFailed':
    case 'SubOrchestrationInstanceFailed':
      // The JS builds `Error(`${Reason} \n ${Details}`)` only when both are strings and throws
      // "could not parse its exception data" otherwise, so absent texts become empty strings.
      return {
        ...base,
        TaskScheduledId: e.taskScheduledId,
        Reason: e.reason ?? '',
        Details: e.details ?? '',
        FailureDetails: failureDetailsJson(e.failureDetails),
      };
    case 'SubOrchestrationInstanceCreated':
      return { ...base, Name: e.name, Version: e.version, InstanceId: e.instanceId, Input: e.input ?? null };
    case 'TimerCreated':
      return { ...base, FireAt: e.fireAt };
    case 'TimerFired':
      return { ...base, TimerId: e.timerId, FireAt: e.fireAt };
    case 'OrchestratorStarted':
    case 'OrchestratorCompleted':
      return base;
    case 'EventSent':
      return { ...base, InstanceId: e.instanceId, Name: e.name, Input: e.input ?? null };
    case 'EventRaised':
      return { ...base, Name: e.name, Input: e.input ?? null };
    case 'ContinueAsNew':
      return { ...base, Result: e.result ?? null };
    case 'GenericEvent':
      return { ...base, Data: e.data ?? null };
    case 'ExecutionSuspended':
    case 'ExecutionResumed':
    case 'ExecutionRewound':
      return { ...base, Reason: e.reason ?? null };
  }
}

function failureDetailsJson(details: FailureDetails | undefined): Record<string, unknown> | null {
  if (!details) return null;
  return {
    ErrorType: details.errorType,
    ErrorMessage: details.errorMessage,
    StackTrace: details.stackTrace ?? null,
    InnerFailure: failureDetailsJson(details.innerFailure),
    IsNonRetriable: details.isNonRetriable ?? false,
  };
}
