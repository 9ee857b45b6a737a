/** Small helpers over `@azure/data-tables`: read every page, and submit entity-group transactions in chunks. */
import type { TableClient, TableEntityResult, TransactionAction, ListTableEntitiesOptions } from '@azure/data-tables';
import { statusOf } from './errors.js';
import { submitTransaction } from './table-transaction.js';

/** Azure's limit is 100 operations per entity-group transaction. */
export const MAX_BATCH_OPERATIONS = 100;

export type RawEntity = TableEntityResult<Record<string, unknown>>;

/** Every entity a query returns, following continuation tokens. */
export async function listAll(client: TableClient, options: ListTableEntitiesOptions = {}): Promise<RawEntity[]> {
  const rows: RawEntity[] = [];
  for await (const page of client.listEntities<Record<string, unknown>>(options).byPage({ maxPageSize: 1000 })) rows.push(...page);
  return rows;
}

/** One page of a query: up to `top` rows and the table's continuation token. */
export async function listPage(
  client: TableClient,
  options: ListTableEntitiesOptions,
  top: number,
  continuationToken: string | undefined,
): Promise<{ rows: RawEntity[]; continuationToken?: string }> {
  const pages = client.listEntities<Record<string, unknown>>(options).byPage({ maxPageSize: top, ...(continuationToken ? { continuationToken } : {}) });
  const first = await pages.next();
  if (first.done) return { rows: [] };
  const page = first.value;
  return page.continuationToken ? { rows: [...page], continuationToken: page.continuationToken } : { rows: [...page] };
}

/** Split into groups of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Submit `actions` (all in one partition) as transactions of at most 100 operations, in order. */
export async function submitInChunks(client: TableClient, actions: readonly TransactionAction[]): Promise<void> {
  for (const part of chunk(actions, MAX_BATCH_OPERATIONS)) {
    if (part.length > 0) await submitTransaction(client, part);
  }
}

/** Delete rows of one partition by key in transactions; rows already gone are not an error. */
export async function deleteRows(client: TableClient, partitionKey: string, rowKeys: readonly string[]): Promise<void> {
  const unique = [...new Set(rowKeys)];
  for (const part of chunk(unique, MAX_BATCH_OPERATIONS)) {
    try {
      await submitTransaction(client, part.map((rowKey): TransactionAction => ['delete', { partitionKey, rowKey }]));
    } catch (err) {
      // One missing row fails the whole transaction (404); fall back to single deletes that tolerate it.
      if (statusOf(err) !== 404) throw err;
      await Promise.all(part.map((rowKey) => client.deleteEntity(partitionKey, rowKey).catch(ignoreNotFound)));
    }
  }
}

export function ignoreNotFound(err: unknown): void {
  if (statusOf(err) !== 404) throw err;
}
