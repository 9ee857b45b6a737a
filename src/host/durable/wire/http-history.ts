/**
 * The `historyEvents` of a status response (`showHistory=true`): the DTFx history in its
 * PascalCase JSON form, transformed as the extension does for people rather than for replay.
 * Scheduling rows whose completion is present are folded into it (`FunctionName`,
 * `ScheduledTime`, optionally `Input`); episode markers and bookkeeping fields are dropped;
 * results appear, parsed, only with `showHistoryOutput`; inputs only with `showInput`.
 * @see durable-protocol.md F; extension DurableClient.GetDurableOrchestrationStatusAsync
 */
import { type FailureDetails, type HistoryEvent, assertNever } from '../core/history-event.js';
import { parseStoredJson } from './http-stored-json.js';

export interface HistoryPayloadOptions {
  showHistoryOutput: boolean;
  showInput: boolean;
}

export type HistoryPayloadEvent = Record<string, unknown>;

type Scheduling = Extract<HistoryEvent, { type: 'TaskScheduled' | 'SubOrchestrationInstanceCreated' }>;

export function historyEventsPayload(history: readonly HistoryEvent[], o: HistoryPayloadOptions): HistoryPayloadEvent[] {
  // Completion rows name their scheduling row by its EventId; find those first, since a
  // scheduling row is dropped only when a completion takes its place.
  const scheduled = new Map<string, Scheduling>();
  for (const e of history) {
    if (e.type === 'TaskScheduled') scheduled.set(`task:${e.eventId}`, e);
    if (e.type === 'SubOrchestrationInstanceCreated') scheduled.set(`sub:${e.eventId}`, e);
  }
  const folded = new Set<Scheduling>();
  for (const e of history) {
    const key = completionKey(e);
    const s = key === undefined ? undefined : scheduled.get(key);
    if (s) folded.add(s);
  }

  const out: HistoryPayloadEvent[] = [];
  for (const e of history) {
    if (e.type === 'OrchestratorStarted' || e.type === 'OrchestratorCompleted') continue;
    if ((e.type === 'TaskScheduled' || e.type === 'SubOrchestrationInstanceCreated') && folded.has(e)) continue;
    const key = completionKey(e);
    const source = key === undefined ? undefined : scheduled.get(key);
    out.push(transform(e, source, o));
  }
  return out;
}

function completionKey(e: HistoryEvent): string | undefined {
  switch (e.type) {
    case 'TaskCompleted':
    case 'TaskFailed':
      return `task:${e.taskScheduledId}`;
    case 'SubOrchestrationInstanceCompleted':
    case 'SubOrchestrationInstanceFailed':
      return `sub:${e.taskScheduledId}`;
    default:
      return undefined;
  }
}

function transform(e: HistoryEvent, source: Scheduling | undefined, o: HistoryPayloadOptions): HistoryPayloadEvent {
  const item: HistoryPayloadEvent = { EventType: e.type };
  const input = (value: string | undefined) => {
    if (o.showInput && value !== undefined) item.Input = value;
  };
  const result = (value: string | undefined) => {
    if (o.showHistoryOutput) item.Result = parseStoredJson(value);
  };
  const fromSource = () => {
    if (!source) return;
    item.ScheduledTime = source.timestamp;
    item.FunctionName = source.name;
    input(source.input);
  };
  switch (e.type) {
    case 'ExecutionStarted':
      item.FunctionName = e.name;
      input(e.input);
      if (e.scheduledStartTime !== undefined) item.ScheduledStartTime = e.scheduledStartTime;
      if (e.generation !== undefined) item.Generation = e.generation;
      break;
    case 'ExecutionCompleted':
      item.OrchestrationStatus = e.orchestrationStatus;
      result(e.result);
      if (e.failureDetails) item.FailureDetails = failureDetailsJson(e.failureDetails);
      break;
    case 'ExecutionTerminated':
      input(e.input);
      break;
    case 'TaskScheduled':
    case 'SubOrchestrationInstanceCreated':
      item.Name = e.name;
      if (e.type === 'SubOrchestrationInstanceCreated') item.InstanceId = e.instanceId;
      input(e.input);
      break;
    case 'TaskCompleted':
    case 'SubOrchestrationInstanceCompleted':
      result(e.result);
      fromSource();
      break;
    case 'TaskFailed':
    case 'SubOrchestrationInstanceFailed':
      if (e.reason !== undefined) item.Reason = e.reason;
      if (e.details !== undefined) item.Details = e.details;
      if (e.failureDetails) item.FailureDetails = failureDetailsJson(e.failureDetails);
      fromSource();
      break;
    case 'TimerCreated':
    case 'TimerFired':
      item.FireAt = e.fireAt;
      break;
    case 'EventSent':
      item.InstanceId = e.instanceId;
      item.Name = e.name;
      input(e.input);
      break;
    case 'EventRaised':
      item.Name = e.name;
      input(e.input);
      break;
    case 'ContinueAsNew':
      // Not special-cased by the extension: the new input stays as stored text.
      if (e.result !== undefined) item.Result = e.result;
      break;
    case 'GenericEvent':
      if (e.data !== undefined) item.Data = e.data;
      break;
    case 'ExecutionSuspended':
    case 'ExecutionResumed':
    case 'ExecutionRewound':
      if (e.reason !== undefined) item.Reason = e.reason;
      break;
    case 'OrchestratorStarted':
    case 'OrchestratorCompleted':
      break;
    default:
      assertNever(e, 'history event');
  }
  item.Timestamp = e.timestamp;
  return item;
}

function failureDetailsJson(f: FailureDetails): Record<string, unknown> {
  return {
    ErrorType: f.errorType,
    ErrorMessage: f.errorMessage,
    StackTrace: f.stackTrace ?? null,
    InnerFailure: f.innerFailure ? failureDetailsJson(f.innerFailure) : null,
    IsNonRetriable: f.isNonRetriable ?? false,
  };
}
