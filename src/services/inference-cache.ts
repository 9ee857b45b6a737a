/**
 * The inference response cache in Table storage: key = SHA-256 of provider, model, adapter, prompt
 * and parameters (canonical JSON); each row carries its expiry, and an expired row is a miss.
 */
import { createHash } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { canonicalJson, DecideOutputSchema } from '../domain/index.js';
import type { InferenceAnswer, PreparedInference } from './inference-provider.js';
import { ensureTable } from './storage-clients.js';

export interface InferenceCache {
  get(key: string): Promise<InferenceAnswer | undefined>;
  put(key: string, answer: InferenceAnswer, ttlSeconds: number): Promise<void>;
}

export function inferenceCacheKey(p: PreparedInference): string {
  const material = canonicalJson({ provider: p.provider, model: p.model, adapter: p.adapter ?? null, prompt: p.prompt, parameters: p.parameters });
  return createHash('sha256').update(material, 'utf8').digest('hex');
}

const AnswerSchema = DecideOutputSchema.omit({ cached: true, cost: true });
const CacheRowSchema = z.object({ answer: z.string(), expiresAt: z.union([z.date(), z.string()]) });

export class TableInferenceCache implements InferenceCache {
  private readonly ready: () => Promise<void>;

  constructor(
    private readonly table: TableClient,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.ready = ensureTable(table);
  }

  async get(key: string): Promise<InferenceAnswer | undefined> {
    await this.ready();
    let entity: unknown;
    try {
      entity = await this.table.getEntity(key.slice(0, 2), key);
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
    const row = CacheRowSchema.safeParse(entity);
    if (!row.success) return undefined;
    if (new Date(row.data.expiresAt).getTime() <= this.now().getTime()) return undefined;
    const answer = AnswerSchema.safeParse(JSON.parse(row.data.answer));
    return answer.success ? answer.data : undefined;
  }

  async put(key: string, answer: InferenceAnswer, ttlSeconds: number): Promise<void> {
    await this.ready();
    const expiresAt = new Date(this.now().getTime() + ttlSeconds * 1000);
    await this.table.upsertEntity({ partitionKey: key.slice(0, 2), rowKey: key, answer: JSON.stringify(answer), expiresAt, provider: answer.provider, model: answer.model }, 'Replace');
  }
}
