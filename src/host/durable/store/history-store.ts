/**
 * The `<Hub>History` partition of an instance: read the current execution, and commit a turn as
 * one entity-group transaction of event rows plus the ETag-checked sentinel (DTFx's commit point).
 * @see taskhub-layout.md sections 5.3 and 5.4
 */
import { odata, type TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import type { HistoryEvent } from '../core/history-event.js';
import type { OutboundWork } from '../core/work.js';
import { historyEventToColumns, parseHistoryRow } from '../wire/history-row.js';
import { OutboxSchema, outboxFromJson, outboxToJson } from '../wire/work-row.js';
import { DateColumnSchema, Int32ColumnSchema, jsonColumn, type Columns } from '../wire/table-columns.js';
import { ConcurrencyError, StoreErrorCode, TaskHubStoreError, statusOf } from './errors.js';
import { historyCopyColumns, readHistoryCopy } from './history-copy.js';
import { SENTINEL_ROW_KEY, escapePartitionKey, historyRowKey, parseHistoryRowKey } from './key-sanitation.js';
import type { LargeValues } from './large-values.js';
import { listAll, type RawEntity } from './table-ops.js';
import { submitTransaction } from './table-transaction.js';

/** The sentinel row: DTFx's columns plus ours (`TurnNumber`, `LastTurnStart`, `ConsumedKeys`, `Outbox`, `EventCount`). */
const SentinelRowSchema = z.object({
  etag: z.string(),
  ExecutionId: z.string(),
  IsCheckpointComplete: z.boolean().default(true),
  CheckpointCompletedTimestamp: DateColumnSchema.optional(),
  TurnNumber: Int32ColumnSchema.default(0),
  LastTurnStart: Int32ColumnSchema.default(0),
  ConsumedKeys: jsonColumn(z.array(z.string())).optional(),
  Outbox: jsonColumn(OutboxSchema).optional(),
  EventCount: Int32ColumnSchema.optional(),
});

/** What the sentinel says about the last committed turn. */
export interface SentinelState {
  executionId: string;
  /** Pass back to {@link CommitTurnRequest.sentinelEtag}. */
  etag: string;
  turnNumber: number;
  /** Index of the first event of the last committed turn. */
  lastTurnStart: number;
  /** Work row keys the last committed turn consumed (its post-commit deletes them). */
  consumedKeys: string[];
  /** The outbound work of the last committed turn, when the commit recorded it (recovery redoes its post-commit from this). */
  outbox?: OutboundWork[];
}

/** The current execution's history. */
export interface LoadedHistory {
  executionId: string;
  /** Oldest first; `events[i]` is RowKey X16(i). */
  events: HistoryEvent[];
  sentinel: SentinelState;
}

export interface CommitTurnRequest {
  instanceId: string;
  executionId: string;
  /** Index of `events[0]` in the execution (the number of events already committed, or 0 for a new execution). */
  startIndex: number;
  events: readonly HistoryEvent[];
  /** ETag from the last load or commit; undefined for the instance's first write (the sentinel is inserted). */
  sentinelEtag: string | undefined;
  turnNumber: number;
  lastTurnStart: number;
  consumedKeys: readonly string[];
  /** The turn's outbound work, kept in the sentinel so an interrupted post-commit can be redone. Large outboxes go to a blob. */
  outbox?: readonly OutboundWork[];
  /** Continue-as-new or an entity batch: the events start a new execution at index 0; older rows with higher keys stay, as in DTFx. */
  newExecution?: boolean;
  /**
   * The execution's whole history after this turn (the committed events, then `events`). When
   * given and small, the sentinel carries a copy of it, so a cold load needs no partition query.
   */
  history?: readonly HistoryEvent[];
}

/** DTFx caps a history transaction at 99 rows + the sentinel and ~3 MB; we stay under the 4 MiB service limit the same way. */
const MAX_EVENTS_PER_BATCH = 99;
const MAX_BATCH_BYTES = 3 * 1024 * 1024;

export class HistoryStore {
  constructor(
    private readonly table: TableClient,
    private readonly large: LargeValues,
  ) {}

  /**
   * The current execution's history: the sentinel by point read, and the events from the copy it
   * carries (`history-copy.ts`); without a usable copy, the partition by one query. Undefined
   * when the instance has no sentinel (a new instance: no query at all).
   */
  async read(instanceId: string): Promise<LoadedHistory | undefined> {
    let raw: RawEntity;
    try {
      raw = await this.table.getEntity<Record<string, unknown>>(escapePartitionKey(instanceId), SENTINEL_ROW_KEY);
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
    const sentinelRow = SentinelRowSchema.parse(await this.large.resolve(raw));
    const executionId = sentinelRow.ExecutionId;
    if (sentinelRow.EventCount !== undefined) {
      const events = readHistoryCopy(raw, { instanceId, executionId, eventCount: sentinelRow.EventCount });
      if (events) return { executionId, events, sentinel: sentinelState(sentinelRow) };
    }
    return this.#readRows(instanceId);
  }

  /**
   * Read the partition (one query; the sentinel sorts last), take ExecutionId from the sentinel,
   * and return the rows from `0…0` on up to the first row of another execution (rows without
   * EventType are skipped). Undefined when the instance has no sentinel.
   */
  async #readRows(instanceId: string): Promise<LoadedHistory | undefined> {
    const partitionKey = escapePartitionKey(instanceId);
    const rows = await listAll(this.table, { queryOptions: { filter: odata`PartitionKey eq ${partitionKey}` } });
    const sentinelRaw = rows.find((row) => row.rowKey === SENTINEL_ROW_KEY);
    if (!sentinelRaw) return undefined;
    const sentinelRow = SentinelRowSchema.parse(await this.large.resolve(sentinelRaw));
    const executionId = sentinelRow.ExecutionId;
    const limit = sentinelRow.EventCount ?? Number.MAX_SAFE_INTEGER;
    const current: RawEntity[] = [];
    for (const row of rows) {
      const index = parseHistoryRowKey(row.rowKey ?? '');
      if (index === undefined || typeof row['EventType'] !== 'string') continue;
      if (row['ExecutionId'] !== executionId || index >= limit) break;
      if (index !== current.length) throw new TaskHubStoreError(StoreErrorCode.CorruptRow, `history of ${instanceId} skips from ${current.length} to ${index}`, false);
      current.push(row);
    }
    const resolved = await Promise.all(current.map((row) => this.large.resolve(row)));
    const events = resolved.map((row) => parseHistoryRow(row, { instanceId, executionId }));
    return { executionId, events, sentinel: sentinelState(sentinelRow) };
  }

  /**
   * Commit one turn: upsert the event rows at X16(startIndex + i) and merge the sentinel with an
   * ETag check, in one transaction (several, in order, only past 99 rows or ~3 MB; each carries
   * the sentinel so a concurrent writer is still caught, and only the last marks the checkpoint
   * complete and moves `EventCount`). Returns the sentinel's new ETag.
   * @throws ConcurrencyError when the sentinel's ETag changed (or it exists on a first write); nothing of that transaction is stored.
   */
  async commit(request: CommitTurnRequest): Promise<string> {
    if (request.newExecution && request.startIndex !== 0) throw new RangeError('a new execution starts at index 0');
    const eventCount = request.startIndex + request.events.length;
    if (request.history && request.history.length !== eventCount) throw new RangeError(`history has ${request.history.length} events, the commit ends at ${eventCount}`);
    const partitionKey = escapePartitionKey(request.instanceId);
    const rows = await Promise.all(
      request.events.map(async (event, i) => {
        const rowKey = historyRowKey(request.startIndex + i);
        const columns = await this.large.offload(
          { ...historyEventToColumns(event), ExecutionId: request.executionId },
          (column, random) => `${partitionKey}/history-${rowKey}-${event.type}-${random}-${column}.json.gz`,
        );
        return { partitionKey, rowKey, ...columns } satisfies TableEntity<Columns>;
      }),
    );
    const batches = splitBatches(rows);
    const finalColumns = await this.large.offload(
      {
        TurnNumber: request.turnNumber,
        LastTurnStart: request.lastTurnStart,
        ConsumedKeys: JSON.stringify(request.consumedKeys),
        EventCount: eventCount,
        ...(request.outbox ? { Outbox: outboxToJson(request.outbox) } : {}),
      },
      (column, random) => `${partitionKey}/history-sentinel-${random}-${column}.json.gz`,
    );
    // Each slice of the copy is under the inline limit: it is never moved to a blob.
    const copyColumns = request.history ? historyCopyColumns(request.executionId, request.history) : {};
    let etag = request.sentinelEtag;
    for (const [n, batch] of batches.entries()) {
      const last = n === batches.length - 1;
      const sentinel: TableEntity<Columns> = {
        partitionKey,
        rowKey: SENTINEL_ROW_KEY,
        ExecutionId: request.executionId,
        IsCheckpointComplete: last,
        // An unfinished multi-batch turn must not become readable: readers stop at EventCount.
        // The copy goes with the final write only, which replaces the sentinel: earlier merges keep
        // the previous commit's copy, which matches their EventCount or is refused by its execution id.
        ...(last ? { ...finalColumns, ...copyColumns, CheckpointCompletedTimestamp: new Date() } : { EventCount: request.startIndex }),
      };
      const actions: TransactionAction[] = batch.map((row) => ['upsert', row, 'Replace']);
      // The final write replaces the sentinel so no stale `<Col>BlobName` survives; earlier batches merge.
      actions.push(etag === undefined ? ['create', sentinel] : ['update', sentinel, last ? 'Replace' : 'Merge', { etag }]);
      etag = await this.#submit(request.instanceId, actions);
    }
    return etag as string;
  }

  async #submit(instanceId: string, actions: TransactionAction[]): Promise<string> {
    try {
      const response = await submitTransaction(this.table, actions);
      // The sentinel is the last action; sub-responses come in request order.
      const etag = response.subResponses.at(-1)?.etag;
      if (etag) return etag;
    } catch (err) {
      const status = statusOf(err);
      if (status === 412 || status === 409) throw new ConcurrencyError(instanceId, { cause: err });
      throw err;
    }
    // The service always returns the ETag per sub-response; read it back if a proxy dropped it.
    const sentinel = await this.table.getEntity(escapePartitionKey(instanceId), SENTINEL_ROW_KEY);
    return sentinel.etag;
  }
}

function sentinelState(row: z.infer<typeof SentinelRowSchema>): SentinelState {
  return {
    executionId: row.ExecutionId,
    etag: row.etag,
    turnNumber: row.TurnNumber,
    lastTurnStart: row.LastTurnStart,
    consumedKeys: row.ConsumedKeys ?? [],
    ...(row.Outbox ? { outbox: outboxFromJson(row.Outbox) } : {}),
  };
}

/** At most 99 rows and ~3 MB per batch; at least one (possibly empty) batch so the sentinel is always written. */
function splitBatches(rows: TableEntity<Columns>[]): TableEntity<Columns>[][] {
  // Most turns are a few small rows: when even the worst case fits, skip serialising every row to size it.
  if (rows.length <= MAX_EVENTS_PER_BATCH && rows.reduce((a, row) => a + maxJsonBytes(row), 0) <= MAX_BATCH_BYTES) return [rows];
  const batches: TableEntity<Columns>[][] = [[]];
  let bytes = 0;
  for (const row of rows) {
    const size = Buffer.byteLength(JSON.stringify(row), 'utf8') + 512;
    let current = batches.at(-1) as TableEntity<Columns>[];
    if (current.length > 0 && (current.length >= MAX_EVENTS_PER_BATCH || bytes + size > MAX_BATCH_BYTES)) {
      current = [];
      batches.push(current);
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  return batches;
}

/**
 * An upper bound of the row's JSON in UTF-8 plus the same 512 bytes of sub-request overhead as
 * above: a UTF-16 unit takes at most 6 bytes in JSON (`\u001f`), other values at most 32.
 */
function maxJsonBytes(row: TableEntity<Columns>): number {
  let bytes = 512;
  for (const [name, value] of Object.entries(row)) bytes += name.length + 6 + (typeof value === 'string' ? value.length * 6 + 2 : 32);
  return bytes;
}
