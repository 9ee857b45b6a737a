/**
 * Governance records kept as one JSON document per table row (approvals, risks) and changed with
 * the row's ETag, so that two writers of one record never both win.
 */
import type { TableClient, TableEntity } from '@azure/data-tables';
import { z } from 'zod';
import { statusOf } from './governance-tables.js';

export const DocumentRowSchema = z.object({ document: z.string(), etag: z.string() });

/**
 * The document of row `(partition, id)` through `schema`, with the row's ETag. When reading fails,
 * `notFound` gets the SDK status and answers the error to throw instead (or undefined to rethrow).
 */
export async function readDocumentRow<S extends z.ZodType>(
  table: TableClient,
  partition: string,
  id: string,
  schema: S,
  notFound: (status: number | undefined) => Error | undefined,
): Promise<{ value: z.output<S>; etag: string }> {
  let row: unknown;
  try {
    row = await table.getEntity(partition, id);
  } catch (err) {
    throw notFound(statusOf(err)) ?? err;
  }
  const parsed = DocumentRowSchema.parse(row);
  return { value: schema.parse(JSON.parse(parsed.document)), etag: parsed.etag };
}

/**
 * Reads a record, changes it and replaces its row with the ETag it read. When someone else wrote
 * the row in between (412) it reads again, so `change` decides on the latest record (and may throw).
 */
export async function replaceWithEtag<T>(
  table: TableClient,
  read: () => Promise<{ value: T; etag: string }>,
  change: (value: T) => T,
  toRow: (value: T) => TableEntity,
): Promise<T> {
  for (;;) {
    const { value, etag } = await read();
    const next = change(value);
    try {
      await table.updateEntity(toRow(next), 'Replace', { etag });
      return next;
    } catch (err) {
      if (statusOf(err) !== 412) throw err;
    }
  }
}
