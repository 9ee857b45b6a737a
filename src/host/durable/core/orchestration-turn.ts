/**
 * What the Durable extension does with an orchestrator's reply (durable-protocol.md B.6-B.14): the
 * events appended to history, the outbound work, and the new status. Pure: the engine invokes the
 * orchestrator, calls {@link decideEpisode}, commits `appended`, then carries out `work`.
 */
import type { HistoryEvent, OrchestrationStatusName } from './history-event.js';
import { heldLocks, lastEpisodeStart, readHistory, type ExecutionStartedEvent } from './orchestration-history.js';
import { invalidSubOrchestrationId, orchestratorFailed, unknownCallee, type CalleeKind, type OrchestrationFailureText } from './orchestration-failure.js';
import { outboundMessageId } from './orchestration-ids.js';
import { lastRequestsByEntity, preEncodedInputText, scheduleOp, type SchedulingContext } from './orchestration-scheduling.js';
import { simulateReplay } from './replay-simulation.js';
import type { AllocatedOp } from './replay-tasks.js';
import type { InstanceMessage, OutboundWork } from './work.js';
import { parseEntityInstanceId } from './entity-messages.js';
import { DEFAULT_HTTP_ASYNC_REQUEST_SLEEP_MS } from '../wire/orchestration-trigger-payload.js';
import type { OrchestratorFailure, OrchestratorState } from '../wire/orchestrator-state.js';

/** Whether the app registers a function of that kind (lookup is case-insensitive in the host). */
export type IsRegistered = (kind: CalleeKind, name: string) => boolean;

/** The orchestrator invocation's outcome: a reply, or a thrown error read by `parseOrchestratorFailure`. */
export type EpisodeOutcome = { kind: 'reply'; state: OrchestratorState } | { kind: 'failure'; failure: OrchestratorFailure };

export interface DecideEpisodeInput {
  /** The current execution's committed history followed by this episode's events (from `startEpisode`). */
  history: readonly HistoryEvent[];
  outcome: EpisodeOutcome;
  /** Timestamp of the appended events. @default the newest OrchestratorStarted timestamp (the episode's time) */
  now?: Date;
  /** When given, calls to unregistered activities, orchestrators or entities fail the orchestration at once. */
  isRegistered?: IsRegistered;
  /** host.json `defaultVersion`, for sub-orchestrations and continue-as-new without a version. */
  defaultVersion?: string;
  /** Must equal the value sent in the trigger payload. @default DEFAULT_HTTP_ASYNC_REQUEST_SLEEP_MS */
  httpAsyncSleepMs?: number;
  /** The number of the turn being decided (the sentinel's next `TurnNumber`); entity requests carry it. */
  turn?: number;
}

export interface EpisodeDecision {
  /** Events to append after the episode events, in order; OrchestratorCompleted last (none on continue-as-new). */
  appended: HistoryEvent[];
  /** Work to carry out after the commit, in sequence-number order, then completion notices and lock releases. */
  work: OutboundWork[];
  runtimeStatus: OrchestrationStatusName;
  /** Completed: the output as JSON text. Failed and Terminated: the reason as plain text (stored as is). */
  output?: string;
  /** The reply's custom status as JSON text; undefined when the reply set none. */
  customStatus?: string;
  failure?: OrchestrationFailureText;
  /** Set when the execution continues as new: the engine starts the next generation with these. */
  continueAsNew?: { input?: string; version: string; carryOverEvents: HistoryEvent[] };
}

export class DecisionError extends Error {
  override name = 'DecisionError';
}

/** Decide one orchestration episode. */
export function decideEpisode(input: DecideEpisodeInput): EpisodeDecision {
  const facts = readHistory(input.history);
  const started = facts.started;
  if (!started) throw new DecisionError('the history has no ExecutionStarted event');
  const episodeStart = input.history[lastEpisodeStart(input.history)];
  const timestamp = (input.now ?? (episodeStart ? new Date(episodeStart.timestamp) : new Date(0))).toISOString();
  const state = input.outcome.kind === 'reply' ? input.outcome.state : input.outcome.failure.state;
  const actions = state?.actions[0] ?? [];
  const failed = input.outcome.kind === 'failure';
  const finished = failed || state?.isDone === true;
  const customStatus = state?.customStatus !== undefined && state.customStatus !== null ? JSON.stringify(state.customStatus) : undefined;

  const sim = simulateReplay({ actions, history: input.history, finished, httpAsyncSleepMs: input.httpAsyncSleepMs ?? DEFAULT_HTTP_ASYNC_REQUEST_SLEEP_MS });
  // A poll request waits for its timer: the JS numbers both when the 202 arrives, the extension sends the request after the delay.
  const newOps = sim.ops.filter((op) => !facts.scheduled.has(op.seq) && !(op.spec.kind === 'http' && op.spec.afterTimer !== undefined && !facts.firedTimers.has(op.spec.afterTimer)));

  const rejected = rejectedCall(newOps, started, input.isRegistered);
  if (rejected) {
    return { ...finish(input.history, started, timestamp, { status: 'Failed', failure: rejected }), ...(customStatus ? { customStatus } : {}) };
  }

  const ctx: SchedulingContext = {
    instanceId: started.instanceId,
    executionId: started.executionId,
    name: started.name,
    version: started.version,
    ...(input.defaultVersion !== undefined ? { defaultVersion: input.defaultVersion } : {}),
    timestamp,
    lastRequestTo: lastRequestsByEntity(input.history),
    ...(input.turn !== undefined ? { turn: input.turn } : {}),
  };
  const scheduled = newOps.map((op) => scheduleOp(op, ctx));
  const appended: HistoryEvent[] = scheduled.map((s) => s.event);
  const work: OutboundWork[] = scheduled.map((s) => s.work);
  const base = { ...(customStatus ? { customStatus } : {}) };

  // The open-task gate (B.13): activities, sub-orchestrations and un-canceled timers hold the instance open.
  const open = sim.ops.some((op) => isOpen(op, facts.scheduled.has(op.seq), facts.completedTasks, facts.firedTimers));
  if (!finished || open) {
    return { ...base, appended: [...appended, completedMarker(timestamp)], work, runtimeStatus: 'Running' };
  }

  const historyNow = [...input.history, ...appended];
  if (sim.continueAsNew) {
    const nextInput = preEncodedInputText(sim.continueAsNew.input);
    const ending = finish(historyNow, started, timestamp, { status: 'ContinuedAsNew', ...(nextInput !== undefined ? { result: nextInput } : {}) });
    return {
      ...base,
      appended: [...appended, ...ending.appended],
      work: [...work, ...ending.work],
      runtimeStatus: 'ContinuedAsNew',
      continueAsNew: { ...(nextInput !== undefined ? { input: nextInput } : {}), version: started.version || input.defaultVersion || '', carryOverEvents: sim.continueAsNew.carryOver },
    };
  }
  const outcome: Completion =
    input.outcome.kind === 'failure'
      ? { status: 'Failed', failure: orchestratorFailed(started.name, input.outcome.failure.message, input.outcome.failure.stack) }
      : { status: 'Completed', result: JSON.stringify(state?.output ?? null) };
  const ending = finish(historyNow, started, timestamp, outcome);
  return { ...base, ...ending, appended: [...appended, ...ending.appended], work: [...work, ...ending.work] };
}

/** How an execution ends. */
export type Completion =
  | { status: 'Completed'; result: string }
  | { status: 'Failed'; failure: OrchestrationFailureText }
  | { status: 'Terminated'; reason?: string }
  | { status: 'ContinuedAsNew'; result?: string };

/** The .NET type of the exception the extension fails an orchestration with. */
const ORCHESTRATION_FAILURE_TYPE = 'Microsoft.Azure.WebJobs.Extensions.DurableTask.OrchestrationFailureException';

/**
 * The end of an execution: ExecutionCompleted (or ContinueAsNew), OrchestratorCompleted, the
 * parent's completion notice, and releases of locks still held. Shared with termination.
 */
export function finish(history: readonly HistoryEvent[], started: ExecutionStartedEvent, timestamp: string, completion: Completion): EpisodeDecision {
  const marker = { eventId: -1, isPlayed: false, timestamp };
  const appended: HistoryEvent[] = [];
  const work: OutboundWork[] = [];
  let decision: Omit<EpisodeDecision, 'appended' | 'work'>;
  switch (completion.status) {
    case 'Completed':
      appended.push({ ...marker, type: 'ExecutionCompleted', orchestrationStatus: 'Completed', result: completion.result });
      decision = { runtimeStatus: 'Completed', output: completion.result };
      break;
    case 'Failed':
      // FailureDetails as DTFx builds it from the extension's exception, so that history readers
      // (DfMon, taskhub-layout.md section 8 #28) find the failure beside the Result text.
      appended.push({
        ...marker,
        type: 'ExecutionCompleted',
        orchestrationStatus: 'Failed',
        result: completion.failure.reason,
        failureDetails: { errorType: ORCHESTRATION_FAILURE_TYPE, errorMessage: completion.failure.reason, stackTrace: completion.failure.details },
      });
      decision = { runtimeStatus: 'Failed', output: completion.failure.reason, failure: completion.failure };
      break;
    case 'Terminated':
      appended.push({ ...marker, type: 'ExecutionCompleted', orchestrationStatus: 'Terminated', ...(completion.reason !== undefined ? { result: completion.reason } : {}) });
      decision = { runtimeStatus: 'Terminated', ...(completion.reason !== undefined ? { output: completion.reason } : {}) };
      break;
    case 'ContinuedAsNew':
      // DTFx ends the generation with a ContinueAsNew event and no OrchestratorCompleted.
      appended.push({ ...marker, type: 'ContinueAsNew', ...(completion.result !== undefined ? { result: completion.result } : {}) });
      decision = { runtimeStatus: 'ContinuedAsNew' };
      break;
  }
  if (completion.status !== 'ContinuedAsNew') {
    appended.push(completedMarker(timestamp));
    const notice = parentNotice(started, timestamp, completion);
    if (notice) work.push({ kind: 'message', message: notice });
  }
  work.push(...lockReleases(history, started, timestamp));
  return { ...decision, appended, work };
}

function completedMarker(timestamp: string): HistoryEvent {
  return { type: 'OrchestratorCompleted', eventId: -1, isPlayed: false, timestamp };
}

function isOpen(op: AllocatedOp, alreadyScheduled: boolean, completedTasks: Set<number>, firedTimers: Set<number>): boolean {
  switch (op.spec.kind) {
    case 'activity':
    case 'http':
    case 'subOrchestration':
      return !alreadyScheduled || !completedTasks.has(op.seq);
    case 'timer':
      return !op.spec.canceled && (!alreadyScheduled || !firedTimers.has(op.seq));
    default:
      return false;
  }
}

/** The first new op whose callee the app does not register, as a failure text. */
function rejectedCall(newOps: AllocatedOp[], started: ExecutionStartedEvent, isRegistered: IsRegistered | undefined): OrchestrationFailureText | undefined {
  for (const op of newOps) {
    const spec = op.spec;
    if (spec.kind === 'subOrchestration' && spec.instanceId !== undefined && (spec.instanceId === started.instanceId || spec.instanceId.startsWith('@'))) {
      return invalidSubOrchestrationId(started.name, spec.instanceId);
    }
    if (!isRegistered) continue;
    if (spec.kind === 'activity' && !isRegistered('activity', spec.name)) return unknownCallee(started.name, 'activity', spec.name);
    if (spec.kind === 'subOrchestration' && !isRegistered('orchestration', spec.name)) return unknownCallee(started.name, 'orchestration', spec.name);
    if (spec.kind === 'entityCall' || spec.kind === 'signal') {
      const entity = parseEntityInstanceId(spec.target);
      if (entity && !isRegistered('entity', entity.name)) return unknownCallee(started.name, 'entity', entity.name);
    }
    if (spec.kind === 'lock') {
      const missing = spec.lockSet.find((e) => !isRegistered('entity', e.name));
      if (missing) return unknownCallee(started.name, 'entity', missing.name);
    }
  }
  return undefined;
}

/** SubOrchestrationInstanceCompleted/Failed for the parent's execution; Terminated reports as Failed (B.8). */
function parentNotice(started: ExecutionStartedEvent, timestamp: string, completion: Completion): InstanceMessage | undefined {
  const parent = started.parent;
  if (!parent) return undefined;
  const base = { eventId: -1, isPlayed: false, timestamp, taskScheduledId: parent.taskScheduleId };
  let event: HistoryEvent;
  if (completion.status === 'Completed') {
    event = { ...base, type: 'SubOrchestrationInstanceCompleted', result: completion.result };
  } else if (completion.status === 'Failed') {
    event = { ...base, type: 'SubOrchestrationInstanceFailed', reason: completion.failure.reason, details: completion.failure.details };
  } else if (completion.status === 'Terminated') {
    event = { ...base, type: 'SubOrchestrationInstanceFailed', reason: completion.reason ?? '', details: '' };
  } else {
    return undefined;
  }
  return {
    messageId: outboundMessageId(started.instanceId, started.executionId, 'completed'),
    targetInstanceId: parent.instanceId,
    targetExecutionId: parent.executionId,
    event,
    sender: started.instanceId,
  };
}

/** `release` messages for every lock the execution still holds, one per locked entity. */
function lockReleases(history: readonly HistoryEvent[], started: ExecutionStartedEvent, timestamp: string): OutboundWork[] {
  const work: OutboundWork[] = [];
  for (const lock of heldLocks(history)) {
    lock.lockSet.forEach((entity, i) => {
      work.push({
        kind: 'message',
        message: {
          messageId: outboundMessageId(started.instanceId, started.executionId, `release-${lock.lockRequestId}-${i}`),
          targetInstanceId: `@${entity.name.toLowerCase()}@${entity.key}`,
          event: { type: 'EventRaised', eventId: -1, isPlayed: false, timestamp, name: 'release', input: JSON.stringify({ parent: started.instanceId, id: lock.lockRequestId }) },
          sender: started.instanceId,
        },
      });
    });
  }
  return work;
}
