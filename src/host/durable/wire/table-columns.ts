/**
 * Column helpers shared by the task hub row schemas: how DTFx types map to Azure Table EDM types
 * as seen through `@azure/data-tables` (Date <-> Edm.DateTime, integer number <-> Edm.Int32,
 * boolean <-> Edm.Boolean, string <-> Edm.String).
 * @see taskhub-layout.md section 2
 */
import { z } from 'zod';

/** A value the store may put in a column. Never `null` or `undefined`: Azurite drops null properties and v1 readers expect absence. */
export type ColumnValue = string | number | boolean | Date;
/** A row's non-key columns, PascalCase as DTFx names them. */
export type Columns = Record<string, ColumnValue>;

/**
 * An Edm.DateTime column. The SDK hands back a `Date`; a row that went through JSON (a Work
 * message's `Event`) holds the ISO text, so both are accepted.
 */
export const DateColumnSchema = z.union([z.date(), z.string()]).transform((value, ctx) => {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: `not a date: ${String(value)}` });
    return z.NEVER;
  }
  return date;
});

/** An Edm.Int32 column. */
export const Int32ColumnSchema = z.number().int().min(-2147483648).max(2147483647);

/**
 * A String column holding Newtonsoft JSON. DTFx v2 writes the 4-char text `"null"` for a null
 * complex member, v1 omits the column; both read as absent.
 */
export function jsonColumn<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, ctx): unknown => {
      if (text === '' || text === 'null') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'column is not JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema.optional());
}

/** Domain timestamps are ISO-8601 UTC strings; the table stores Edm.DateTime (millisecond precision). */
export function toDateColumn(iso: string): Date {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`not an ISO date: ${iso}`);
  return date;
}

/** An Int32 column value; throws rather than letting the service infer Double or Int64. */
export function toInt32Column(value: number): number {
  if (!Number.isInteger(value) || value < -2147483648 || value > 2147483647) throw new Error(`not an Int32: ${value}`);
  return value;
}

/** Copy `entries` into a Columns object, dropping undefined values (the table must never see null). */
export function definedColumns(entries: Record<string, ColumnValue | undefined>): Columns {
  const out: Columns = {};
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) out[key] = value;
  return out;
}
