/**
 * The history an entity turn writes. An entity's History partition holds only its latest batch,
 * as a new execution: OrchestratorStarted, ExecutionStarted (Input = the scheduler state after the
 * batch) and OrchestratorCompleted, which is what the extension's continue-as-new entities leave
 * in the table (rows of older executions may linger).
 * @see taskhub-layout.md section 4
 */
import type { HistoryEvent } from './history-event.js';
import type { EntityTurnResult } from './entity-turn-complete.js';

export interface EntityTurnHistoryOptions {
  /** A new execution id per turn (32 hex, `Guid.ToString("N")`). */
  executionId: string;
  now: Date;
}

/** The history rows of one completed entity turn, in row order. */
export function entityTurnHistory(instanceId: string, result: EntityTurnResult, options: EntityTurnHistoryOptions): HistoryEvent[] {
  const base = { eventId: -1, isPlayed: false, timestamp: options.now.toISOString() };
  return [
    { ...base, type: 'OrchestratorStarted' },
    { ...base, type: 'ExecutionStarted', name: instanceId, version: '', input: result.instance.input, instanceId, executionId: options.executionId },
    { ...base, type: 'OrchestratorCompleted' },
  ];
}
