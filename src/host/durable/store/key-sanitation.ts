/**
 * Table keys of the task hub: DTFx `KeySanitation` for instance ids in keys, X16 history row
 * keys, and the engine's Work and Timers keys.
 * @see taskhub-layout.md section 2; https://github.com/Azure/durabletask/blob/main/src/DurableTask.AzureStorage/Tracking/KeySanitation.cs
 */

const escapes: Record<string, string> = { '^': '^^', '/': '^0', '\\': '^1', '#': '^2', '?': '^3' };
const unescapes: Record<string, string> = { '^': '^', '0': '/', '1': '\\', '2': '#', '3': '?' };
// Characters Azure Tables forbids in keys: the four above plus C0 and C1 control characters.
const escapedChars = /[\^/\\#?\u0000-\u001f\u007f-\u009f]/g;
const CONTROL_OFFSET = 0xc0;

/** DTFx `EscapePartitionKey`; also safe inside a RowKey. */
export function escapePartitionKey(value: string): string {
  return value.replace(escapedChars, (ch) => escapes[ch] ?? `^${String.fromCharCode(ch.charCodeAt(0) + CONTROL_OFFSET)}`);
}

/** DTFx `UnescapePartitionKey`: the inverse of {@link escapePartitionKey}. */
export function unescapePartitionKey(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    const next = value[i + 1];
    if (ch !== '^' || next === undefined) {
      out += ch;
      continue;
    }
    i++;
    const simple = unescapes[next];
    if (simple !== undefined) out += simple;
    else if (next.charCodeAt(0) >= CONTROL_OFFSET) out += String.fromCharCode(next.charCodeAt(0) - CONTROL_OFFSET);
    else out += ch + next; // not produced by the escaper; keep it as written
  }
  return out;
}

/** History RowKey: the event's index in its execution as `long.ToString("X16")` (16 upper-case hex digits). */
export function historyRowKey(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`not an event index: ${index}`);
  return index.toString(16).toUpperCase().padStart(16, '0');
}

/** The index of an X16 RowKey, or undefined for the sentinel and anything else. */
export function parseHistoryRowKey(rowKey: string): number | undefined {
  return /^[0-9A-F]{16}$/.test(rowKey) ? Number.parseInt(rowKey, 16) : undefined;
}

export const SENTINEL_ROW_KEY = 'sentinel';

/**
 * Work message RowKey `m-<13-digit ms>-<escaped message id>`. The time is the event's own
 * timestamp, so re-sending the same message (same event) after a crash hits the same row.
 */
export function messageRowKey(eventTimestamp: string, messageId: string): string {
  const ms = Date.parse(eventTimestamp);
  if (Number.isNaN(ms) || ms < 0) throw new RangeError(`not an event timestamp: ${eventTimestamp}`);
  return `m-${String(ms).padStart(13, '0')}-${escapePartitionKey(messageId)}`;
}

/** Work activity RowKey `a-<executionId>-<8-digit task id>`. */
export function activityRowKey(executionId: string, taskId: number): string {
  return `a-${escapePartitionKey(executionId)}-${String(taskId).padStart(8, '0')}`;
}

export const isMessageRowKey = (rowKey: string): boolean => rowKey.startsWith('m-');
export const isActivityRowKey = (rowKey: string): boolean => rowKey.startsWith('a-');

/** Timers PartitionKey: the fire time as fixed-width ISO text, so table order is fire order. */
export function timerPartitionKey(fireAt: string): string {
  const date = new Date(fireAt);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a fire time: ${fireAt}`);
  return date.toISOString();
}

/** Timers RowKey `<escaped instance id>|<executionId>|<timer id>`. */
export function timerRowKey(instanceId: string, executionId: string, timerId: number): string {
  return `${escapePartitionKey(instanceId)}|${escapePartitionKey(executionId)}|${timerId}`;
}

/**
 * The escaped instance id of a Timers RowKey. Instance ids may contain `|`, so the id is what
 * precedes the last two separators (execution ids and timer ids never contain one).
 */
export function timerRowKeyInstance(rowKey: string): string {
  const parts = rowKey.split('|');
  return parts.slice(0, -2).join('|');
}

/** The smallest string greater than every string starting with `prefix` (for `ge`/`lt` range filters). */
export function prefixUpperBound(prefix: string): string {
  if (prefix === '') throw new RangeError('empty prefix has no upper bound');
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}
