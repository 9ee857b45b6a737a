/**
 * Upserts into one table with a group commit per partition: while a transaction of a partition
 * is in flight, the rows that arrive for it wait and go together in the next one. 32 clients
 * signalling one entity then cost a few transactions instead of 32, and a lone write still goes
 * at once. Each caller's promise settles with the transaction that held its rows, so a caller is
 * acknowledged only once its rows are stored, as with a transaction of its own.
 */
import type { TableClient, TableEntity, TransactionAction } from '@azure/data-tables';
import type { Columns } from '../wire/table-columns.js';
import { MAX_BATCH_OPERATIONS } from './table-ops.js';
import { submitTransaction } from './table-transaction.js';

/** Well under the service's 4 MiB per transaction (rows hold at most ~30 KB per column inline). */
const MAX_BATCH_CHARS = 2_000_000;

interface Queued {
  row: TableEntity<Columns>;
  chars: number;
  done(err?: unknown): void;
}

interface Partition {
  busy: boolean;
  queue: Queued[];
}

export class GroupedUpserts {
  readonly #partitions = new Map<string, Partition>();

  constructor(private readonly table: TableClient) {}

  /** Upsert (Replace) the rows, any partitions; resolves when every row is stored. */
  async upsert(rows: readonly TableEntity<Columns>[]): Promise<void> {
    const landed: Promise<void>[] = [];
    const touched = new Map<string, Partition>();
    // Queue the whole call first, so that its rows for one partition share a transaction.
    for (const row of rows) {
      const partition = this.#partitions.get(row.partitionKey) ?? { busy: false, queue: [] };
      this.#partitions.set(row.partitionKey, partition);
      touched.set(row.partitionKey, partition);
      landed.push(new Promise<void>((resolve, reject) => partition.queue.push({ row, chars: JSON.stringify(row).length, done: (err) => (err === undefined ? resolve() : reject(err)) })));
    }
    for (const [partitionKey, partition] of touched) this.#kick(partitionKey, partition);
    await Promise.all(landed);
  }

  #kick(partitionKey: string, partition: Partition): void {
    if (partition.busy) return;
    if (partition.queue.length === 0) {
      this.#partitions.delete(partitionKey);
      return;
    }
    // A transaction may touch a row once: a later copy of a row (a re-delivery) replaces the earlier.
    const batch = new Map<string, Queued[]>();
    let chars = 0;
    let taken = 0;
    for (const item of partition.queue) {
      const fresh = !batch.has(item.row.rowKey);
      if (fresh && (batch.size >= MAX_BATCH_OPERATIONS || (batch.size > 0 && chars + item.chars > MAX_BATCH_CHARS))) break;
      batch.set(item.row.rowKey, [...(batch.get(item.row.rowKey) ?? []), item]);
      chars += item.chars;
      taken++;
    }
    partition.queue.splice(0, taken);
    partition.busy = true;
    const actions = [...batch.values()].map((items): TransactionAction => ['upsert', (items.at(-1) as Queued).row, 'Replace']);
    submitTransaction(this.table, actions).then(
      () => this.#settle(partitionKey, partition, batch, undefined),
      (err: unknown) => this.#settle(partitionKey, partition, batch, err ?? new Error('transaction failed')),
    );
  }

  #settle(partitionKey: string, partition: Partition, batch: Map<string, Queued[]>, err: unknown): void {
    partition.busy = false;
    for (const items of batch.values()) for (const item of items) item.done(err);
    this.#kick(partitionKey, partition);
  }
}
