/**
 * The message log in Table storage: every agent-to-agent message recorded for both sides, one
 * partition per agent (PartitionKey = agent id), RowKey = message id and direction. A page lists
 * in message-id order; each entry carries its time.
 */
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { MessageLogEntrySchema, type MessageLogEntry } from '../domain/index.js';
import { ensureTable } from './storage-clients.js';

export interface MessageLogPage {
  items: MessageLogEntry[];
  next?: string;
}

export interface MessageLog {
  /** Records the sent side in the sender's partition and the received side in the target's (one request each). */
  record(sent: MessageLogEntry, received: MessageLogEntry): Promise<void>;
  list(agentId: string, options: { pageSize: number; continuation?: string }): Promise<MessageLogPage>;
}

/**
 * `<message id>_<direction>`: a re-sent message (same id) overwrites its own rows, so the log keeps
 * one record per side. Row keys may not hold `/ \\ # ?` or control characters, so the id is encoded.
 */
export function messageRowKey(entry: Pick<MessageLogEntry, 'direction' | 'messageId'>): string {
  return `${encodeURIComponent(entry.messageId).replace(/%/g, '!')}_${entry.direction}`;
}

const RowSchema = z.object({ entry: z.string() });

export class TableMessageLog implements MessageLog {
  private readonly ready: () => Promise<void>;

  constructor(private readonly table: TableClient) {
    this.ready = ensureTable(table);
  }

  async record(sent: MessageLogEntry, received: MessageLogEntry): Promise<void> {
    await this.ready();
    // Two partitions, so two requests (a transaction spans one partition only).
    await Promise.all(
      [sent, received].map((e) =>
        this.table.upsertEntity({ partitionKey: e.agentId, rowKey: messageRowKey(e), direction: e.direction, peer: e.peer, messageId: e.messageId, type: e.type, entry: JSON.stringify(e) }, 'Replace'),
      ),
    );
  }

  async list(agentId: string, options: { pageSize: number; continuation?: string }): Promise<MessageLogPage> {
    await this.ready();
    const pages = this.table
      .listEntities({ queryOptions: { filter: `PartitionKey eq '${agentId.replace(/'/g, "''")}'`, select: ['entry'] } })
      .byPage({ maxPageSize: options.pageSize, ...(options.continuation ? { continuationToken: options.continuation } : {}) });
    const first = await pages.next();
    if (first.done) return { items: [] };
    const items = first.value.flatMap((row) => {
      const parsed = RowSchema.safeParse(row);
      if (!parsed.success) return [];
      const entry = MessageLogEntrySchema.safeParse(JSON.parse(parsed.data.entry));
      return entry.success ? [entry.data] : [];
    });
    return { items, ...(first.value.continuationToken ? { next: first.value.continuationToken } : {}) };
  }
}
