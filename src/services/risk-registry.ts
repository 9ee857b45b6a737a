/** The risk registry in Table storage (table `AosRisks`, one row per risk; updates use the row's ETag). */
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { RiskConflictError, RiskNotFoundError, RiskSchema, createRisk, updateRisk, type Risk, type RiskCreate, type RiskUpdate } from '../domain/index.js';
import { statusOf } from './governance-tables.js';
import { ensureTable } from './storage-clients.js';

const PARTITION = 'risk';
const RowSchema = z.object({ document: z.string(), etag: z.string() });

export interface RiskRegistry {
  create(id: string, input: RiskCreate, now: string): Promise<Risk>;
  get(id: string): Promise<Risk>;
  list(filter: { status?: string; level?: string; agentId?: string }): Promise<Risk[]>;
  update(id: string, update: RiskUpdate, now: string): Promise<Risk>;
}

export class TableRiskRegistry implements RiskRegistry {
  private readonly ready: () => Promise<void>;

  constructor(private readonly table: TableClient) {
    this.ready = ensureTable(table);
  }

  async create(id: string, input: RiskCreate, now: string): Promise<Risk> {
    await this.ready();
    const risk = createRisk(id, input, now);
    try {
      await this.table.createEntity(toRow(risk));
    } catch (err) {
      if (statusOf(err) === 409) throw new RiskConflictError(id);
      throw err;
    }
    return risk;
  }

  async get(id: string): Promise<Risk> {
    return (await this.read(id)).risk;
  }

  async list(filter: { status?: string; level?: string; agentId?: string }): Promise<Risk[]> {
    await this.ready();
    const out: Risk[] = [];
    for await (const row of this.table.listEntities({ queryOptions: { filter: `PartitionKey eq '${PARTITION}'` } })) {
      const parsed = RowSchema.safeParse(row);
      if (!parsed.success) continue;
      const risk = RiskSchema.parse(JSON.parse(parsed.data.document));
      if ((filter.status && risk.status !== filter.status) || (filter.level && risk.level !== filter.level) || (filter.agentId && risk.agentId !== filter.agentId)) continue;
      out.push(risk);
    }
    return out;
  }

  async update(id: string, update: RiskUpdate, now: string): Promise<Risk> {
    for (;;) {
      const { risk, etag } = await this.read(id);
      const next = updateRisk(risk, update, now);
      try {
        await this.table.updateEntity(toRow(next), 'Replace', { etag });
        return next;
      } catch (err) {
        if (statusOf(err) !== 412) throw err;
      }
    }
  }

  private async read(id: string): Promise<{ risk: Risk; etag: string }> {
    await this.ready();
    let row: unknown;
    try {
      row = await this.table.getEntity(PARTITION, id);
    } catch (err) {
      if (statusOf(err) === 404) throw new RiskNotFoundError(id);
      throw err;
    }
    const parsed = RowSchema.parse(row);
    return { risk: RiskSchema.parse(JSON.parse(parsed.document)), etag: parsed.etag };
  }
}

function toRow(r: Risk) {
  return { partitionKey: PARTITION, rowKey: r.id, status: r.status, level: r.level, document: JSON.stringify(r) };
}
