/**
 * Approvals in Table storage (table `AosApprovals`, one row per approval). Creation is idempotent
 * by id (the id is derived from the step's key, so a retried activity finds its approval), and a
 * resolution replaces the row with the ETag it read, so two people cannot both resolve one.
 */
import type { TableClient } from '@azure/data-tables';
import { ApprovalNotFoundError, ApprovalSchema, resolveApproval, sha256Hex, type Approval, type ApprovalStatus } from '../domain/index.js';
import { DocumentRowSchema, readDocumentRow, replaceWithEtag } from './document-row.js';
import { odataString, statusOf } from './governance-tables.js';
import { ensureTable } from './storage-clients.js';

const PARTITION = 'approval';

/** The approval id for a step key: stable across retries and replays. */
export function approvalIdFor(key: string): string {
  return sha256Hex(key).slice(0, 32);
}

export interface ApprovalStore {
  /** Creates the approval, or returns the one already stored under its id. */
  create(approval: Approval): Promise<Approval>;
  get(id: string): Promise<Approval>;
  list(filter: { status?: ApprovalStatus; agentId?: string; limit?: number }): Promise<Approval[]>;
  /** Resolves a pending approval (throws `ApprovalResolvedError` when it is not pending). */
  resolve(id: string, to: Exclude<ApprovalStatus, 'pending'>, by: string, at: string, resolution?: string): Promise<Approval>;
}

export class TableApprovalStore implements ApprovalStore {
  private readonly ready: () => Promise<void>;

  constructor(private readonly table: TableClient) {
    this.ready = ensureTable(table);
  }

  async create(approval: Approval): Promise<Approval> {
    await this.ready();
    try {
      await this.table.createEntity(toRow(approval));
      return approval;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
      return this.get(approval.id);
    }
  }

  async get(id: string): Promise<Approval> {
    return (await this.read(id)).value;
  }

  async list(filter: { status?: ApprovalStatus; agentId?: string; limit?: number }): Promise<Approval[]> {
    await this.ready();
    const clauses = [`PartitionKey eq '${PARTITION}'`];
    if (filter.status) clauses.push(`status eq ${odataString(filter.status)}`);
    if (filter.agentId) clauses.push(`agentId eq ${odataString(filter.agentId)}`);
    const out: Approval[] = [];
    for await (const row of this.table.listEntities({ queryOptions: { filter: clauses.join(' and ') } })) {
      const parsed = DocumentRowSchema.safeParse(row);
      if (parsed.success) out.push(ApprovalSchema.parse(JSON.parse(parsed.data.document)));
      if (out.length >= (filter.limit ?? 500)) break;
    }
    return out.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  }

  async resolve(id: string, to: Exclude<ApprovalStatus, 'pending'>, by: string, at: string, resolution?: string): Promise<Approval> {
    // A resolution that lost the race reads again, and is refused if the approval is now resolved.
    return replaceWithEtag(this.table, () => this.read(id), (approval) => resolveApproval(approval, to, by, at, resolution), toRow);
  }

  private async read(id: string): Promise<{ value: Approval; etag: string }> {
    await this.ready();
    return readDocumentRow(this.table, PARTITION, id, ApprovalSchema, (status) => (status === 404 || status === 400 ? new ApprovalNotFoundError(id) : undefined));
  }
}

function toRow(a: Approval) {
  return { partitionKey: PARTITION, rowKey: a.id, status: a.status, agentId: a.agentId, createdAt: a.createdAt, document: JSON.stringify(a) };
}
