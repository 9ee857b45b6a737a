/**
 * Approvals in Table storage (table `AosApprovals`, one row per approval). Creation is idempotent
 * by id (the id is derived from the step's key, so a retried activity finds its approval), and a
 * resolution replaces the row with the ETag it read, so two people cannot both resolve one.
 */
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { ApprovalNotFoundError, ApprovalSchema, resolveApproval, sha256Hex, type Approval, type ApprovalStatus } from '../domain/index.js';
import { odataString, statusOf } from './governance-tables.js';
import { ensureTable } from './storage-clients.js';

const PARTITION = 'approval';
const RowSchema = z.object({ document: z.string(), etag: z.string() });

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
    return (await this.read(id)).approval;
  }

  async list(filter: { status?: ApprovalStatus; agentId?: string; limit?: number }): Promise<Approval[]> {
    await this.ready();
    const clauses = [`PartitionKey eq '${PARTITION}'`];
    if (filter.status) clauses.push(`status eq ${odataString(filter.status)}`);
    if (filter.agentId) clauses.push(`agentId eq ${odataString(filter.agentId)}`);
    const out: Approval[] = [];
    for await (const row of this.table.listEntities({ queryOptions: { filter: clauses.join(' and ') } })) {
      const parsed = RowSchema.safeParse(row);
      if (parsed.success) out.push(ApprovalSchema.parse(JSON.parse(parsed.data.document)));
      if (out.length >= (filter.limit ?? 500)) break;
    }
    return out.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  }

  async resolve(id: string, to: Exclude<ApprovalStatus, 'pending'>, by: string, at: string, resolution?: string): Promise<Approval> {
    for (;;) {
      const { approval, etag } = await this.read(id);
      const resolved = resolveApproval(approval, to, by, at, resolution);
      try {
        await this.table.updateEntity(toRow(resolved), 'Replace', { etag });
        return resolved;
      } catch (err) {
        // Someone else changed the row since it was read: read again (and be refused if it is now resolved).
        if (statusOf(err) !== 412) throw err;
      }
    }
  }

  private async read(id: string): Promise<{ approval: Approval; etag: string }> {
    await this.ready();
    let row: unknown;
    try {
      row = await this.table.getEntity(PARTITION, id);
    } catch (err) {
      if (statusOf(err) === 404 || statusOf(err) === 400) throw new ApprovalNotFoundError(id);
      throw err;
    }
    const parsed = RowSchema.parse(row);
    return { approval: ApprovalSchema.parse(JSON.parse(parsed.document)), etag: parsed.etag };
  }
}

function toRow(a: Approval) {
  return { partitionKey: PARTITION, rowKey: a.id, status: a.status, agentId: a.agentId, createdAt: a.createdAt, document: JSON.stringify(a) };
}
