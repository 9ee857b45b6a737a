/**
 * The start of an orchestration episode (durable-protocol.md B.6 steps 1-2, B.15): the events that
 * open it, and whether the orchestrator runs at all (termination ends the instance without
 * running it; a suspended instance records its control events and waits for resume).
 */
import type { HistoryEvent, HistoryEventOf, ParentInstance } from './history-event.js';
import { lastEpisodeStart, readHistory } from './orchestration-history.js';
import { finish, type EpisodeDecision } from './orchestration-turn.js';
import type { InstanceMessage } from './work.js';

export interface StartEpisodeInput {
  /** Committed events of the current execution (empty for a new one). */
  history: readonly HistoryEvent[];
  /** Messages accepted by `acceptMessages`, in arrival order. */
  messages: readonly InstanceMessage[];
  now: Date;
}

export interface EpisodeStart {
  /** OrchestratorStarted, then ExecutionStarted (for a new execution), then the message events; EventId -1, not played. */
  episodeEvents: HistoryEvent[];
  /** False when the episode ends without invoking the orchestrator. */
  runOrchestrator: boolean;
  /** Present exactly when `runOrchestrator` is false: what to append after `episodeEvents`, and the new status. */
  decision?: EpisodeDecision;
}

export class EpisodeError extends Error {
  override name = 'EpisodeError';
}

/** Open an episode. The engine commits `episodeEvents` (+ `decision.appended`) after deciding. */
export function startEpisode(input: StartEpisodeInput): EpisodeStart {
  const previousStart = input.history[lastEpisodeStart(input.history)];
  // The JS clock never goes back; keep OrchestratorStarted timestamps monotonic per execution.
  const now = previousStart && new Date(previousStart.timestamp).getTime() > input.now.getTime() ? new Date(previousStart.timestamp) : input.now;
  const timestamp = now.toISOString();
  const events = input.messages.map((m) => ({ ...m.event, eventId: -1, isPlayed: false }) as HistoryEvent);
  const starts = events.filter((e) => e.type === 'ExecutionStarted');
  const others = events.filter((e) => e.type !== 'ExecutionStarted');
  const episodeEvents: HistoryEvent[] = [{ type: 'OrchestratorStarted', eventId: -1, isPlayed: false, timestamp }, ...starts.slice(0, 1), ...others];

  const history = [...input.history, ...episodeEvents];
  const facts = readHistory(history);
  if (!facts.started) throw new EpisodeError('an episode needs an ExecutionStarted event in the history or among the messages');
  if (facts.finalStatus) throw new EpisodeError(`the execution already ended (${facts.finalStatus})`);

  const terminated = others.find((e): e is HistoryEventOf<'ExecutionTerminated'> => e.type === 'ExecutionTerminated');
  if (terminated) {
    const decision = finish(history, facts.started, timestamp, { status: 'Terminated', ...(terminated.input !== undefined ? { reason: terminated.input } : {}) });
    return { episodeEvents, runOrchestrator: false, decision };
  }
  if (facts.suspended) {
    const decision: EpisodeDecision = {
      appended: [{ type: 'OrchestratorCompleted', eventId: -1, isPlayed: false, timestamp }],
      work: [],
      runtimeStatus: 'Suspended',
    };
    return { episodeEvents, runOrchestrator: false, decision };
  }
  return { episodeEvents, runOrchestrator: true };
}

/** Inputs of {@link executionStartedEvent}. */
export interface NewExecution {
  instanceId: string;
  executionId: string;
  name: string;
  /** The version the start asked for; falls back to `defaultVersion`, then `''`. */
  version?: string;
  /** host.json `defaultVersion`. */
  defaultVersion?: string;
  /** Orchestration input as JSON text; undefined for none. */
  input?: string;
  parent?: ParentInstance;
  tags?: Record<string, string>;
  generation?: number;
  now: Date;
}

/** The ExecutionStarted event of a new execution (client start, sub-orchestration start, next generation). */
export function executionStartedEvent(start: NewExecution): HistoryEventOf<'ExecutionStarted'> {
  return {
    type: 'ExecutionStarted',
    eventId: -1,
    isPlayed: false,
    timestamp: start.now.toISOString(),
    name: start.name,
    version: start.version || start.defaultVersion || '',
    instanceId: start.instanceId,
    executionId: start.executionId,
    ...(start.input !== undefined ? { input: start.input } : {}),
    ...(start.parent ? { parent: start.parent } : {}),
    ...(start.tags ? { tags: start.tags } : {}),
    ...(start.generation !== undefined ? { generation: start.generation } : {}),
  };
}

/**
 * The messages that open the next generation after continue-as-new: its ExecutionStarted (same
 * name, version and parent, new execution id, generation + 1) followed by the carried-over events.
 * Pass them to {@link startEpisode} with an empty history.
 */
export function nextGenerationMessages(
  previous: HistoryEventOf<'ExecutionStarted'>,
  continueAsNew: NonNullable<EpisodeDecision['continueAsNew']>,
  executionId: string,
  now: Date,
): InstanceMessage[] {
  const started = executionStartedEvent({
    instanceId: previous.instanceId,
    executionId,
    name: previous.name,
    version: continueAsNew.version,
    ...(continueAsNew.input !== undefined ? { input: continueAsNew.input } : {}),
    ...(previous.parent ? { parent: previous.parent } : {}),
    ...(previous.tags ? { tags: previous.tags } : {}),
    generation: (previous.generation ?? 0) + 1,
    now,
  });
  return [started, ...continueAsNew.carryOverEvents].map((event, i) => ({
    messageId: `${previous.instanceId}|${executionId}|start-${i}`,
    targetInstanceId: previous.instanceId,
    targetExecutionId: executionId,
    event,
  }));
}
