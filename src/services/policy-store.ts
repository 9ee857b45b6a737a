/**
 * Where policies come from: JSON documents in the policy folder (`AOS_POLICY_DIR`, one document or
 * an array per `*.json` file) and documents put through the API (table `AosPolicies`), which
 * override a file's policy of the same id. Loaded policies are reused for a few seconds
 * (`AOS_POLICY_CACHE_SECONDS`); a put in this process is seen at once.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { PolicyDocumentSchema, PolicyInvalidError, PolicyNotFoundError, ValidationError, validatePolicy, type PolicyDocument, type PolicyDocumentInput } from '../domain/index.js';
import { statusOf } from './governance-tables.js';
import { ensureTable } from './storage-clients.js';

const PARTITION = 'policy';

export const PolicySource = { file: 'file', api: 'api' } as const;
export interface StoredPolicy {
  policy: PolicyDocument;
  source: (typeof PolicySource)[keyof typeof PolicySource];
  updatedAt?: string;
}

export interface PolicyStore {
  list(): Promise<StoredPolicy[]>;
  get(id: string): Promise<StoredPolicy>;
  /** Validates (schema and CEL) and stores a policy; `created` is false when it replaced one. */
  put(input: PolicyDocumentInput): Promise<{ stored: StoredPolicy; created: boolean }>;
  /** The policies to evaluate (both sources, API over file). */
  documents(): Promise<PolicyDocument[]>;
}

export interface PolicyStoreOptions {
  dir: string;
  cacheSeconds: number;
  now?: () => Date;
}

const RowSchema = z.object({ document: z.string(), updatedAt: z.string().optional() });

/** Parses and checks one document; the error names where it came from. */
export function parsePolicy(raw: unknown, where: string): PolicyDocument {
  const parsed = PolicyDocumentSchema.safeParse(raw);
  if (!parsed.success) throw ValidationError.fromZod(`policy ${where}`, parsed.error);
  validatePolicy(parsed.data);
  return parsed.data;
}

export class TablePolicyStore implements PolicyStore {
  private readonly ready: () => Promise<void>;
  private readonly now: () => Date;
  private cache: { at: number; items: StoredPolicy[] } | undefined;

  constructor(
    private readonly table: TableClient,
    private readonly options: PolicyStoreOptions,
  ) {
    this.ready = ensureTable(table);
    this.now = options.now ?? (() => new Date());
  }

  async list(): Promise<StoredPolicy[]> {
    const fresh = this.cache && this.now().getTime() - this.cache.at < this.options.cacheSeconds * 1000;
    if (fresh && this.cache) return this.cache.items;
    const byId = new Map<string, StoredPolicy>();
    for (const p of await this.fromFiles()) byId.set(p.policy.id, p);
    for (const p of await this.fromTable()) byId.set(p.policy.id, p);
    const items = [...byId.values()].sort((a, b) => (a.policy.id < b.policy.id ? -1 : 1));
    this.cache = { at: this.now().getTime(), items };
    return items;
  }

  async get(id: string): Promise<StoredPolicy> {
    const found = (await this.list()).find((p) => p.policy.id === id);
    if (!found) throw new PolicyNotFoundError(id);
    return found;
  }

  async documents(): Promise<PolicyDocument[]> {
    return (await this.list()).map((p) => p.policy);
  }

  async put(input: PolicyDocumentInput): Promise<{ stored: StoredPolicy; created: boolean }> {
    await this.ready();
    const policy = parsePolicy(input, typeof input.id === 'string' ? input.id : '(no id)');
    let created = true;
    try {
      await this.table.getEntity(PARTITION, policy.id);
      created = false;
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
    const updatedAt = this.now().toISOString();
    await this.table.upsertEntity({ partitionKey: PARTITION, rowKey: policy.id, document: JSON.stringify(policy), updatedAt }, 'Replace');
    this.cache = undefined;
    return { stored: { policy, source: PolicySource.api, updatedAt }, created };
  }

  private async fromFiles(): Promise<StoredPolicy[]> {
    let names: string[];
    try {
      names = (await readdir(this.options.dir)).filter((n) => n.endsWith('.json')).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: StoredPolicy[] = [];
    for (const name of names) {
      const file = path.join(this.options.dir, name);
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(file, 'utf8'));
      } catch (err) {
        // A broken file must not silently drop its rules: evaluation fails (and the loop denies) until it is fixed.
        throw new PolicyInvalidError(name, '-', `not readable JSON: ${err instanceof Error ? err.message : String(err)}`);
      }
      for (const doc of Array.isArray(raw) ? raw : [raw]) out.push({ policy: parsePolicy(doc, `in ${name}`), source: PolicySource.file });
    }
    return out;
  }

  private async fromTable(): Promise<StoredPolicy[]> {
    await this.ready();
    const out: StoredPolicy[] = [];
    for await (const row of this.table.listEntities({ queryOptions: { filter: `PartitionKey eq '${PARTITION}'` } })) {
      const parsed = RowSchema.safeParse(row);
      if (!parsed.success) continue;
      const policy = parsePolicy(JSON.parse(parsed.data.document), `${String(row.rowKey)} (table)`);
      out.push({ policy, source: PolicySource.api, ...(parsed.data.updatedAt ? { updatedAt: parsed.data.updatedAt } : {}) });
    }
    return out;
  }
}
