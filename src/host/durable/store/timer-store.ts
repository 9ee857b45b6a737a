/**
 * `<Hub>Timers`: durable timers keyed by fire time (PartitionKey = fixed-width ISO), so the first
 * row of the table is the next timer to fire and the engine keeps only that one in memory.
 * @see docs/design/durable-engine.md
 */
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { TimerRowSchema, timerRowToTimer, timerToColumns, type TimerRecord } from '../wire/work-row.js';
import { escapePartitionKey, timerPartitionKey, timerRowKey, timerRowKeyInstance } from './key-sanitation.js';
import { MAX_BATCH_OPERATIONS, chunk, deleteRows, listAll, listPage } from './table-ops.js';
import { submitTransaction } from './table-transaction.js';

export class TimerStore {
  constructor(private readonly table: TableClient) {}

  /** Upsert timers (idempotent); timers due at the same instant share a transaction. */
  async put(timers: readonly TimerRecord[]): Promise<void> {
    await Promise.all(
      [...groupByPartition(timers)].map(async ([partitionKey, group]) => {
        for (const part of chunk(group, MAX_BATCH_OPERATIONS)) {
          await submitTransaction(
            this.table,
            part.map((t): TransactionAction => ['upsert', { partitionKey, rowKey: timerRowKey(t.instanceId, t.executionId, t.timerId), ...timerToColumns(t) }, 'Replace']),
          );
        }
      }),
    );
  }

  /** Delete timers (fired or no longer wanted); timers already gone are not an error. */
  async delete(timers: readonly TimerRecord[]): Promise<void> {
    await Promise.all(
      [...groupByPartition(timers)].map(([partitionKey, group]) =>
        deleteRows(this.table, partitionKey, group.map((t) => timerRowKey(t.instanceId, t.executionId, t.timerId))),
      ),
    );
  }

  /** The earliest timer, or undefined when there is none (usually one request). */
  async next(): Promise<TimerRecord | undefined> {
    // The service may answer a page with no rows but a continuation token (partition boundaries); follow it.
    let token: string | undefined;
    do {
      const page = await listPage(this.table, {}, 1, token);
      const row = page.rows[0];
      if (row) return timerRowToTimer(TimerRowSchema.parse(row));
      token = page.continuationToken;
    } while (token);
    return undefined;
  }

  /** Up to `limit` timers with fire time ≤ `now`, earliest first. */
  async due(now: Date, limit: number): Promise<TimerRecord[]> {
    const options = { queryOptions: { filter: odata`PartitionKey le ${now.toISOString()}` } };
    const timers: TimerRecord[] = [];
    let token: string | undefined;
    do {
      const page = await listPage(this.table, options, limit - timers.length, token);
      timers.push(...page.rows.map((row) => timerRowToTimer(TimerRowSchema.parse(row))));
      token = page.continuationToken;
    } while (token && timers.length < limit);
    return timers;
  }

  /** Delete every timer of one instance (purge). Scans the table: timers are keyed by time, not instance. */
  async deleteForInstance(instanceId: string): Promise<void> {
    const escaped = escapePartitionKey(instanceId);
    const prefix = `${escaped}|`;
    // RowKey range narrows the scan; the exact match drops ids that merely start with `<id>|`.
    const rows = await listAll(this.table, { queryOptions: { filter: odata`RowKey ge ${prefix} and RowKey lt ${`${escaped}}`}`, select: ['PartitionKey', 'RowKey'] } });
    const byPartition = new Map<string, string[]>();
    for (const row of rows) {
      if (timerRowKeyInstance(row.rowKey ?? '') !== escaped) continue;
      const keys = byPartition.get(row.partitionKey ?? '') ?? [];
      keys.push(row.rowKey ?? '');
      byPartition.set(row.partitionKey ?? '', keys);
    }
    await Promise.all([...byPartition].map(([partitionKey, keys]) => deleteRows(this.table, partitionKey, keys)));
  }
}

function groupByPartition(timers: readonly TimerRecord[]): Map<string, TimerRecord[]> {
  const groups = new Map<string, TimerRecord[]>();
  for (const timer of timers) {
    const key = timerPartitionKey(timer.fireAt);
    // A transaction may not touch one row twice: keep one timer per key.
    const group = (groups.get(key) ?? []).filter((t) => timerRowKey(t.instanceId, t.executionId, t.timerId) !== timerRowKey(timer.instanceId, timer.executionId, timer.timerId));
    group.push(timer);
    groups.set(key, group);
  }
  return groups;
}
