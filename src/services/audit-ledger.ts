/**
 * The audit ledger in Table storage (table `AosAudit`): one partition per chain holding the
 * records (`r<index, 10 digits>`), a head row (`head`: length and last hash) and idempotency key
 * rows (`k<sha256 of key>`). An append writes the new record and the head, updated with the ETag it
 * was read with, in ONE entity-group transaction: of two concurrent appends at the same index only
 * one commits, the other re-reads the head and tries again, so a chain never forks.
 */
import type { TableClient, TransactionAction } from '@azure/data-tables';
import {
  AuditContentionError,
  AuditEntryInputSchema,
  ChainVerifier,
  GENESIS_HASH,
  sealAuditRecord,
  sha256Hex,
  type AuditChainId,
  type AuditEntryInput,
  type AuditRecord,
  type ChainVerification,
} from '../domain/index.js';
import { odataString, statusOf } from './governance-tables.js';
import { ensureTable } from './storage-clients.js';

const HEAD_ROW = 'head';
const RECORD_PREFIX = 'r';
/** Record rows sort after `r` and before `s`; key rows start with `k`, the head is `head`. */
const RECORD_END = 's';

function recordRowKey(index: number): string {
  return `${RECORD_PREFIX}${String(index).padStart(10, '0')}`;
}

export interface ChainHead {
  length: number;
  hash: string;
}

export interface AuditLedger {
  append(chain: AuditChainId, entry: AuditEntryInput): Promise<AuditRecord>;
  head(chain: AuditChainId): Promise<ChainHead>;
  /** Records from index `from`, at most `limit`, in chain order. */
  read(chain: AuditChainId, options: { from: number; limit: number }): Promise<AuditRecord[]>;
  verify(chain: AuditChainId): Promise<ChainVerification>;
  /** Records whose time is within [from, to) (either bound optional), in chain order. */
  export(chain: AuditChainId, range: { from?: string; to?: string }): AsyncIterable<AuditRecord>;
}

export interface AuditLedgerDeps {
  now?: () => Date;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Tries before giving up under contention. @default 200 */
  maxAttempts?: number;
}

export class TableAuditLedger implements AuditLedger {
  private readonly ready: () => Promise<void>;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxAttempts: number;
  /** Appends of this process queued per chain: they would only race each other for the head. */
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    private readonly table: TableClient,
    deps: AuditLedgerDeps = {},
  ) {
    this.ready = ensureTable(table);
    this.now = deps.now ?? (() => new Date());
    this.random = deps.random ?? Math.random;
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.maxAttempts = deps.maxAttempts ?? 200;
  }

  /** Appends one record; the ETag on the head row keeps other processes (and other ledgers) from forking the chain. */
  append(chain: AuditChainId, input: AuditEntryInput): Promise<AuditRecord> {
    const previous = this.tails.get(chain) ?? Promise.resolve();
    const run = previous.then(
      () => this.appendNow(chain, input),
      () => this.appendNow(chain, input),
    );
    const tail = run.catch(() => undefined);
    this.tails.set(chain, tail);
    void tail.then(() => {
      if (this.tails.get(chain) === tail) this.tails.delete(chain);
    });
    return run;
  }

  private async appendNow(chain: AuditChainId, input: AuditEntryInput): Promise<AuditRecord> {
    await this.ready();
    const entry = AuditEntryInputSchema.parse(input);
    const keyRow = entry.key === undefined ? undefined : `k${sha256Hex(entry.key)}`;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const head = await this.readHead(chain);
      const record = sealAuditRecord(chain, head, entry, this.now().toISOString());
      const headEntity = { partitionKey: chain, rowKey: HEAD_ROW, length: record.index + 1, hash: record.hash, updatedAt: record.time };
      const actions: TransactionAction[] = [
        ['create', toRow(record)],
        head.etag === undefined ? ['create', headEntity] : ['update', headEntity, 'Replace', { etag: head.etag }],
      ];
      if (keyRow !== undefined) actions.push(['create', { partitionKey: chain, rowKey: keyRow, index: record.index }]);
      try {
        await this.table.submitTransaction(actions);
        return record;
      } catch (err) {
        const status = statusOf(err);
        if (status !== 409 && status !== 412) throw err;
      }
      // Lost a race: either the head moved (someone else appended) or this key is already in the chain.
      if (keyRow !== undefined) {
        const existing = await this.byKeyRow(chain, keyRow);
        if (existing) return existing;
      }
      await this.sleep(Math.floor(this.random() * Math.min(50, 2 + attempt * 2)));
    }
    throw new AuditContentionError(chain, this.maxAttempts);
  }

  async head(chain: AuditChainId): Promise<ChainHead> {
    await this.ready();
    const { length, hash } = await this.readHead(chain);
    return { length, hash };
  }

  async read(chain: AuditChainId, options: { from: number; limit: number }): Promise<AuditRecord[]> {
    await this.ready();
    const out: AuditRecord[] = [];
    for await (const raw of this.rows(chain, options.from)) {
      out.push(fromRow(raw) as AuditRecord);
      if (out.length >= options.limit) break;
    }
    return out;
  }

  async verify(chain: AuditChainId): Promise<ChainVerification> {
    await this.ready();
    const verifier = new ChainVerifier();
    for await (const raw of this.rows(chain, 0)) if (!verifier.push(fromRow(raw))) break;
    const head = await this.readHead(chain);
    return verifier.result(head.etag === undefined ? undefined : head);
  }

  async *export(chain: AuditChainId, range: { from?: string; to?: string }): AsyncIterable<AuditRecord> {
    await this.ready();
    const from = range.from === undefined ? undefined : Date.parse(range.from);
    const to = range.to === undefined ? undefined : Date.parse(range.to);
    for await (const raw of this.rows(chain, 0)) {
      const record = fromRow(raw) as AuditRecord;
      const t = Date.parse(record.time);
      if ((from === undefined || t >= from) && (to === undefined || t < to)) yield record;
    }
  }

  private async readHead(chain: AuditChainId): Promise<ChainHead & { etag?: string }> {
    try {
      const row = await this.table.getEntity<{ length: number; hash: string }>(chain, HEAD_ROW);
      return { length: Number(row.length), hash: String(row.hash), etag: row.etag };
    } catch (err) {
      if (statusOf(err) === 404) return { length: 0, hash: GENESIS_HASH };
      throw err;
    }
  }

  private async byKeyRow(chain: AuditChainId, rowKey: string): Promise<AuditRecord | undefined> {
    let index: number;
    try {
      index = Number((await this.table.getEntity<{ index: number }>(chain, rowKey)).index);
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
    const [record] = await this.read(chain, { from: index, limit: 1 });
    return record;
  }

  /** Record rows from index `from` in RowKey (= chain) order; the SDK pages through them. */
  private rows(chain: AuditChainId, from: number): AsyncIterable<Record<string, unknown>> {
    const filter = `PartitionKey eq ${odataString(chain)} and RowKey ge ${odataString(recordRowKey(from))} and RowKey lt ${odataString(RECORD_END)}`;
    return this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } });
  }
}

function toRow(record: AuditRecord): Record<string, unknown> & { partitionKey: string; rowKey: string } {
  const { details, ...rest } = record;
  return { partitionKey: record.chain, rowKey: recordRowKey(record.index), ...rest, ...(details === undefined ? {} : { details: JSON.stringify(details) }) };
}

/** A stored row as the record it claims to be (not validated: verification must see tampered rows as they are). */
function fromRow(row: Record<string, unknown>): unknown {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (k === 'partitionKey' || k === 'rowKey' || k === 'etag' || k === 'timestamp' || k.startsWith('odata')) continue;
    out[k] = v;
  }
  if (typeof out.details === 'string') {
    try {
      out.details = JSON.parse(out.details);
    } catch {
      // Left as a string: the record no longer parses, and verification reports it.
    }
  }
  return out;
}
