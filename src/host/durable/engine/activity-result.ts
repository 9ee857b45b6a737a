/**
 * How an activity's outcome becomes a history event, as the Durable extension writes it.
 * @see durable-protocol.md D; azure-functions-durable-extension Listener/TaskActivityShim.cs
 */
import type { HistoryEvent } from '../core/history-event.js';
import type { RpcTypedData } from '../../worker/rpc-types.js';

/**
 * The `Result` text of TaskCompleted from the function's return value: strings become JSON
 * strings, json stays compact JSON, numbers become digits, bytes a base64 JSON string,
 * nothing stays absent (the JS then sees null).
 */
export function activityResultText(returned: RpcTypedData | null | undefined): string | undefined {
  if (!returned) return undefined;
  if (returned.json !== undefined && returned.json !== null) return JSON.stringify(JSON.parse(returned.json));
  if (returned.string !== undefined && returned.string !== null) return JSON.stringify(returned.string);
  if (returned.int !== undefined && returned.int !== null) return String(Number(returned.int));
  if (returned.double !== undefined && returned.double !== null) return JSON.stringify(returned.double);
  if (returned.bytes) return JSON.stringify(Buffer.from(returned.bytes).toString('base64'));
  if (returned.stream) return JSON.stringify(Buffer.from(returned.stream).toString('base64'));
  return undefined;
}

export function activityCompleted(taskScheduledId: number, returned: RpcTypedData | null | undefined, timestamp: string): HistoryEvent {
  const result = activityResultText(returned);
  return { type: 'TaskCompleted', eventId: -1, isPlayed: false, timestamp, taskScheduledId, ...(result === undefined ? {} : { result }) };
}

/**
 * TaskFailed as the extension builds it: the friendly reason is cut from the worker's
 * "Result: Failure\nException: <message>" text, which leaves a leading space before the message.
 */
export function activityFailed(taskScheduledId: number, functionName: string, error: unknown, timestamp: string): HistoryEvent {
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  return taskFailed(taskScheduledId, `Activity function '${functionName}' failed:  ${message}`, JSON.stringify({ Message: message, StackTrace: stack }), timestamp);
}

export function activityMissing(taskScheduledId: number, functionName: string, timestamp: string): HistoryEvent {
  const message = `Activity function '${functionName}' does not exist.`;
  return taskFailed(taskScheduledId, `Activity function '${functionName}' failed: ${message}`, JSON.stringify({ Message: message }), timestamp);
}

/** A TaskFailed completion with the given reason and details (message events carry EventId -1). */
export function taskFailed(taskScheduledId: number, reason: string, details: string, timestamp: string): HistoryEvent {
  return { type: 'TaskFailed', eventId: -1, isPlayed: false, timestamp, taskScheduledId, reason, details };
}
