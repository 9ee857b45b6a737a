/**
 * `<Hub>Instances`: one row per orchestration or entity (RowKey `""`), written by merge after each
 * turn, inserted (or replaced by ETag) by client starts, and queried by status, time and id.
 * @see taskhub-layout.md section 3
 */
import { odata, type TableClient, type TableEntity } from '@azure/data-tables';
import type { OrchestrationStatusName } from '../core/history-event.js';
import type { EntityPage, EntityQuery, EntityRecord, InstanceQuery } from '../engine/client-api.js';
import {
  EntityStatusSchema,
  INSTANCE_COLUMNS,
  InstanceRowSchema,
  SchedulerStateSchema,
  TERMINAL_STATUSES,
  instanceFieldsToColumns,
  instanceRowToRecord,
  parseJsonText,
  type InstanceFields,
  type InstanceRecord,
} from '../wire/instance-row.js';
import type { Columns } from '../wire/table-columns.js';
import { decodeContinuationToken, encodeContinuationToken } from './continuation-token.js';
import { ConcurrencyError, statusOf } from './errors.js';
import { escapePartitionKey, prefixUpperBound, unescapePartitionKey } from './key-sanitation.js';
import type { LargeValues } from './large-values.js';
import { listPage, type RawEntity } from './table-ops.js';

/** Instances keep every large column as a blob URL (DTFx does so for Input/Output), so a later merge never leaves a stale `<Col>BlobName` behind. */
const URL_COLUMNS: ReadonlySet<string> = new Set(['Input', 'Output', 'CustomStatus', 'Tags', 'Name']);
const DEFAULT_TOP = 100;
/** Insert/read/replace races with other writers are retried this often before giving up. */
const MAX_CREATE_ATTEMPTS = 5;

export type CreateOutcome =
  | { outcome: 'created' | 'replaced'; generation: number }
  | { outcome: 'exists'; existing: InstanceRecord };

export interface InstanceRecordPage {
  instances: InstanceRecord[];
  continuationToken?: string;
}

export class InstanceStore {
  constructor(
    private readonly table: TableClient,
    private readonly large: LargeValues,
    private readonly hubName: string,
  ) {}

  /** Merge (default) or replace the row. Undefined fields are left as they are, except CustomStatus (see `InstanceFields`). */
  async write(fields: InstanceFields, mode: 'Merge' | 'Replace' = 'Merge'): Promise<void> {
    await this.table.upsertEntity(await this.#entity(fields), mode);
  }

  /**
   * A client start: insert the row; if one exists and is terminal, replace it (ETag-checked) with
   * Generation + 1; if it is not terminal, report `exists` and change nothing.
   * @throws ConcurrencyError when other writers keep changing the row in between (5 attempts).
   */
  async createIfAbsentOrTerminal(fields: Omit<InstanceFields, 'generation'>): Promise<CreateOutcome> {
    for (let attempt = 1; ; attempt++) {
      if (attempt > MAX_CREATE_ATTEMPTS) throw new ConcurrencyError(fields.instanceId);
      try {
        await this.table.createEntity(await this.#entity({ ...fields, generation: 0 }));
        return { outcome: 'created', generation: 0 };
      } catch (err) {
        if (statusOf(err) !== 409) throw err;
      }
      const existing = await this.read(fields.instanceId, { fetchLarge: false });
      if (!existing) continue; // purged in between: insert again
      if (!TERMINAL_STATUSES.includes(existing.runtimeStatus)) return { outcome: 'exists', existing };
      const generation = existing.generation + 1;
      try {
        await this.table.updateEntity(await this.#entity({ ...fields, generation }), 'Replace', { etag: existing.etag });
        return { outcome: 'replaced', generation };
      } catch (err) {
        // 412: another writer changed the row since we read it; 404: it was purged. Decide again.
        if (statusOf(err) !== 412 && statusOf(err) !== 404) throw err;
      }
    }
  }

  /** The row, or undefined. Large values are fetched back unless `fetchLarge` is false. */
  async read(instanceId: string, options: { fetchLarge?: boolean } = {}): Promise<InstanceRecord | undefined> {
    let raw: RawEntity;
    try {
      raw = await this.table.getEntity<Record<string, unknown>>(escapePartitionKey(instanceId), '');
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
    return this.#toRecord(raw, options.fetchLarge ?? true);
  }

  /** Orchestrations (entity rows excluded) by created time, status and id prefix, one page at a time. */
  async query(query: InstanceQuery): Promise<InstanceRecordPage> {
    const filters = [odata`(PartitionKey lt ${'@'} or PartitionKey ge ${'A'})`, ...timeFilters(query.createdTimeFrom, query.createdTimeTo)];
    if (query.instanceIdPrefix) {
      const prefix = escapePartitionKey(query.instanceIdPrefix);
      filters.push(odata`PartitionKey ge ${prefix} and PartitionKey lt ${prefixUpperBound(prefix)}`);
    }
    if (query.runtimeStatus && query.runtimeStatus.length > 0) filters.push(statusFilter(query.runtimeStatus));
    const showInput = query.showInput ?? true;
    const select = INSTANCE_COLUMNS.filter((c) => showInput || c !== 'Input');
    const page = await this.#page(filters, [...select], query.top, query.continuationToken);
    const instances = await Promise.all(page.rows.map((row) => this.#toRecord(row, true)));
    return withToken({ instances }, page.continuationToken);
  }

  /** Entity rows (`PartitionKey ge '@' and lt 'A'`), optionally one entity name, by last operation time. */
  async queryEntities(query: EntityQuery, options: { includeDeleted?: boolean } = {}): Promise<EntityPage> {
    const prefix = query.name === undefined ? undefined : escapePartitionKey(`@${query.name.toLowerCase()}@`);
    const filters = [
      prefix ? odata`PartitionKey ge ${prefix} and PartitionKey lt ${prefixUpperBound(prefix)}` : odata`PartitionKey ge ${'@'} and PartitionKey lt ${'A'}`,
      ...timeFilters(query.lastOperationTimeFrom, query.lastOperationTimeTo),
    ];
    const select = ['PartitionKey', 'CustomStatus', 'CreatedTime', ...(query.fetchState ? ['Input'] : [])];
    const page = await this.#page(filters, select, query.top, query.continuationToken);
    const entities: EntityRecord[] = [];
    for (const raw of page.rows) {
      const row = query.fetchState ? await this.large.resolve(raw, ['Input', 'CustomStatus']) : raw;
      const entity = toEntityRecord(row);
      if (entity && (entity.exists || options.includeDeleted)) entities.push(entity);
    }
    return withToken({ entities }, page.continuationToken);
  }

  /** Instances matching a purge filter (ids only), all pages. */
  async listIds(filter: { createdTimeFrom: Date; createdTimeTo?: Date; runtimeStatus?: OrchestrationStatusName[] }): Promise<string[]> {
    const filters = timeFilters(filter.createdTimeFrom, filter.createdTimeTo);
    if (filter.runtimeStatus && filter.runtimeStatus.length > 0) filters.push(statusFilter(filter.runtimeStatus));
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await listPage(this.table, { queryOptions: { filter: filters.join(' and '), select: ['PartitionKey'] } }, 1000, token);
      for (const row of page.rows) ids.push(unescapePartitionKey(row.partitionKey ?? ''));
      token = page.continuationToken;
    } while (token);
    return ids;
  }

  /** Delete the row; true when it existed. */
  async delete(instanceId: string): Promise<boolean> {
    try {
      await this.table.deleteEntity(escapePartitionKey(instanceId), '');
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw err;
    }
  }

  /** Collect up to `top` rows; the service may return short or empty pages with a continuation, so keep asking. */
  async #page(filters: string[], select: string[], top = DEFAULT_TOP, token?: string): Promise<{ rows: RawEntity[]; continuationToken?: string }> {
    let tableToken = decodeContinuationToken(token);
    const rows: RawEntity[] = [];
    do {
      const page = await listPage(this.table, { queryOptions: { filter: filters.join(' and '), select } }, top - rows.length, tableToken);
      rows.push(...page.rows);
      tableToken = page.continuationToken;
    } while (tableToken && rows.length < top);
    return tableToken ? { rows, continuationToken: tableToken } : { rows };
  }

  async #entity(fields: InstanceFields): Promise<TableEntity<Columns>> {
    const partitionKey = escapePartitionKey(fields.instanceId);
    const columns = await this.large.offload(
      instanceFieldsToColumns(fields, this.hubName),
      (column, random) => `${partitionKey}/instance-${column}-${random}.json.gz`,
      URL_COLUMNS,
    );
    return { partitionKey, rowKey: '', ...columns };
  }

  async #toRecord(raw: RawEntity, fetchLarge: boolean): Promise<InstanceRecord> {
    const row = InstanceRowSchema.parse(fetchLarge ? await this.large.resolve(raw, [...URL_COLUMNS]) : raw);
    return instanceRowToRecord(row, unescapePartitionKey(row.partitionKey));
  }
}

function timeFilters(from: Date | undefined, to: Date | undefined): string[] {
  const filters: string[] = [];
  if (from) filters.push(odata`CreatedTime ge ${from}`);
  if (to) filters.push(odata`CreatedTime le ${to}`);
  return filters;
}

function statusFilter(statuses: readonly OrchestrationStatusName[]): string {
  return `(${statuses.map((s) => odata`RuntimeStatus eq ${s}`).join(' or ')})`;
}

function withToken<T extends object>(page: T, tableToken: string | undefined): T & { continuationToken?: string } {
  const token = encodeContinuationToken(tableToken);
  return token === undefined ? page : { ...page, continuationToken: token };
}

/** An entity row as DTFx's entity queries see it: existence from `CustomStatus` (`entityExists`), state from the scheduler state in `Input`. */
function toEntityRecord(row: RawEntity): EntityRecord | undefined {
  const instanceId = unescapePartitionKey(row.partitionKey ?? '');
  const at = instanceId.indexOf('@', 1);
  const created = row['CreatedTime'];
  if (!instanceId.startsWith('@') || at === -1 || !(created instanceof Date)) return undefined;
  const customStatus = typeof row['CustomStatus'] === 'string' ? row['CustomStatus'] : undefined;
  const status = parseJsonText(EntityStatusSchema, customStatus);
  const scheduler = parseJsonText(SchedulerStateSchema, typeof row['Input'] === 'string' ? row['Input'] : undefined);
  const exists = status?.entityExists ?? scheduler?.exists ?? (scheduler ? scheduler.state != null : (customStatus ?? '').includes('entityExists'));
  const record: EntityRecord = { name: instanceId.slice(1, at), key: instanceId.slice(at + 1), exists, lastOperationTime: created.toISOString() };
  if (scheduler?.state != null && exists) record.state = scheduler.state;
  const lockedBy = status?.lockedBy ?? scheduler?.lockedBy;
  if (lockedBy) record.lockedBy = lockedBy;
  const queueSize = status?.queueSize ?? scheduler?.queue?.length;
  if (queueSize !== undefined) record.queueSize = queueSize;
  return record;
}
