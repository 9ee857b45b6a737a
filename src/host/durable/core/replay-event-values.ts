/**
 * Values the replay simulation reads from history events, the way the JS library reads them:
 * completion results, entity request ids and responses, and the events continue-as-new carries over.
 */
import type { HistoryEvent } from './history-event.js';

/** The JS keeps the parsed result; only HTTP polling reads it (status code and headers). */
export function parseResult(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The request id in an EventSent's input, parsed once per event object: every episode replays the
 * whole history, and parsing each entity request again made a long chain of entity calls
 * O(history) in JSON parsing per episode.
 */
const requestIds = new WeakMap<HistoryEvent, string | null>();

export function requestIdOfEvent(event: HistoryEvent & { input?: string }): string | undefined {
  let id = requestIds.get(event);
  if (id === undefined) {
    id = requestIdOf(event.input) ?? null;
    requestIds.set(event, id);
  }
  return id ?? undefined;
}

export function requestIdOf(input: string | undefined): string | undefined {
  if (input === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(input);
    const id = (parsed as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

export function entityResponseFailed(input: unknown): boolean {
  if (typeof input !== 'string') return false;
  try {
    const parsed = JSON.parse(input) as { exceptionType?: unknown } | null;
    return parsed !== null && typeof parsed === 'object' && parsed.exceptionType !== undefined && parsed.exceptionType !== null;
  } catch {
    return false;
  }
}

/**
 * continueAsNew carries over the EventRaised events of the current episode that the orchestrator
 * never saw (delivered in the same batch after its decision); older unconsumed events are dropped
 * (DTFx CarryoverEvents, durable-protocol.md B.14).
 */
export function carryOverEvents(history: readonly HistoryEvent[], stoppedAt: number): HistoryEvent[] {
  let lastStart = -1;
  history.forEach((e, i) => {
    if (e.type === 'OrchestratorStarted') lastStart = i;
  });
  const from = Math.max(stoppedAt, lastStart) + 1;
  return history.slice(from).filter((e) => e.type === 'EventRaised');
}
