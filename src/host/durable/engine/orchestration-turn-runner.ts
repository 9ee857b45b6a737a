/**
 * One orchestration turn: gather messages, run the episode through the real orchestrator
 * function, commit the new history in one transaction, then carry out the outbound work.
 * Continue-as-new starts the next generation at once, in the same turn, as DTFx does.
 */
import type { HistoryEvent, HistoryEventOf } from '../core/history-event.js';
import { readHistory } from '../core/orchestration-history.js';
import { acceptMessages } from '../core/orchestration-messages.js';
import { nextGenerationMessages, startEpisode } from '../core/orchestration-episode.js';
import { applyRewind } from '../core/orchestration-rewind.js';
import { checkVersion } from '../core/orchestration-versioning.js';
import { decideEpisode, type EpisodeDecision, type EpisodeOutcome } from '../core/orchestration-turn.js';
import type { InstanceMessage, OutboundWork } from '../core/work.js';
import type { LoadedInstance } from '../store/task-hub-store.js';
import { orchestrationTriggerPayloadText } from '../wire/orchestration-trigger-payload.js';
import { parseOrchestratorFailure, parseOrchestratorState } from '../wire/orchestrator-state.js';
import { TERMINAL_STATUSES, type InstanceFields } from '../wire/instance-row.js';
import type { ActivityWork, StoredMessage } from '../wire/work-row.js';
import { InvocationFailedError } from '../../worker/invoker.js';
import { readTypedData } from '../../worker/typed-data.js';
import { newExecutionId } from './durable-client.js';
import type { EngineContext } from './engine-context.js';
import { hotBaseFromHistory, type HotOrchestration } from './hot-instances.js';
import { rowMayLag } from './instance-row-writer.js';
import { activityMarker, markerRowKey, openActivities } from './activity-marker.js';
import { pendingTimers, waitsOnlyOnTimersOrEvents } from '../core/orchestration-waits.js';
import type { TurnRequest } from './instance-scheduler.js';
import { deliverOutbound, lateDeleteKeys, repairWorkAfterCurrentRow } from './outbound-delivery.js';

/** Generations run back to back in one turn before the rest is left to the next turn. */
const MAX_GENERATIONS_PER_TURN = 16;

export async function runOrchestrationTurn(ctx: EngineContext, request: TurnRequest): Promise<void> {
  const { instanceId } = request;
  let hot = ctx.cache.get(instanceId) as HotOrchestration | undefined;
  let stored: StoredMessage[] = [];
  if (!hot || request.checkStorage) {
    // A row this process still holds back would look like an interrupted post-commit.
    if (!hot) await ctx.rows.settle(instanceId);
    const readWork = request.checkStorage || ctx.unseen.mayHold(instanceId);
    const loaded = await ctx.store.loadInstance(instanceId, { work: readWork });
    if (readWork) ctx.unseen.seen(instanceId);
    if (!hot) {
      hot = fromLoaded(instanceId, loaded);
      ctx.cache.set(hot);
      await recoverLastTurn(ctx, hot, loaded, readWork);
      // Open activities are in history; Work keeps at most their marker (and rows of older layouts).
      await dropStaleActivityRows(ctx, hot, loaded);
      resumeActivities(ctx, hot, hot.executionId ? openActivities(hot.executionId, hot.events) : []);
    }
    const consumed = new Set(loaded.history?.sentinel.consumedKeys ?? []);
    // Rows whose copy travels in memory come with that copy (now or in the next turn), not from here.
    stored = loaded.work.messages.filter((m) => !consumed.has(m.rowKey) && !ctx.handover.isClaimed(instanceId, m));
  }
  const inMemory = request.messages as (InstanceMessage | StoredMessage)[];
  // Storage first: in-memory messages are newer than anything already written.
  const messages = dedupeByKey([...hot.held, ...stored, ...inMemory]);
  hot.held = [];
  if (messages.length === 0) return forgetIfDormant(ctx, hot);

  let accepted = acceptMessages({ history: hot.events }, messages);
  // Held messages stay in memory: a message handed over in memory is not re-read from storage
  // unless a turn fails (the resume may come in memory too). Copies from storage are dropped by id.
  hot.held = accepted.held;
  let consumedKeys = [...keysOf(accepted.accepted), ...keysOf(accepted.dropped.map((d) => d.message))];
  for (const d of accepted.dropped) ctx.log.log('debug', 'message dropped', { instanceId, messageId: d.message.messageId, reason: d.reason });
  if (accepted.accepted.length === 0) {
    if (consumedKeys.length > 0) await ctx.store.applyWork(instanceId, { insertActivities: [], deleteKeys: consumedKeys });
    return forgetIfDormant(ctx, hot);
  }

  let newExecution = accepted.newExecution;
  const before = { executionId: hot.executionId, events: hot.events };
  const markerBefore = markerRowKey(markerOf(before.executionId, before.events));
  // A first turn turns the client's Pending row into Running: never held back.
  const startedByClient = before.executionId === undefined || accepted.newExecution;
  let events = newExecution ? [] : hot.events;
  let outbound: OutboundWork[] = [];
  let decision: EpisodeDecision | undefined;
  let episodeEvents: HistoryEvent[] = [];
  // A rewind (B.15) starts a new execution from the failed one's rewritten history.
  const rewound = accepted.rewind ? applyRewind(hot.events, accepted.accepted, newExecutionId()) : undefined;
  if (rewound) {
    events = rewound.history;
    newExecution = true;
    outbound = rewound.work;
  }
  for (let generation = 0; ; generation++) {
    const now = ctx.now();
    const episode = startEpisode({ history: events, messages: accepted.accepted, now });
    episodeEvents = episode.episodeEvents;
    const history = [...events, ...episodeEvents];
    const version = episode.decision || generation > 0 ? undefined : checkVersion(history, ctx.settings, now);
    if (version?.verdict === 'reject') return rejectForVersion(ctx, instanceId, version.version);
    decision = episode.decision ?? (version?.verdict === 'fail' ? version.decision : undefined) ?? decideEpisode({
      history,
      outcome: await invokeOrchestrator(ctx, history),
      now,
      isRegistered: (kind, name) => ctx.find(kind === 'activity' ? 'activityTrigger' : kind === 'orchestration' ? 'orchestrationTrigger' : 'entityTrigger', name) !== undefined,
      defaultVersion: ctx.settings.defaultVersion,
      turn: hot.turnNumber + 1,
    });
    // A generation that ends in this turn will never see its timers fire: do not write them.
    outbound = [...outbound, ...(endsExecution(decision) ? decision.work.filter((w) => w.kind !== 'timer') : decision.work)];
    if (!decision.continueAsNew || generation + 1 >= MAX_GENERATIONS_PER_TURN) {
      events = [...history, ...decision.appended];
      break;
    }
    // The finished generation is not persisted (as in DTFx): the next one starts from row 0.
    const started = history.find((e): e is HistoryEventOf<'ExecutionStarted'> => e.type === 'ExecutionStarted');
    if (!started) throw new Error(`instance ${instanceId} has no ExecutionStarted`);
    const next = nextGenerationMessages(started, decision.continueAsNew, newExecutionId(), now);
    accepted = { accepted: next, dropped: [], held: [], newExecution: true };
    events = [];
    newExecution = true;
  }

  const started = events.find((e): e is HistoryEventOf<'ExecutionStarted'> => e.type === 'ExecutionStarted');
  if (!started) throw new Error(`instance ${instanceId} has no ExecutionStarted`);
  const executionId = started.executionId;
  // A continue-as-new chain cut at the cap goes on in the next turn. Its start must be durable
  // (a Work row, in the outbox of this commit): held only in memory, a crash here would leave the
  // instance ContinuedAsNew for ever, with nothing in <Hub>Work for recovery to find.
  if (decision.continueAsNew) {
    const next = nextGenerationMessages(started, decision.continueAsNew, newExecutionId(), ctx.now());
    outbound = [...outbound, ...next.map((message): OutboundWork => ({ kind: 'message', message }))];
  }
  const startIndex = newExecution ? 0 : hot.events.length;
  const appended = events.slice(startIndex);
  const turnNumber = hot.turnNumber + 1;
  // Completed activities: their rows go with the messages that completed them.
  consumedKeys = [...new Set(consumedKeys)];
  const markerAfter = endsExecution(decision) ? undefined : activityMarker(executionId, events);
  hot.etag = await ctx.store.commitTurn({
    instanceId,
    executionId,
    startIndex,
    events: appended,
    sentinelEtag: hot.etag,
    turnNumber,
    lastTurnStart: startIndex,
    consumedKeys,
    outbox: outbound,
    newExecution,
    // The sentinel's copy of the history saves a cold load its partition query. An instance with
    // activities open stays hot (their results come in memory) and only a crash reloads it, so
    // those turns, most turns of a sequence or a fan-out, do not pay for writing it.
    ...(markerAfter ? {} : { history: events }),
  });
  hot.events = events;
  hot.executionId = executionId;
  hot.turnNumber = turnNumber;
  if (newExecution) hot.running.clear();

  const [turnHot, turnDecision, isNewExecution] = [hot, decision, newExecution || startIndex === 0];
  // After a rewind the row is replaced, so that the failed execution's output and completion time go.
  const rowMode = rewound ? 'Replace' : 'Merge';
  const lag =
    !rewound &&
    !startedByClient &&
    rowMayLag({ events, outbound, runtimeStatus: decision.runtimeStatus, statusBefore: readHistory(before.events).suspended ? 'Suspended' : 'Running', customStatusBefore: hot.customStatus, customStatus: decision.customStatus });
  const rowFields = () => instanceRowFields(ctx, turnHot, turnDecision, started, isNewExecution);
  const activities = await deliverOutbound(ctx, {
    instanceId,
    executionId,
    work: outbound,
    consumedKeys,
    markers: { before: markerBefore, after: markerAfter },
    writeRow: () => ctx.rows.write(rowFields(), rowMode),
    lateKeys: lateDeleteKeys(messages),
    ...(lag ? { deferRow: () => ctx.rows.defer(rowFields()) } : {}),
  });
  for (const a of activities) {
    hot.running.add(a.taskId);
    ctx.activities.start({ instanceId, ...a });
  }
  if (before.executionId && (newExecution || endsExecution(decision))) await dropTimersOf(ctx, instanceId, before.executionId, before.events);
  if (TERMINAL_STATUSES.includes(decision.runtimeStatus)) ctx.cache.delete(instanceId);
  else if (!decision.continueAsNew) forgetIfDormant(ctx, hot);
}

/**
 * `versionFailureStrategy: Reject`: this worker leaves the instance alone. Its messages stay in
 * <Hub>Work and nothing is committed, so a host started with a matching `defaultVersion` runs them
 * (recovery finds them); until then the instance keeps its status. It is not kept in memory.
 */
function rejectForVersion(ctx: EngineContext, instanceId: string, version: string): void {
  ctx.log.log('warn', 'orchestration version rejected by versioning settings; its work stays pending', {
    instanceId,
    version,
    defaultVersion: ctx.settings.defaultVersion,
    versionMatchStrategy: ctx.settings.versionMatchStrategy,
  });
  ctx.cache.delete(instanceId);
  // Its messages stay in <Hub>Work, released: a later cold load must read them again.
  ctx.unseen.suspect(instanceId);
}

function endsExecution(decision: EpisodeDecision): boolean {
  return decision.continueAsNew !== undefined || TERMINAL_STATUSES.includes(decision.runtimeStatus);
}

/**
 * Deletes the Timers rows of an execution that ended (continue-as-new, completion, termination).
 * Their firing would be dropped as stale anyway, but until then they cost a wake-up, a cold load
 * and a row per cancelled timer: an eternal loop that wins `Task.any([event, timer])` on the event
 * would leave one row behind per generation. Best effort: a row left by a crash here is harmless.
 */
async function dropTimersOf(ctx: EngineContext, instanceId: string, executionId: string, events: readonly HistoryEvent[]): Promise<void> {
  const timers = pendingTimers(events).map((t) => ({ instanceId, executionId, timerId: t.timerId, fireAt: t.fireAt }));
  if (timers.length === 0) return;
  try {
    await ctx.store.deleteTimers(timers);
  } catch (err) {
    ctx.log.log('warn', 'could not delete the timers of an ended execution', { instanceId, executionId, error: String(err) });
  }
}

/**
 * Forgets an instance that waits only for timers or external events (a sleeping eternal loop)
 * and holds nothing only memory knows (no activity running here, no held message): its next
 * message is usually far away, and 10,000 sleeping instances must not mean 10,000 objects in memory.
 * It is kept for a short grace period (a wake right after falling asleep is common); after that
 * the next turn loads it from storage, which is the truth.
 */
function forgetIfDormant(ctx: EngineContext, hot: HotOrchestration): void {
  if (hot.running.size === 0 && hot.held.length === 0 && waitsOnlyOnTimersOrEvents(hot.events)) ctx.cache.retire(hot.instanceId);
}

async function invokeOrchestrator(ctx: EngineContext, history: HistoryEvent[]): Promise<EpisodeOutcome> {
  const started = history.find((e): e is HistoryEventOf<'ExecutionStarted'> => e.type === 'ExecutionStarted');
  const fn = started ? ctx.find('orchestrationTrigger', started.name) : undefined;
  if (!started || !fn) {
    const name = started?.name ?? '(unknown)';
    return { kind: 'failure', failure: parseOrchestratorFailure(new Error(`The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`)) };
  }
  const payload = orchestrationTriggerPayloadText(history);
  try {
    const response = await ctx.runner.run(fn, { triggerData: { string: payload } });
    return { kind: 'reply', state: parseOrchestratorState(readTypedData(response.returnValue)) };
  } catch (err) {
    return { kind: 'failure', failure: parseOrchestratorFailure(err instanceof InvocationFailedError ? err.cause : err) };
  }
}

/** The turn's Instances row; remembers its custom status (a later reply without one keeps it). */
function instanceRowFields(ctx: EngineContext, hot: HotOrchestration, decision: EpisodeDecision, started: HistoryEventOf<'ExecutionStarted'>, isNewExecution: boolean): InstanceFields {
  const now = ctx.now().toISOString();
  const terminal = TERMINAL_STATUSES.includes(decision.runtimeStatus);
  const fields: InstanceFields = {
    instanceId: hot.instanceId,
    name: started.name,
    version: started.version,
    runtimeStatus: decision.runtimeStatus,
    ...(isNewExecution ? { input: started.input, createdTime: started.timestamp, generation: started.generation ?? 0 } : {}),
    ...(terminal && decision.output !== undefined ? { output: decision.output } : {}),
    ...(terminal ? { completedTime: now } : {}),
    // a reply without a custom status keeps the last one (the JS omits falsy values)
    customStatus: decision.customStatus ?? hot.customStatus,
    lastUpdatedTime: now,
    executionId: started.executionId,
    turnNumber: hot.turnNumber,
  };
  hot.customStatus = decision.customStatus ?? hot.customStatus;
  return fields;
}

function fromLoaded(instanceId: string, loaded: LoadedInstance): HotOrchestration {
  return {
    kind: 'orchestration',
    ...hotBaseFromHistory(instanceId, loaded.history),
    events: loaded.history?.events ?? [],
    held: [],
    running: new Set(),
    customStatus: loaded.instance?.customStatus,
  };
}

/**
 * The post-commit of the last turn may not have finished before a crash: the Instances row then
 * lags the sentinel. Redo it from the outbox stored with the commit (idempotent).
 */
async function recoverLastTurn(ctx: EngineContext, hot: HotOrchestration, loaded: LoadedInstance, workRead: boolean): Promise<ActivityWork[]> {
  const sentinel = loaded.history?.sentinel;
  if (!sentinel || !hot.executionId) return [];
  if (loaded.instance?.turnNumber === sentinel.turnNumber && loaded.instance.executionId === sentinel.executionId) {
    // Leftovers exist only after a crash, and then the start scan made this load read Work; a load
    // that did not read it would take every consumed row for gone and re-put the marker.
    if (workRead) await repairWorkAfterCurrentRow(ctx.store, hot.instanceId, sentinel.consumedKeys, loaded.work, markerOf(hot.executionId, hot.events));
    return [];
  }
  // A client start over a finished instance (restart, start with the same id) replaced the row
  // with a Pending one of a new execution: the old execution's post-commit had finished (the row
  // is written last), and redoing it would put the old status and output back.
  if (loaded.instance?.runtimeStatus === 'Pending' && loaded.instance.executionId !== sentinel.executionId) return [];
  ctx.log.log('info', 'completing the post-commit of an interrupted turn', { instanceId: hot.instanceId, turnNumber: sentinel.turnNumber });
  const started = hot.events.find((e): e is HistoryEventOf<'ExecutionStarted'> => e.type === 'ExecutionStarted');
  const completed = [...hot.events].reverse().find((e): e is HistoryEventOf<'ExecutionCompleted'> => e.type === 'ExecutionCompleted');
  const status = completed?.orchestrationStatus ?? (hot.events.some((e) => e.type === 'ExecutionSuspended') && !lastIsResumed(hot.events) ? 'Suspended' : 'Running');
  const recovering = hot;
  const writeRow = async (): Promise<void> => {
    if (started) await ctx.rows.write(instanceRowFields(ctx, recovering, { appended: [], work: [], runtimeStatus: status, ...(completed?.result !== undefined ? { output: completed.result } : {}) }, started, true));
  };
  const markers = { before: undefined, after: markerOf(hot.executionId, hot.events) };
  return deliverOutbound(ctx, { instanceId: hot.instanceId, executionId: hot.executionId, work: sentinel.outbox ?? [], consumedKeys: sentinel.consumedKeys, writeRow, markers });
}

/** The activity marker of an execution that has not ended (an ended one has none). */
function markerOf(executionId: string | undefined, events: readonly HistoryEvent[]): ActivityWork | undefined {
  return executionId && readHistory(events).finalStatus === undefined ? activityMarker(executionId, events) : undefined;
}

/** `a-` rows other than the current marker: completed runs a crash left behind, or one row per activity as older hosts wrote. */
async function dropStaleActivityRows(ctx: EngineContext, hot: HotOrchestration, loaded: LoadedInstance): Promise<void> {
  const keep = markerRowKey(markerOf(hot.executionId, hot.events));
  const stale = loaded.work.activities.filter((a) => a.rowKey !== keep).map((a) => a.rowKey);
  if (stale.length > 0) await ctx.store.applyWork(hot.instanceId, { insertActivities: [], deleteKeys: stale });
}

function lastIsResumed(events: HistoryEvent[]): boolean {
  for (let i = events.length - 1; i >= 0; i--) {
    const t = events[i]?.type;
    if (t === 'ExecutionResumed') return true;
    if (t === 'ExecutionSuspended') return false;
  }
  return true;
}

/** Activities whose completion is not in history and that do not run here: run them (again). */
function resumeActivities(ctx: EngineContext, hot: HotOrchestration, activities: readonly ActivityWork[]): void {
  const completed = new Set<number>();
  for (const e of hot.events) if (e.type === 'TaskCompleted' || e.type === 'TaskFailed') completed.add(e.taskScheduledId);
  for (const a of activities) {
    if (a.executionId !== hot.executionId || completed.has(a.taskId) || hot.running.has(a.taskId)) continue;
    hot.running.add(a.taskId);
    ctx.activities.start({ instanceId: hot.instanceId, executionId: a.executionId, taskId: a.taskId, name: a.name, ...(a.input === undefined ? {} : { input: a.input }) });
  }
}

function keysOf(messages: readonly (InstanceMessage | StoredMessage)[]): string[] {
  const keys: string[] = [];
  for (const m of messages) if ('rowKey' in m && typeof m.rowKey === 'string') keys.push(m.rowKey);
  return keys;
}

/** The same message may come from storage and from memory; keep its first copy. */
function dedupeByKey(messages: (InstanceMessage | StoredMessage)[]): (InstanceMessage | StoredMessage)[] {
  const seen = new Set<string>();
  return messages.filter((m) => {
    if (seen.has(m.messageId)) return false;
    seen.add(m.messageId);
    return true;
  });
}
