/**
 * The directory of registered agents in Table storage, for listing with paging. The entity stays
 * the source of truth for each agent's context; the directory is an index that makes
 * `GET /api/agents` one paged table query instead of a scan of the task hub.
 */
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { ensureTable } from './storage-clients.js';

const PARTITION = 'agent';

export const DirectoryEntrySchema = z.object({ id: z.string(), name: z.string(), kind: z.string(), role: z.string(), registeredAt: z.string() });
export type DirectoryEntry = z.infer<typeof DirectoryEntrySchema>;

export interface DirectoryPage {
  items: DirectoryEntry[];
  /** Opaque token for the next page; absent on the last page. */
  next?: string;
}

export interface AgentDirectory {
  put(entry: DirectoryEntry): Promise<void>;
  list(options: { pageSize: number; continuation?: string }): Promise<DirectoryPage>;
}

export class TableAgentDirectory implements AgentDirectory {
  private readonly ready: () => Promise<void>;

  constructor(private readonly table: TableClient) {
    this.ready = ensureTable(table);
  }

  async put(entry: DirectoryEntry): Promise<void> {
    await this.ready();
    await this.table.upsertEntity({ partitionKey: PARTITION, rowKey: entry.id, ...entry }, 'Replace');
  }

  async list(options: { pageSize: number; continuation?: string }): Promise<DirectoryPage> {
    await this.ready();
    const pages = this.table
      .listEntities({ queryOptions: { filter: `PartitionKey eq '${PARTITION}'`, select: ['id', 'name', 'kind', 'role', 'registeredAt'] } })
      .byPage({ maxPageSize: options.pageSize, ...(options.continuation ? { continuationToken: options.continuation } : {}) });
    const first = await pages.next();
    if (first.done) return { items: [] };
    const page = first.value;
    const items = page.flatMap((row) => {
      const parsed = DirectoryEntrySchema.safeParse(row);
      return parsed.success ? [parsed.data] : [];
    });
    return { items, ...(page.continuationToken ? { next: page.continuationToken } : {}) };
  }
}
