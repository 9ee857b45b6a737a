/** The risk registry in Table storage (table `AosRisks`, one row per risk; updates use the row's ETag). */
import type { TableClient } from '@azure/data-tables';
import { RiskConflictError, RiskNotFoundError, RiskSchema, createRisk, updateRisk, type Risk, type RiskCreate, type RiskUpdate } from '../domain/index.js';
import { DocumentRowSchema, readDocumentRow, replaceWithEtag } from './document-row.js';
import { statusOf } from './governance-tables.js';
import { ensureTable } from './storage-clients.js';

const PARTITION = 'risk';

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
    return (await this.read(id)).value;
  }

  async list(filter: { status?: string; level?: string; agentId?: string }): Promise<Risk[]> {
    await this.ready();
    const out: Risk[] = [];
    for await (const row of this.table.listEntities({ queryOptions: { filter: `PartitionKey eq '${PARTITION}'` } })) {
      const parsed = DocumentRowSchema.safeParse(row);
      if (!parsed.success) continue;
      const risk = RiskSchema.parse(JSON.parse(parsed.data.document));
      if ((filter.status && risk.status !== filter.status) || (filter.level && risk.level !== filter.level) || (filter.agentId && risk.agentId !== filter.agentId)) continue;
      out.push(risk);
    }
    return out;
  }

  async update(id: string, update: RiskUpdate, now: string): Promise<Risk> {
    return replaceWithEtag(this.table, () => this.read(id), (risk) => updateRisk(risk, update, now), toRow);
  }

  private async read(id: string): Promise<{ value: Risk; etag: string }> {
    await this.ready();
    return readDocumentRow(this.table, PARTITION, id, RiskSchema, (status) => (status === 404 ? new RiskNotFoundError(id) : undefined));
  }
}

function toRow(r: Risk) {
  return { partitionKey: PARTITION, rowKey: r.id, status: r.status, level: r.level, document: JSON.stringify(r) };
}
