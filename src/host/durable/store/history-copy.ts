/**
 * A compact copy of an execution's committed history, kept in the History sentinel when it is
 * small, so that a cold load is one point read instead of a partition query. Azurite 3.35 answers
 * a partition query by scanning the whole table (only PartitionKey + RowKey reads use its index),
 * so with thousands of instances every query costs O(table); the copy makes a cold load O(1).
 *
 * The copy holds each event as the very columns its History row holds (`historyEventToColumns`),
 * and is read back through the same row parser, so the two cannot disagree. The history rows stay
 * the truth (DfMon and older hosts read them); a reader falls back to them whenever the copy is
 * absent, too large to have been written, or does not describe the sentinel's execution and
 * `EventCount` (a commit split over several transactions merges the sentinel without rewriting
 * the copy: the copy then still describes the previous commit and is refused unless it matches).
 */
import { z } from 'zod';
import type { HistoryEvent } from '../core/history-event.js';
import { historyEventToColumns, parseHistoryRow } from '../wire/history-row.js';
import { parseJsonText } from '../wire/instance-row.js';
import type { Columns } from '../wire/table-columns.js';

/** Column name prefix: `HistoryCopy0`, `HistoryCopy1`, ... each one slice of one JSON text. */
export const HISTORY_COPY_PREFIX = 'HistoryCopy';
/** Under the service's 64 KiB (32,768 UTF-16 characters) per string property, with room to spare. */
export const HISTORY_COPY_CHARS_PER_COLUMN = 30_000;
/** At most this many columns: the sentinel stays far below the 1 MiB entity and 4 MiB transaction limits. */
export const HISTORY_COPY_MAX_COLUMNS = 4;
const MAX_CHARS = HISTORY_COPY_CHARS_PER_COLUMN * HISTORY_COPY_MAX_COLUMNS;

const CopySchema = z.object({
  executionId: z.string(),
  rows: z.array(z.record(z.string(), z.unknown())),
});

/**
 * First events of histories found too large, by object. A hot instance commits the same event
 * objects turn after turn and its history only grows within an execution, so once too large it
 * stays so: without this, every commit of a long orchestration (1,000 sequential entity calls)
 * serialised ~{@link MAX_CHARS} characters only to drop them. A history that shrinks with the same
 * first object (a rewind) merely goes without a copy, and its loads query the rows.
 */
const tooLarge = new WeakMap<HistoryEvent, string>();

/**
 * The copy's columns for the sentinel, or no columns when the history is too large for it (the
 * reader then queries the rows). Serialising stops as soon as the limit is passed, and a history
 * already found too large is not serialised again.
 */
export function historyCopyColumns(executionId: string, events: readonly HistoryEvent[]): Columns {
  const first = events[0];
  if (first && tooLarge.get(first) === executionId) return {};
  const columns = serialiseCopy(executionId, events);
  if (first && Object.keys(columns).length === 0 && events.length > 0) tooLarge.set(first, executionId);
  return columns;
}

function serialiseCopy(executionId: string, events: readonly HistoryEvent[]): Columns {
  const head = `{"executionId":${JSON.stringify(executionId)},"rows":[`;
  const parts: string[] = [];
  let size = head.length + 2;
  for (const event of events) {
    const text = JSON.stringify(historyEventToColumns(event));
    size += text.length + 1;
    if (size > MAX_CHARS) return {};
    parts.push(text);
  }
  const json = `${head}${parts.join(',')}]}`;
  const columns: Columns = {};
  let start = 0;
  for (let n = 0; start < json.length; n++) {
    let end = Math.min(start + HISTORY_COPY_CHARS_PER_COLUMN, json.length);
    // Never cut a surrogate pair: each half alone would not survive UTF-8 on the wire.
    if (end < json.length && isHighSurrogate(json.charCodeAt(end - 1))) end--;
    if (n >= HISTORY_COPY_MAX_COLUMNS) return {};
    columns[`${HISTORY_COPY_PREFIX}${n}`] = json.slice(start, end);
    start = end;
  }
  return columns;
}

/**
 * The events of the copy in a sentinel row, or undefined when the row has no usable copy: none,
 * unreadable, or not of this execution and event count (the caller then reads the rows).
 */
export function readHistoryCopy(
  sentinel: Record<string, unknown>,
  expected: { instanceId: string; executionId: string; eventCount: number },
): HistoryEvent[] | undefined {
  let json = '';
  for (let n = 0; n < HISTORY_COPY_MAX_COLUMNS; n++) {
    const part = sentinel[`${HISTORY_COPY_PREFIX}${n}`];
    if (typeof part !== 'string') break;
    json += part;
  }
  const copy = parseJsonText(CopySchema, json);
  if (!copy || copy.executionId !== expected.executionId || copy.rows.length !== expected.eventCount) return undefined;
  const fallback = { instanceId: expected.instanceId, executionId: expected.executionId };
  try {
    return copy.rows.map((row) => parseHistoryRow({ ...row, ExecutionId: expected.executionId }, fallback));
  } catch {
    // An unreadable copy is only a missed shortcut: the rows are the truth.
    return undefined;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
