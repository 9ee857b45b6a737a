/**
 * Upserts and deletes on one table with a group commit per partition: while a transaction of a
 * partition is in flight, the changes that arrive for it wait and go together in the next one.
 * 32 clients signalling one entity then cost a few transactions instead of 32, a lone write still
 * goes at once, and an entity turn's deletes of the rows it consumed ride with the next signals'
 * rows instead of costing a transaction of their own. Each caller's promise settles with the
 * transaction that held its changes, so a caller is acknowledged only once they are stored, as
 * with a transaction of its own.
 */
import { odata, type TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import type { Columns } from '../wire/table-columns.js';
import { statusOf } from './errors.js';
import { MAX_BATCH_OPERATIONS, listAll } from './table-ops.js';
import { submitTransaction } from './table-transaction.js';

/** Well under the service's 4 MiB per transaction (rows hold at most ~30 KB per column inline). */
const MAX_BATCH_CHARS = 2_000_000;

type Change = { kind: 'upsert'; row: TableEntity<Columns> } | { kind: 'delete'; rowKey: string };

interface Queued {
  change: Change;
  /** Waits for the partition's next transaction (or {@link LATER_MS}) instead of starting one. */
  later: boolean;
  chars: number;
  done(err?: unknown): void;
}

interface Partition {
  busy: boolean;
  queue: Queued[];
  timer: NodeJS.Timeout | undefined;
}

/** How long deletes that may wait ({@link GroupedWrites.deleteLater}) wait for a transaction to join. */
export const LATER_MS = 250;

export class GroupedWrites {
  readonly #partitions = new Map<string, Partition>();

  constructor(private readonly table: TableClient) {}

  /** Upsert (Replace) the rows, any partitions; resolves when every row is stored. */
  async upsert(rows: readonly TableEntity<Columns>[]): Promise<void> {
    await this.#enqueue(rows.map((row) => ({ partitionKey: row.partitionKey, change: { kind: 'upsert', row }, chars: JSON.stringify(row).length })));
  }

  /** Delete rows of one partition (rows already gone are skipped); resolves when they are gone. */
  async delete(partitionKey: string, rowKeys: readonly string[]): Promise<void> {
    await this.#enqueue(rowKeys.map((rowKey) => ({ partitionKey, change: { kind: 'delete', rowKey }, chars: rowKey.length + 64 })));
  }

  /**
   * Delete rows of one partition with the partition's next transaction, or within {@link LATER_MS}
   * when none comes; nothing waits for it. Only for rows whose survival is harmless: a row left
   * by a crash is read again and dropped by its target as a re-delivery.
   */
  deleteLater(partitionKey: string, rowKeys: readonly string[]): void {
    if (rowKeys.length === 0) return;
    this.#enqueue(
      rowKeys.map((rowKey) => ({ partitionKey, change: { kind: 'delete', rowKey }, chars: rowKey.length + 64 })),
      true,
    ).catch(() => undefined); // left rows are dropped as re-deliveries; the next delete of them retries
  }

  async #enqueue(items: readonly { partitionKey: string; change: Change; chars: number }[], later = false): Promise<void> {
    const landed: Promise<void>[] = [];
    const touched = new Map<string, Partition>();
    // Queue the whole call first, so that its changes to one partition share a transaction.
    for (const { partitionKey, change, chars } of items) {
      const partition = this.#partitions.get(partitionKey) ?? { busy: false, queue: [], timer: undefined };
      this.#partitions.set(partitionKey, partition);
      touched.set(partitionKey, partition);
      landed.push(new Promise<void>((resolve, reject) => partition.queue.push({ change, later, chars, done: (err) => (err === undefined ? resolve() : reject(err)) })));
    }
    for (const [partitionKey, partition] of touched) {
      if (later) this.#later(partitionKey, partition);
      else this.#kick(partitionKey, partition);
    }
    await Promise.all(landed);
  }

  #kick(partitionKey: string, partition: Partition): void {
    if (partition.busy) return;
    if (partition.timer !== undefined) {
      clearTimeout(partition.timer);
      partition.timer = undefined;
    }
    if (partition.queue.length === 0) {
      this.#partitions.delete(partitionKey);
      return;
    }
    // A transaction may touch a row once: a later change of a row (a re-delivery, a delete after
    // the write) replaces the earlier, as if they had gone one after the other.
    const batch = new Map<string, Queued[]>();
    let chars = 0;
    let taken = 0;
    for (const item of partition.queue) {
      const key = rowKeyOf(item.change);
      const fresh = !batch.has(key);
      if (fresh && (batch.size >= MAX_BATCH_OPERATIONS || (batch.size > 0 && chars + item.chars > MAX_BATCH_CHARS))) break;
      batch.set(key, [...(batch.get(key) ?? []), item]);
      chars += item.chars;
      taken++;
    }
    partition.queue.splice(0, taken);
    partition.busy = true;
    const changes = [...batch.values()].map((items) => (items.at(-1) as Queued).change);
    this.#submit(partitionKey, changes).then(
      () => this.#settle(partitionKey, partition, batch, undefined),
      (err: unknown) => this.#settle(partitionKey, partition, batch, err ?? new Error('transaction failed')),
    );
  }

  async #submit(partitionKey: string, changes: readonly Change[]): Promise<void> {
    const actions = (list: readonly Change[]) => list.map((c): TransactionAction => (c.kind === 'upsert' ? ['upsert', c.row, 'Replace'] : ['delete', { partitionKey, rowKey: c.rowKey }]));
    try {
      await submitTransaction(this.table, actions(changes));
    } catch (err) {
      if (statusOf(err) !== 404 || !changes.some((c) => c.kind === 'delete')) throw err;
      // A delete of a row that is already gone (a redone post-commit) fails the whole transaction:
      // redo it without such deletes.
      const present = new Set((await listAll(this.table, { queryOptions: { filter: odata`PartitionKey eq ${partitionKey}`, select: ['RowKey'] } })).map((r) => r.rowKey));
      const retry = changes.filter((c) => c.kind === 'upsert' || present.has(c.rowKey));
      if (retry.length > 0) await submitTransaction(this.table, actions(retry));
    }
  }

  #settle(partitionKey: string, partition: Partition, batch: Map<string, Queued[]>, err: unknown): void {
    partition.busy = false;
    for (const items of batch.values()) for (const item of items) item.done(err);
    if (partition.queue.length > 0 && partition.queue.every((item) => item.later)) this.#later(partitionKey, partition);
    else this.#kick(partitionKey, partition);
  }

  /** Kick the partition in {@link LATER_MS} unless something kicks it first. */
  #later(partitionKey: string, partition: Partition): void {
    if (partition.timer !== undefined || partition.busy) return;
    partition.timer = setTimeout(() => {
      partition.timer = undefined;
      this.#kick(partitionKey, partition);
    }, LATER_MS);
    partition.timer.unref?.();
  }
}

function rowKeyOf(change: Change): string {
  return change.kind === 'upsert' ? change.row.rowKey : change.rowKey;
}
