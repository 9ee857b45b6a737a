/**
 * The `table` input and output bindings (`input.table`, `output.table`), as the Tables extension
 * serves Node apps: with `partitionKey` and `rowKey` the input is that one entity (nothing when
 * it does not exist), otherwise an array from `PartitionKey eq '<pk>' and <filter>`, at most
 * `take`; the output inserts (never replaces: an existing entity fails the invocation) one entity
 * or an array of them, in one transaction per partition of up to 100, creating the table when missing.
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-table-input
 */
import { RestError, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { InputBindingContext } from '../worker/binding-extensions.js';
import type { RpcTypedData } from '../worker/rpc-types.js';
import { readTypedData } from '../worker/typed-data.js';
import { BindingInvocationError, escapeODataValue } from './binding-expressions.js';
import { templateProperty, type BindingTarget, type BindingTargets } from './binding-targets.js';
import type { BindingStorageClients } from './storage-clients.js';
import { entitiesToWrite, entityToJson, tableQueryFilter, validTableName, type EntityToWrite } from './table-entities.js';

export interface PreparedTable {
  target: BindingTarget;
  table: string;
  partitionKey?: string;
  rowKey?: string;
}

const BATCH = 100;

export class TableBindings {
  constructor(
    private readonly targets: BindingTargets,
    private readonly clients: BindingStorageClients,
  ) {}

  prepare(ctx: InputBindingContext): PreparedTable {
    const target = this.targets.of(ctx.fn, ctx.bindingName, ctx.binding);
    const table = templateProperty(target, 'tableName', ctx.bindingData);
    if (table === undefined) throw new BindingInvocationError(`table binding '${ctx.bindingName}' has no tableName`);
    return {
      target,
      table: validTableName(table),
      partitionKey: templateProperty(target, 'partitionKey', ctx.bindingData),
      rowKey: templateProperty(target, 'rowKey', ctx.bindingData),
    };
  }

  async read(ctx: InputBindingContext): Promise<RpcTypedData> {
    const p = this.prepare(ctx);
    const client = this.clients.table(p.target.storage, p.table);
    if (p.rowKey !== undefined) {
      if (p.partitionKey === undefined) throw new BindingInvocationError(`table binding '${ctx.bindingName}': a rowKey needs a partitionKey`);
      try {
        const entity = await client.getEntity<Record<string, unknown>>(p.partitionKey, p.rowKey);
        return { json: JSON.stringify(entityToJson(entity)) };
      } catch (err) {
        if (isNotFound(err)) return {};
        throw err;
      }
    }
    const filter = tableQueryFilter(p.partitionKey, templateProperty(p.target, 'filter', ctx.bindingData, { escape: escapeODataValue }));
    const take = takeOf(p.target.binding.take);
    const out: Record<string, unknown>[] = [];
    try {
      for await (const entity of client.listEntities<Record<string, unknown>>({ queryOptions: filter ? { filter } : {} })) {
        out.push(entityToJson(entity));
        if (take !== undefined && out.length >= take) break;
      }
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    return { json: JSON.stringify(out) };
  }

  async write(prepared: PreparedTable, data: RpcTypedData): Promise<void> {
    const entities = entitiesToWrite(readTypedData(data), { partitionKey: prepared.partitionKey, rowKey: prepared.rowKey });
    if (entities.length === 0) return;
    const client = this.clients.table(prepared.target.storage, prepared.table);
    await this.clients.ensure('table', prepared.target.storage, prepared.table, () => client.createTable());
    for (const batch of partitionBatches(entities)) {
      try {
        await submit(client, batch);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        // The table went away while the host ran: create it again and retry once, as the extension does.
        this.clients.forget('table', prepared.target.storage, prepared.table);
        await client.createTable();
        await submit(client, batch);
      }
    }
  }
}

async function submit(client: TableClient, batch: EntityToWrite[]): Promise<void> {
  if (batch.length === 1 && batch[0]) {
    await client.createEntity(batch[0]);
    return;
  }
  await client.submitTransaction(batch.map((e): TransactionAction => ['create', e]));
}

/** Consecutive groups of one partition, at most 100 each; a repeated row key starts a new group as in the extension. */
function partitionBatches(entities: EntityToWrite[]): EntityToWrite[][] {
  const byPartition = new Map<string, EntityToWrite[][]>();
  for (const e of entities) {
    const groups = byPartition.get(e.partitionKey) ?? [[]];
    byPartition.set(e.partitionKey, groups);
    let last = groups[groups.length - 1] ?? [];
    if (last.length >= BATCH || last.some((x) => x.rowKey === e.rowKey)) {
      last = [];
      groups.push(last);
    }
    last.push(e);
  }
  return [...byPartition.values()].flat().filter((g) => g.length > 0);
}

function takeOf(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

function isNotFound(err: unknown): boolean {
  return err instanceof RestError && err.statusCode === 404;
}
