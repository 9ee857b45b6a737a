/**
 * One entity turn: receive the entity's messages into its scheduler state, run one batch of
 * operations through the real entity function, commit the new state (the entity's history is
 * just this batch, as in DTFx), then send responses, signals and lock messages.
 */
import type { HistoryEventOf } from '../core/history-event.js';
import { emptySchedulerState, entityStatusJson, parseSchedulerState } from '../core/entity-scheduler-state.js';
import { completeEntityTurn, type EntityBatchOutcome } from '../core/entity-turn-complete.js';
import { nextDueAt, planEntityTurn } from '../core/entity-turn-plan.js';
import { entityTurnHistory } from '../core/entity-history.js';
import type { InstanceMessage, OutboundWork } from '../core/work.js';
import type { LoadedInstance } from '../store/task-hub-store.js';
import { entityBatchTriggerData, parseEntityBatchOutput } from '../wire/entity-batch.js';
import type { StoredMessage } from '../wire/work-row.js';
import { InvocationFailedError } from '../../worker/invoker.js';
import { readTypedData } from '../../worker/typed-data.js';
import { newExecutionId } from './durable-client.js';
import type { EngineContext } from './engine-context.js';
import { hotBaseFromHistory, type HotEntity } from './hot-instances.js';
import type { TurnRequest } from './instance-scheduler.js';
import { deliverOutbound, lateDeleteKeys, repairWorkAfterCurrentRow } from './outbound-delivery.js';

/**
 * The execution id of entity timers written before they were part of the turn's outbox (they
 * now carry the id of the turn that set them). Such rows may still be stored; they fire alike.
 */
export const ENTITY_TIMER_EXECUTION = 'entity';

/** The name of the Work message an entity sends itself while requests are still queued. */
export const ENTITY_CONTINUE_EVENT = 'aos-continue';

export async function runEntityTurn(ctx: EngineContext, request: TurnRequest): Promise<void> {
  const { instanceId } = request;
  let hot = ctx.cache.get(instanceId) as HotEntity | undefined;
  const wasHot = hot !== undefined;
  let stored: StoredMessage[] = [];
  if (!hot || request.checkStorage) {
    const readWork = request.checkStorage || ctx.unseen.mayHold(instanceId);
    const loaded = await ctx.store.loadInstance(instanceId, { work: readWork });
    if (readWork) ctx.unseen.seen(instanceId);
    if (!hot) {
      hot = fromLoaded(instanceId, loaded);
      ctx.cache.set(hot);
      await recoverLastTurn(ctx, hot, loaded, readWork);
    }
    const consumed = new Set(loaded.history?.sentinel.consumedKeys ?? []);
    // Rows whose copy travels in memory come with that copy (now or in the next turn), not from here.
    stored = loaded.work.messages.filter((m) => !consumed.has(m.rowKey) && !ctx.handover.isClaimed(instanceId, m));
  }
  const seen = new Set<string>();
  const messages = [...stored, ...(request.messages as (InstanceMessage | StoredMessage)[])].filter((m) => {
    if (seen.has(m.messageId)) return false;
    seen.add(m.messageId);
    return true;
  });
  const now = ctx.now();
  const { batch, plan } = planEntityTurn(hot.state, messages, { instanceId, now });
  if (!batch && messages.length === 0) return forgetIfIdle(ctx, hot);

  let outcome: EntityBatchOutcome | undefined;
  if (batch) {
    const fn = ctx.find('entityTrigger', plan.self.name);
    if (!fn) {
      outcome = { type: 'failed', error: { name: 'Error', message: `The function '${plan.self.name}' doesn't exist, is disabled, or is not an entity function.` } };
    } else {
      try {
        const response = await ctx.runner.run(fn, { triggerData: entityBatchTriggerData(batch) });
        outcome = { type: 'completed', output: parseEntityBatchOutput(readTypedData(response.returnValue)) };
      } catch (err) {
        const cause = err instanceof InvocationFailedError ? err.cause : err;
        outcome = { type: 'failed', error: { name: cause instanceof Error ? cause.name : 'Error', message: cause instanceof Error ? cause.message : String(cause) } };
      }
    }
  }
  const turnNumber = hot.turnNumber + 1;
  const result = completeEntityTurn(plan, outcome, { now, turn: turnNumber });
  const executionId = newExecutionId();
  const events = entityTurnHistory(instanceId, result, { executionId, now });
  const consumedKeys = messages.filter((m): m is StoredMessage => 'rowKey' in m).map((m) => m.rowKey);
  // Requests left queued past the batch size live only in the committed state once this turn
  // deletes their Work rows; a Work row addressed to itself keeps the entity where recovery
  // looks (`<Hub>Work`), so a crash before the next turn does not strand the queue.
  // The wake-up for the earliest scheduled signal goes in the outbox too, so a crash after the
  // commit cannot lose it. A timer already set for that time (by the turn that made it the
  // earliest, durably) still stands; a cold turn sets it again in case an older host lost it.
  const wakeUp = result.nextDueAt !== undefined && (!wasHot || result.nextDueAt !== nextDueAt(hot.state)) ? [wakeUpTimer(turnNumber, result.nextDueAt)] : [];
  const work = [...result.work, ...wakeUp, ...(result.moreWork ? [continueMarker(instanceId, executionId, now)] : [])];
  hot.etag = await ctx.store.commitTurn({
    instanceId,
    executionId,
    startIndex: 0,
    events,
    sentinelEtag: hot.etag,
    turnNumber,
    lastTurnStart: 0,
    consumedKeys,
    outbox: work,
    newExecution: true,
    history: events,
  });
  hot.turnNumber = turnNumber;
  hot.executionId = executionId;
  hot.state = result.state;

  const nowIso = now.toISOString();
  const writeRow = () =>
    ctx.store.writeInstance({
      instanceId,
      name: result.instance.name,
      version: '',
      runtimeStatus: 'Running',
      input: result.instance.input,
      customStatus: result.instance.customStatus,
      createdTime: nowIso,
      lastUpdatedTime: nowIso,
      executionId,
      turnNumber,
    });
  await deliverOutbound(ctx, { instanceId, executionId, work, consumedKeys, writeRow, lateKeys: lateDeleteKeys(messages) });
  if (result.moreWork) ctx.notify(instanceId, [], false);
  else forgetIfIdle(ctx, hot);
}

/**
 * Forgets an entity with nothing queued and no lock held, after a short grace period: everything it
 * has is in its committed state (scheduled signals included, with a Timers row), and an agent that
 * sleeps for an hour must not keep its state in memory. The next message loads it from storage again.
 */
function forgetIfIdle(ctx: EngineContext, hot: HotEntity): void {
  if (hot.state.queue.length === 0 && hot.state.lockedBy === undefined) ctx.cache.retire(hot.instanceId);
}

/**
 * The durable timer that wakes the entity when its earliest scheduled signal is due. When it fires
 * the engine writes a TimerFired Work row for the entity (timer-fired.ts), which the turn consumes.
 */
function wakeUpTimer(turnNumber: number, fireAt: string): OutboundWork {
  return { kind: 'timer', timerId: turnNumber, fireAt };
}

/** A message that only wakes the entity (the plan drops it as not an entity message). */
function continueMarker(instanceId: string, executionId: string, now: Date): OutboundWork {
  return {
    kind: 'message',
    message: {
      messageId: `${instanceId}|${executionId}|continue`,
      targetInstanceId: instanceId,
      event: { type: 'EventRaised', eventId: -1, isPlayed: false, timestamp: now.toISOString(), name: ENTITY_CONTINUE_EVENT },
    },
  };
}

function fromLoaded(instanceId: string, loaded: LoadedInstance): HotEntity {
  // The committed state is the ExecutionStarted input of the last batch (atomic with the sentinel);
  // the Instances row may lag it after a crash.
  const started = loaded.history?.events.find((e): e is HistoryEventOf<'ExecutionStarted'> => e.type === 'ExecutionStarted');
  const stateJson = started?.input ?? loaded.instance?.input;
  return {
    kind: 'entity',
    ...hotBaseFromHistory(instanceId, loaded.history),
    state: stateJson ? parseSchedulerState(stateJson) : emptySchedulerState(),
    createdTime: loaded.instance?.createdTime,
  };
}

async function recoverLastTurn(ctx: EngineContext, hot: HotEntity, loaded: LoadedInstance, workRead: boolean): Promise<void> {
  const sentinel = loaded.history?.sentinel;
  if (!sentinel || !hot.executionId) return;
  if (loaded.instance?.turnNumber === sentinel.turnNumber && loaded.instance.executionId === sentinel.executionId) {
    // Leftovers exist only after a crash, and then the start scan made this load read Work; a load
    // that did not read it would take every consumed row for gone and re-put the marker.
    if (workRead) await repairWorkAfterCurrentRow(ctx.store, hot.instanceId, sentinel.consumedKeys, loaded.work);
    return;
  }
  ctx.log.log('info', 'completing the post-commit of an interrupted entity turn', { instanceId: hot.instanceId, turnNumber: sentinel.turnNumber });
  const started = loaded.history?.events.find((e): e is HistoryEventOf<'ExecutionStarted'> => e.type === 'ExecutionStarted');
  const { instanceId, executionId, state } = hot;
  const writeRow = async (): Promise<void> => {
    if (!started?.input) return;
    await ctx.store.writeInstance({
      instanceId,
      name: instanceId,
      version: '',
      runtimeStatus: 'Running',
      input: started.input,
      customStatus: entityStatusJson(state),
      createdTime: started.timestamp,
      lastUpdatedTime: started.timestamp,
      executionId,
      turnNumber: sentinel.turnNumber,
    });
  };
  await deliverOutbound(ctx, { instanceId, executionId, work: sentinel.outbox ?? [], consumedKeys: sentinel.consumedKeys, writeRow });
}
