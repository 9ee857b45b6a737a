/**
 * Carries out a committed turn's outbound work, idempotently (recovery may do it again): messages
 * to other instances become Work rows with deterministic keys, timers rows of `<Hub>Timers`,
 * sub-orchestration starts ExecutionStarted messages; then one batch on the instance's own Work
 * partition inserts its new activities and deletes what the turn consumed, with the Instances
 * row written before the deletes when no new row keeps the partition non-empty.
 */
import { isEntityInstanceId } from '../core/entity-messages.js';
import type { HistoryEvent } from '../core/history-event.js';
import type { InstanceMessage, OutboundWork } from '../core/work.js';
import type { InstanceWork } from '../store/work-store.js';
import type { ActivityWork, StoredMessage, TimerRecord } from '../wire/work-row.js';
import { markerRowKey } from './activity-marker.js';
import type { EngineContext } from './engine-context.js';

export interface Delivery {
  instanceId: string;
  executionId: string;
  work: readonly OutboundWork[];
  /** Work row keys the turn consumed (messages and completed activities). */
  consumedKeys: readonly string[];
  /**
   * Writes the Instances row (with the sentinel's TurnNumber). Called before the consumed Work
   * rows go unless new activity rows keep the partition non-empty: recovery finds instances only
   * through `<Hub>Work`, so a crash must never leave an empty partition behind a lagging row
   * (a completed orchestration would show Running for ever, an entity its previous state).
   */
  writeRow(): Promise<void>;
  /**
   * Consumed keys of messages the instance drops as re-deliveries ({@link dropsRedelivery}): their
   * rows go with the partition's next transaction instead of one of their own (a call's answer
   * with the next answer, a request with the next request), since one left by a crash is harmless.
   */
  lateKeys?: ReadonlySet<string>;
  /**
   * Set when the turn's row may lag (see `rowMayLag`): called in place of `writeRow` after the
   * Work batch, which then keeps the activity marker row in the partition.
   */
  deferRow?: () => void;
  /**
   * Orchestrations: the activity marker row (`activity-marker.ts`) before the turn (its key) and
   * after it. Only a change costs a Work write; without markers each activity gets its own row.
   */
  markers?: { before: string | undefined; after: ActivityWork | undefined };
}

/** The consumed row keys of the messages that {@link dropsRedelivery} (for `Delivery.lateKeys`). */
export function lateDeleteKeys(messages: readonly (InstanceMessage | StoredMessage)[]): Set<string> {
  const keys = new Set<string>();
  for (const m of messages) if ('rowKey' in m && dropsRedelivery(m)) keys.add(m.rowKey);
  return keys;
}

/** Returns the activities the caller should start once the Instances row is written. */
export async function deliverOutbound(ctx: EngineContext, delivery: Delivery): Promise<ActivityWork[]> {
  const messages: InstanceMessage[] = [];
  const timers: TimerRecord[] = [];
  const activities: ActivityWork[] = [];
  for (const item of delivery.work) {
    switch (item.kind) {
      case 'message':
        messages.push(item.message);
        break;
      case 'timer':
        timers.push({ instanceId: delivery.instanceId, executionId: delivery.executionId, timerId: item.timerId, fireAt: item.fireAt });
        break;
      case 'activity':
        activities.push({ executionId: delivery.executionId, taskId: item.taskId, name: item.name, ...(item.input === undefined ? {} : { input: item.input }) });
        break;
      case 'startSubOrchestration': {
        const started: HistoryEvent = {
          type: 'ExecutionStarted',
          eventId: -1,
          isPlayed: false,
          timestamp: ctx.now().toISOString(),
          name: item.name,
          version: item.version,
          instanceId: item.instanceId,
          // the child's execution id is derived from the parent's call so a re-delivery is the same message
          executionId: childExecutionId(delivery.executionId, item.taskId),
          parent: item.parent,
          ...(item.input === undefined ? {} : { input: item.input }),
        };
        messages.push({ messageId: `${delivery.instanceId}|${delivery.executionId}|${item.taskId}|start`, targetInstanceId: item.instanceId, event: started, sender: delivery.instanceId });
        break;
      }
    }
  }
  // Targets get the messages in memory once the post-commit is done (their rows are claimed till then),
  // so that a redo of this post-commit never re-sends a message its target has already applied.
  // Requests and releases to entities, which an entity drops however late they come again
  // (`dropsRedelivery`), go as soon as their rows are written: the entity's turn then overlaps this
  // turn's row write (a callEntity round trip waited for both instances' post-commits in turn).
  // An entity's answers still wait for its row: whoever gets the answer may read the entity next.
  const [written, timersPut] = await Promise.allSettled([ctx.handover.write(messages), timers.length > 0 ? ctx.store.putTimers(timers) : undefined]);
  const all = written.status === 'fulfilled' ? written.value : [];
  const early = new Set(timersPut.status === 'fulfilled' ? all.filter((m) => isEntityInstanceId(m.targetInstanceId) && dropsRedelivery(m)) : []);
  ctx.handover.deliver([...early]);
  const stored = early.size === 0 ? all : all.filter((m) => !early.has(m));
  try {
    if (written.status === 'rejected') throw written.reason;
    if (timersPut.status === 'rejected') throw timersPut.reason;
    const { markers } = delivery;
    const afterKey = markerRowKey(markers?.after);
    const inserts = markers ? (markers.after && afterKey !== markers.before ? [markers.after] : []) : activities;
    const late = delivery.lateKeys;
    const consumed = late && late.size > 0 ? delivery.consumedKeys.filter((key) => !late.has(key)) : delivery.consumedKeys;
    const deletes = markers?.before && markers.before !== afterKey ? [...consumed, markers.before] : consumed;
    const batch = inserts.length > 0 || deletes.length > 0 ? () => ctx.store.applyWork(delivery.instanceId, { insertActivities: inserts, deleteKeys: deletes }) : undefined;
    if (markers?.after !== undefined && !delivery.deferRow) {
      // The marker stays in the partition, so the row need not wait for the batch: a crash
      // between them leaves either a lagging row behind the marker (redone) or a current row
      // with the batch undone, which a cold load repairs (`repairWorkAfterCurrentRow`).
      await Promise.all([batch?.(), delivery.writeRow()]);
    } else if (markers ? markers.after !== undefined : activities.length > 0) {
      // An activity row stays in the partition after this batch: the row may be written after it.
      await batch?.();
      if (delivery.deferRow) delivery.deferRow();
      else await delivery.writeRow();
    } else {
      await delivery.writeRow();
      if (deletes.length > 0) await ctx.store.applyWork(delivery.instanceId, { insertActivities: [], deleteKeys: deletes });
    }
    // After the row (or beside a marker): the partition stays non-empty while the row lags.
    if (late && late.size > 0) ctx.store.deleteWorkLater(delivery.instanceId, delivery.consumedKeys.filter((key) => late.has(key)));
  } finally {
    ctx.handover.deliver(stored);
  }
  for (const t of timers) ctx.timers.scheduled(new Date(t.fireAt));
  return activities;
}

/**
 * True for a message its target de-duplicates exactly, however late a re-delivery comes: requests
 * and lock releases to an entity (requests carry their place in the sender's stream, `seq`;
 * releases name the lock) and an entity's answer to an orchestration (an entity answers a request
 * once; `acceptMessages` drops a second answer of the same name).
 */
export function dropsRedelivery(message: InstanceMessage): boolean {
  if (isEntityInstanceId(message.targetInstanceId)) return message.sender !== undefined;
  return message.sender !== undefined && isEntityInstanceId(message.sender) && message.event.type === 'EventRaised';
}

/**
 * A crash between the Instances row and the Work batch leaves consumed rows behind a current row
 * (also the rows a turn deletes late, see `lateDeleteKeys`), and (orchestrations, whose row and
 * batch go in parallel when a marker stays) possibly no activity marker while activities are
 * open. Nothing else is left to redo: delete the leftovers (already applied; the turn filtered
 * them) and insert the missing marker, in one batch, so the partition is never empty while
 * activities are open.
 */
export async function repairWorkAfterCurrentRow(
  store: Pick<EngineContext['store'], 'applyWork'>,
  instanceId: string,
  consumedKeys: readonly string[],
  work: InstanceWork,
  marker?: ActivityWork,
): Promise<void> {
  const present = new Set([...work.messages, ...work.activities].map((row) => row.rowKey));
  const leftovers = consumedKeys.filter((key) => present.has(key));
  const missing = marker && !present.has(markerRowKey(marker) as string) ? [marker] : [];
  if (leftovers.length > 0 || missing.length > 0) await store.applyWork(instanceId, { insertActivities: missing, deleteKeys: leftovers });
}

/** A deterministic 32-hex execution id for a sub-orchestration started by `parentExecutionId` call `taskId`. */
export function childExecutionId(parentExecutionId: string, taskId: number): string {
  const seed = `${parentExecutionId}${taskId.toString(16).padStart(8, '0')}`;
  let h = 0x811c9dc5;
  let out = '';
  for (let round = 0; round < 4; round++) {
    for (const ch of `${seed}:${round}`) {
      h ^= ch.charCodeAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}
