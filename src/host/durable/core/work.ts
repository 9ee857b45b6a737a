/**
 * What a turn asks the engine to do after it commits: the outbound side of an episode.
 * Produced by the pure turn logic, carried out (idempotently) by the engine.
 */
import type { HistoryEvent, ParentInstance } from './history-event.js';

/** A message for another instance (or for this one, e.g. the engine's own bookkeeping). */
export interface InstanceMessage {
  /** Deterministic for instance-sent messages (`<sender>|<executionId>|<eventId>`), random for client messages. */
  messageId: string;
  targetInstanceId: string;
  /** When set, the message is for that execution only (completions); otherwise for the current one. */
  targetExecutionId?: string;
  /** The event to append to the target's history (EventRaised, ExecutionStarted, completions, ...). */
  event: HistoryEvent;
  /** Instance id of the sender, for entity de-duplication and ordering; absent for clients. */
  sender?: string;
}

export type OutboundWork =
  | { kind: 'activity'; taskId: number; name: string; /** JSON text as the activity receives it, undefined for no input */ input?: string }
  | { kind: 'timer'; timerId: number; fireAt: string }
  | { kind: 'message'; message: InstanceMessage }
  | {
      kind: 'startSubOrchestration';
      taskId: number;
      name: string;
      instanceId: string;
      version: string;
      input?: string;
      parent: ParentInstance;
    };
