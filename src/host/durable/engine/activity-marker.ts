/**
 * Which activities of an execution are open, and the one `a-` Work row that marks them.
 *
 * The activities themselves are in history (TaskScheduled without a completion, with name and
 * input), so recovery resumes them from there. The Work partition only has to show recovery that
 * the instance has work (and keep the partition non-empty while its Instances row lags): one row
 * per run of turns that leave an activity open. The marker is chosen at the end of each turn and
 * kept while activities stay open, so a sequence of activity steps writes it once and deletes it
 * once instead of inserting and deleting a row per step.
 * @see docs/design/durable-engine.md "Storage beyond the DTFx layout"
 */
import type { HistoryEvent, HistoryEventOf } from '../core/history-event.js';
import { preEncodedInputText } from '../core/orchestration-scheduling.js';
import { activityRowKey } from '../store/key-sanitation.js';
import type { ActivityWork } from '../wire/work-row.js';

/** Activities scheduled in `events` without a completion, oldest first. */
export function openActivities(executionId: string, events: readonly HistoryEvent[]): ActivityWork[] {
  const open = new Map<number, HistoryEventOf<'TaskScheduled'>>();
  for (const e of events) {
    if (e.type === 'TaskScheduled') open.set(e.eventId, e);
    else if (e.type === 'TaskCompleted' || e.type === 'TaskFailed') open.delete(e.taskScheduledId);
  }
  return [...open.values()].map((e) => toWork(executionId, e));
}

/**
 * The marker row after the last turn of `events`: undefined when no activity is open at the end
 * of it; otherwise the activity that opened the current run (evaluated at turn ends, the
 * OrchestratorStarted that begins each turn, so a step that completes one activity and schedules
 * the next keeps it).
 */
export function activityMarker(executionId: string, events: readonly HistoryEvent[]): ActivityWork | undefined {
  const scheduled = new Map<number, HistoryEventOf<'TaskScheduled'>>();
  const open = new Set<number>();
  let marker: number | undefined;
  const turnEnds = (): void => {
    if (open.size === 0) marker = undefined;
    else marker ??= Math.min(...open);
  };
  for (const e of events) {
    if (e.type === 'OrchestratorStarted') turnEnds();
    else if (e.type === 'TaskScheduled') {
      scheduled.set(e.eventId, e);
      open.add(e.eventId);
    } else if (e.type === 'TaskCompleted' || e.type === 'TaskFailed') open.delete(e.taskScheduledId);
  }
  turnEnds();
  const event = marker === undefined ? undefined : scheduled.get(marker);
  return event ? toWork(executionId, event) : undefined;
}

export function markerRowKey(marker: ActivityWork | undefined): string | undefined {
  return marker ? activityRowKey(marker.executionId, marker.taskId) : undefined;
}

function toWork(executionId: string, e: HistoryEventOf<'TaskScheduled'>): ActivityWork {
  const input = activityInput(e.input);
  return { executionId, taskId: e.eventId, name: e.name, ...(input === undefined ? {} : { input }) };
}

/**
 * The activity's input text from TaskScheduled's `Input`, the extension's array `[<action input>]`
 * (`core/orchestration-scheduling.ts` writes both from the same action input).
 */
function activityInput(scheduledInput: string | undefined): string | undefined {
  if (scheduledInput === undefined) return undefined;
  const parsed: unknown = JSON.parse(scheduledInput);
  return preEncodedInputText(Array.isArray(parsed) ? parsed[0] : parsed);
}
