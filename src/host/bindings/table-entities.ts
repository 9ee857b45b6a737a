/**
 * Table bindings' values: entities to insert from an output value, and the JSON an input binding
 * hands the worker, shaped as the Tables extension shapes them for Node (`PartitionKey`, `RowKey`,
 * `Timestamp`, `odata.etag`, then the properties).
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-table-output
 */
import { BindingInvocationError } from './binding-expressions.js';

export type EntityValue = string | number | boolean | null;
export interface EntityToWrite {
  partitionKey: string;
  rowKey: string;
  [property: string]: EntityValue;
}

/**
 * The entities an output value writes: one object or an array of them. Keys on the entity win
 * over the binding's (matched case-insensitively, as the extension does); the service's own
 * `Timestamp` and `odata.*` annotations are not written. Property values must be scalars.
 */
export function entitiesToWrite(value: unknown, keys: { partitionKey?: string; rowKey?: string }): EntityToWrite[] {
  const items = Array.isArray(value) ? value : [value];
  return items
    .filter((item) => item !== null && item !== undefined)
    .map((item) => {
      if (typeof item !== 'object' || Array.isArray(item)) throw new BindingInvocationError(`A table output value must be an object (an entity) or an array of them, not ${JSON.stringify(item)}.`);
      let partitionKey = keys.partitionKey;
      let rowKey = keys.rowKey;
      const properties: Record<string, EntityValue> = {};
      for (const [name, v] of Object.entries(item as Record<string, unknown>)) {
        const lower = name.toLowerCase();
        if (lower === 'partitionkey') partitionKey = keyText(v, 'PartitionKey');
        else if (lower === 'rowkey') rowKey = keyText(v, 'RowKey');
        else if (lower === 'timestamp' || lower === 'etag' || lower.startsWith('odata.')) continue;
        else properties[name] = scalar(name, v);
      }
      return { ...properties, partitionKey: validKey(partitionKey, 'PartitionKey'), rowKey: validKey(rowKey, 'RowKey') };
    });
}

function keyText(v: unknown, what: string): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new BindingInvocationError(`The entity's ${what} must be a string.`);
}

function scalar(name: string, v: unknown): EntityValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  throw new BindingInvocationError(`Entity property '${name}' is an object or array; table entities hold only strings, numbers and booleans.`);
}

/** The service's key rules, checked here for a clear message instead of a 400. */
function validKey(key: string | undefined, what: string): string {
  if (key === undefined) throw new BindingInvocationError(`The entity has no ${what} and the binding gives none.`);
  // eslint-disable-next-line no-control-regex
  if (/[/\\#?\u0000-\u001f\u007f-\u009f]/.test(key) || Buffer.byteLength(key, 'utf8') > 1024) {
    throw new BindingInvocationError(`${what} '${key}' is not valid: it may not contain '/', '\\', '#', '?' or control characters, nor exceed 1 KiB.`);
  }
  return key;
}

/** An entity as @azure/data-tables reads it, in the extension's JSON shape. */
export function entityToJson(entity: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (entity.etag !== undefined) out['odata.etag'] = entity.etag;
  out.PartitionKey = entity.partitionKey;
  out.RowKey = entity.rowKey;
  if (entity.timestamp !== undefined) out.Timestamp = entity.timestamp;
  for (const [name, v] of Object.entries(entity)) {
    if (name === 'etag' || name === 'partitionKey' || name === 'rowKey' || name === 'timestamp') continue;
    out[name] = propertyJson(v);
  }
  return out;
}

function propertyJson(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (v instanceof Date) return v.toISOString();
  // Int64 arrives as {value, type}; the extension hands a number.
  if (typeof v === 'object' && v !== null && 'type' in v && 'value' in v && (v as { type: unknown }).type === 'Int64') {
    const text = String((v as { value: unknown }).value);
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : text;
  }
  return v;
}

/** Table names: 3-63 letters and digits, starting with a letter. */
export function validTableName(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(name)) {
    throw new BindingInvocationError(`'${name}' is not a valid table name (3-63 letters and digits, starting with a letter).`);
  }
  return name;
}

/** The query an input binding without a row key runs: partition key and filter joined as the extension joins them. */
export function tableQueryFilter(partitionKey: string | undefined, filter: string | undefined): string | undefined {
  const f = filter?.trim() ? filter : undefined;
  if (partitionKey === undefined || partitionKey === '') return f;
  const pk = `PartitionKey eq '${partitionKey.replace(/'/g, "''")}'`;
  return f ? `${pk} and ${f}` : pk;
}
