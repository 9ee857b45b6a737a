/**
 * The topic subscriber index in Table storage: PartitionKey = topic, RowKey = agent id, so the
 * subscribers of a topic are one partition query. It is a superset of the truth (the agents'
 * contexts): rows are added before an agent's subscription and removed after its unsubscription,
 * and delivery checks the context, so a crash in between can only cost a skipped delivery check,
 * never a missed subscriber.
 */
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { TopicName } from '../domain/index.js';
import { ensureTable } from './storage-clients.js';

export interface TopicIndex {
  add(topic: TopicName, agentId: string): Promise<void>;
  remove(topic: TopicName, agentId: string): Promise<void>;
  subscribers(topic: TopicName): Promise<string[]>;
}

const RowSchema = z.object({ rowKey: z.string() });

export class TableTopicIndex implements TopicIndex {
  private readonly ready: () => Promise<void>;

  constructor(private readonly table: TableClient) {
    this.ready = ensureTable(table);
  }

  async add(topic: TopicName, agentId: string): Promise<void> {
    await this.ready();
    await this.table.upsertEntity({ partitionKey: topic, rowKey: agentId }, 'Replace');
  }

  async remove(topic: TopicName, agentId: string): Promise<void> {
    await this.ready();
    try {
      await this.table.deleteEntity(topic, agentId);
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
  }

  async subscribers(topic: TopicName): Promise<string[]> {
    await this.ready();
    const ids: string[] = [];
    for await (const row of this.table.listEntities({ queryOptions: { filter: `PartitionKey eq '${topic}'`, select: ['RowKey'] } })) {
      const parsed = RowSchema.safeParse(row);
      if (parsed.success) ids.push(parsed.data.rowKey);
    }
    return ids;
  }
}
