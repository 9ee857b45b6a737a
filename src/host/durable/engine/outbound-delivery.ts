/**
 * Carries out a committed turn's outbound work, idempotently (recovery may do it again): messages
 * to other instances become Work rows with deterministic keys, timers rows of `<Hub>Timers`,
 * sub-orchestration starts ExecutionStarted messages; then one batch on the instance's own Work
 * partition inserts its new activities and deletes what the turn consumed, with the Instances
 * row written before the deletes when no new row keeps the partition non-empty.
 */
import type { HistoryEvent } from '../core/history-event.js';
import type { InstanceMessage, OutboundWork } from '../core/work.js';
import type { InstanceWork } from '../store/work-store.js';
import type { ActivityWork, TimerRecord } from '../wire/work-row.js';
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
  // Targets get the messages in memory once the post-commit is done (their rows are claimed till then).
  const [written, timersPut] = await Promise.allSettled([ctx.handover.write(messages), timers.length > 0 ? ctx.store.putTimers(timers) : undefined]);
  const stored = written.status === 'fulfilled' ? written.value : [];
  try {
    if (written.status === 'rejected') throw written.reason;
    if (timersPut.status === 'rejected') throw timersPut.reason;
    const { markers } = delivery;
    const afterKey = markerRowKey(markers?.after);
    const inserts = markers ? (markers.after && afterKey !== markers.before ? [markers.after] : []) : activities;
    const deletes = markers?.before && markers.before !== afterKey ? [...delivery.consumedKeys, markers.before] : delivery.consumedKeys;
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
  } finally {
    ctx.handover.deliver(stored);
  }
  for (const t of timers) ctx.timers.scheduled(new Date(t.fireAt));
  return activities;
}

/**
 * A crash between the Instances row and the Work batch leaves consumed rows behind a current row,
 * and (orchestrations, whose row and batch go in parallel when a marker stays) possibly no
 * activity marker while activities are open. Nothing else is left to redo: delete the leftovers
 * (already applied; the turn filtered them) and insert the missing marker, in one batch, so the
 * partition is never empty while activities are open.
 */
export async function repairWorkAfterCurrentRow(ctx: EngineContext, instanceId: string, consumedKeys: readonly string[], work: InstanceWork, marker?: ActivityWork): Promise<void> {
  const present = new Set([...work.messages, ...work.activities].map((row) => row.rowKey));
  const leftovers = consumedKeys.filter((key) => present.has(key));
  const missing = marker && !present.has(markerRowKey(marker) as string) ? [marker] : [];
  if (leftovers.length > 0 || missing.length > 0) await ctx.store.applyWork(instanceId, { insertActivities: missing, deleteKeys: leftovers });
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
