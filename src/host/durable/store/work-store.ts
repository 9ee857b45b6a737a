/**
 * `<Hub>Work`: per instance, the inbound messages not yet in its history (`m-…`) and the
 * activities its committed turns scheduled and have not completed (`a-…`). Only in-flight work
 * lives here, so a restarted engine finds everything to resume by scanning this one table.
 * @see docs/design/durable-engine.md
 */
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { InstanceMessage } from '../core/work.js';
import {
  ActivityRowSchema,
  MessageRowSchema,
  activityRowToActivity,
  activityToColumns,
  messageRowToMessage,
  messageToColumns,
  type ActivityWork,
  type StoredActivity,
  type StoredMessage,
} from '../wire/work-row.js';
import { statusOf } from './errors.js';
import { GroupedWrites } from './grouped-writes.js';
import { activityRowKey, escapePartitionKey, isActivityRowKey, isMessageRowKey, messageRowKey, unescapePartitionKey } from './key-sanitation.js';
import type { LargeValues } from './large-values.js';
import { MAX_BATCH_OPERATIONS, chunk, deleteRows, listAll } from './table-ops.js';
import { submitTransaction } from './table-transaction.js';

/** An instance's Work partition, messages oldest first (row keys sort by enqueue time). */
export interface InstanceWork {
  messages: StoredMessage[];
  activities: StoredActivity[];
}

export interface WorkChanges {
  insertActivities: readonly ActivityWork[];
  deleteKeys: readonly string[];
}

export class WorkStore {
  readonly #writes: GroupedWrites;

  constructor(
    private readonly table: TableClient,
    private readonly large: LargeValues,
  ) {
    this.#writes = new GroupedWrites(table);
  }

  /**
   * Upsert message rows `m-<event ms>-<message id>` in the targets' partitions (transactions per
   * partition, shared with concurrent writers to it, partitions in parallel). Re-sending a message with the same id and
   * event overwrites its row, so delivery is idempotent. Returns the row keys, in input order.
   */
  async putMessages(messages: readonly InstanceMessage[]): Promise<string[]> {
    const keys = messages.map((message) => messageRowKey(message.event.timestamp, message.messageId));
    const rows = await Promise.all(
      messages.map(async (message, i) => {
        const partitionKey = escapePartitionKey(message.targetInstanceId);
        const rowKey = keys[i] as string;
        const columns = await this.large.offload(messageToColumns(message), (column, random) => `${partitionKey}/work-${rowKey}-${random}-${column}.json.gz`);
        return { partitionKey, rowKey, ...columns };
      }),
    );
    // Writers to one partition share transactions (group commit); a duplicate row: the last one wins.
    await this.#writes.upsert(rows);
    return keys;
  }

  /**
   * The post-commit change to one instance's Work partition: insert the activities the turn
   * scheduled and delete the rows it consumed, one transaction per 100 operations. Safe to repeat
   * (recovery): inserts are upserts and rows already deleted are skipped.
   */
  async apply(instanceId: string, changes: WorkChanges): Promise<void> {
    const partitionKey = escapePartitionKey(instanceId);
    const deletes = new Set(changes.deleteKeys);
    // Deletes alone (an entity turn's, an answered call's) join the partition's group commit:
    // with messages arriving for the instance they share a transaction with them.
    if (changes.insertActivities.length === 0) return this.#writes.delete(partitionKey, [...deletes]);
    const inserts = await Promise.all(
      changes.insertActivities
        .map((activity) => ({ activity, rowKey: activityRowKey(activity.executionId, activity.taskId) }))
        .filter(({ rowKey }) => !deletes.has(rowKey)) // one transaction may not touch a row twice; the delete wins
        .map(async ({ activity, rowKey }) => {
          const columns = await this.large.offload(activityToColumns(activity), (column, random) => `${partitionKey}/work-${rowKey}-${random}-${column}.json.gz`);
          return { partitionKey, rowKey, ...columns };
        }),
    );
    const actions: TransactionAction[] = [
      ...inserts.map((row): TransactionAction => ['upsert', row, 'Replace']),
      ...[...deletes].map((rowKey): TransactionAction => ['delete', { partitionKey, rowKey }]),
    ];
    for (const part of chunk(actions, MAX_BATCH_OPERATIONS)) {
      try {
        await submitTransaction(this.table, part);
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
        // A delete of a row that is already gone fails the whole transaction: redo it without those.
        const present = new Set((await listAll(this.table, { queryOptions: { filter: odata`PartitionKey eq ${partitionKey}`, select: ['RowKey'] } })).map((r) => r.rowKey));
        const retry = part.filter((action) => action[0] !== 'delete' || present.has(action[1].rowKey));
        if (retry.length > 0) await submitTransaction(this.table, retry);
      }
    }
  }

  /** Delete consumed rows with the partition's next transaction (see {@link GroupedWrites.deleteLater}). */
  deleteLater(instanceId: string, rowKeys: readonly string[]): void {
    this.#writes.deleteLater(escapePartitionKey(instanceId), rowKeys);
  }

  /** Everything waiting for one instance. */
  async read(instanceId: string): Promise<InstanceWork> {
    const rows = await listAll(this.table, { queryOptions: { filter: odata`PartitionKey eq ${escapePartitionKey(instanceId)}` } });
    const work: InstanceWork = { messages: [], activities: [] };
    for (const raw of rows) {
      const rowKey = raw.rowKey ?? '';
      if (isMessageRowKey(rowKey)) work.messages.push(messageRowToMessage(MessageRowSchema.parse(await this.large.resolve(raw))));
      else if (isActivityRowKey(rowKey)) work.activities.push(activityRowToActivity(ActivityRowSchema.parse(await this.large.resolve(raw))));
    }
    return work;
  }

  /** Scan the whole table (keys only): which instances have work, and which rows. For recovery at start. */
  async listPartitions(): Promise<{ instanceId: string; rowKeys: string[] }[]> {
    const rows = await listAll(this.table, { queryOptions: { select: ['PartitionKey', 'RowKey'] } });
    const byInstance = new Map<string, string[]>();
    for (const row of rows) {
      const instanceId = unescapePartitionKey(row.partitionKey ?? '');
      const keys = byInstance.get(instanceId) ?? [];
      keys.push(row.rowKey ?? '');
      byInstance.set(instanceId, keys);
    }
    return [...byInstance].map(([instanceId, rowKeys]) => ({ instanceId, rowKeys }));
  }

  /** Delete an instance's whole partition (purge). */
  async deletePartition(instanceId: string): Promise<void> {
    const partitionKey = escapePartitionKey(instanceId);
    const rows = await listAll(this.table, { queryOptions: { filter: odata`PartitionKey eq ${partitionKey}`, select: ['RowKey'] } });
    await deleteRows(this.table, partitionKey, rows.map((r) => r.rowKey ?? ''));
  }
}
