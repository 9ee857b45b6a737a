/**
 * Decision records in Table storage (table `AosDecisions`): partition = agent id, row key =
 * `<at>_<digest>` so a partition lists in time order and a retried write of the same decision
 * replaces itself.
 */
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { DecisionRecordSchema, type DecisionRecord } from '../domain/index.js';
import { odataString } from './governance-tables.js';
import { ensureTable } from './storage-clients.js';

const RowSchema = z.object({ document: z.string() });

export interface DecisionPage {
  items: DecisionRecord[];
  next?: string;
}

export interface DecisionStore {
  put(record: DecisionRecord): Promise<void>;
  list(agentId: string, options: { pageSize: number; continuation?: string }): Promise<DecisionPage>;
}

export class TableDecisionStore implements DecisionStore {
  private readonly ready: () => Promise<void>;

  constructor(private readonly table: TableClient) {
    this.ready = ensureTable(table);
  }

  async put(record: DecisionRecord): Promise<void> {
    await this.ready();
    await this.table.upsertEntity({ partitionKey: record.agentId, rowKey: record.id, at: record.at, action: record.action, document: JSON.stringify(record) }, 'Replace');
  }

  async list(agentId: string, options: { pageSize: number; continuation?: string }): Promise<DecisionPage> {
    await this.ready();
    const pages = this.table
      .listEntities({ queryOptions: { filter: `PartitionKey eq ${odataString(agentId)}` } })
      .byPage({ maxPageSize: options.pageSize, ...(options.continuation ? { continuationToken: options.continuation } : {}) });
    const first = await pages.next();
    if (first.done) return { items: [] };
    const items = first.value.flatMap((row) => {
      const parsed = RowSchema.safeParse(row);
      return parsed.success ? [DecisionRecordSchema.parse(JSON.parse(parsed.data.document))] : [];
    });
    return { items, ...(first.value.continuationToken ? { next: first.value.continuationToken } : {}) };
  }
}
