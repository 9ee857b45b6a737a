// Proves the agent services' storage adapters on the run's real Azurite: the inference cache in
// Table storage (hit, TTL expiry, key covering provider/model/adapter/prompt/parameters), the
// transcript in Blob storage (idempotent per event) and the paged agent directory.
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import type { DecideInput } from '../../src/domain/index.js';
import {
  BlobTranscriptStore,
  CachedInference,
  TableAgentDirectory,
  TableInferenceCache,
  containerClient,
  inferenceCacheKey,
  tableClient,
  type InferenceAnswer,
  type InferenceProvider,
  type PreparedInference,
} from '../../src/services/index.js';

const conn = inject('storageConnectionString');
const unique = () => randomUUID().replace(/-/g, '').slice(0, 12);

/** A provider that counts its runs, so a cache hit is observable as "not run". */
class CountingProvider implements InferenceProvider {
  readonly name = 'counting';
  runs = 0;
  prepare(input: DecideInput): PreparedInference {
    return { provider: this.name, model: 'm1', prompt: JSON.stringify(input.event.data), parameters: { temperature: 0 } };
  }
  async run(): Promise<InferenceAnswer> {
    this.runs += 1;
    return { action: `answer ${this.runs}`, rationale: 'r', alignment: { score: 0.5, reasons: [] }, provider: this.name, model: 'm1', tokensIn: 1000, tokensOut: 500 };
  }
}

const input = (data: unknown): DecideInput => ({
  agent: { id: 'a1', name: 'A', role: '', purpose: { statement: 's', scope: '', successCriteria: [] }, goals: [], memorySummary: '' },
  event: { id: 'e', type: 't', source: 's', time: '2025-01-01T00:00:00.000Z', data },
});

describe('inference cache on Table storage', () => {
  it('answers an equal request from the cache with zero spend, and a different one from the provider', async () => {
    const provider = new CountingProvider();
    const cache = new TableInferenceCache(tableClient(conn, `Cache${unique()}`));
    const inference = new CachedInference(provider, cache, { ttlSeconds: 60, pricePer1k: { input: 0.002, output: 0.004 } });
    const first = await inference.decide(input({ q: 1 }));
    expect(first).toMatchObject({ action: 'answer 1', cached: false, tokensIn: 1000, tokensOut: 500 });
    expect(first.cost).toBeCloseTo(0.004);
    const second = await inference.decide(input({ q: 1 }));
    expect(second).toMatchObject({ action: 'answer 1', cached: true, tokensIn: 0, tokensOut: 0, cost: 0 });
    const third = await inference.decide(input({ q: 2 }));
    expect(third).toMatchObject({ action: 'answer 2', cached: false });
    expect(provider.runs).toBe(2);
  });

  it('treats an expired row as a miss', async () => {
    let now = new Date('2025-01-01T00:00:00Z');
    const cache = new TableInferenceCache(tableClient(conn, `Cache${unique()}`), () => now);
    const answer: InferenceAnswer = { action: 'x', rationale: '', alignment: { score: 0, reasons: [] }, provider: 'p', model: 'm', tokensIn: 1, tokensOut: 1 };
    await cache.put('abcdef', answer, 10);
    expect(await cache.get('abcdef')).toEqual(answer);
    now = new Date('2025-01-01T00:00:11Z');
    expect(await cache.get('abcdef')).toBeUndefined();
  });

  it('keys by provider, model, adapter, prompt and parameters', () => {
    const base: PreparedInference = { provider: 'openai', model: 'm', adapter: 'a', prompt: 'p', parameters: { t: 0 } };
    const key = inferenceCacheKey(base);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(inferenceCacheKey({ ...base, parameters: { t: 0 } })).toBe(key);
    for (const change of [{ provider: 'x' }, { model: 'x' }, { adapter: 'x' }, { prompt: 'x' }, { parameters: { t: 1 } }]) expect(inferenceCacheKey({ ...base, ...change })).not.toBe(key);
  });
});

describe('transcript on Blob storage', () => {
  it('stores one blob per event, idempotently, and reads it back by pointer', async () => {
    const store = new BlobTranscriptStore(containerClient(conn, `transcripts-${unique()}`));
    const record = {
      agentId: 'ceo',
      at: '2025-03-04T05:06:07.000Z',
      event: { id: 'evt/1', type: 't', source: 's', time: '2025-03-04T05:06:00.000Z', data: { n: 1 } },
      decision: { action: 'a', rationale: 'r', alignment: { score: 0.1, reasons: [] }, provider: 'lexical', model: 'lexical-v1', tokensIn: 1, tokensOut: 1, cost: 0, cached: false },
    };
    const ref = await store.append(record);
    expect(await store.append(record)).toBe(ref);
    expect(ref).toBe('ceo/2025/03/04/2025-03-04T050607.000Z-evt%2F1.json');
    expect(await store.list('ceo')).toEqual([ref]);
    expect(await store.read(ref)).toEqual(record);
    expect(await store.read('ceo/none.json')).toBeUndefined();
  });
});

describe('agent directory on Table storage', () => {
  it('lists registered agents in pages', async () => {
    const directory = new TableAgentDirectory(tableClient(conn, `Agents${unique()}`));
    for (const id of ['a1', 'a2', 'a3', 'a4', 'a5']) await directory.put({ id, name: id.toUpperCase(), kind: 'purpose-driven', role: '', registeredAt: '2025-01-01T00:00:00.000Z' });
    const first = await directory.list({ pageSize: 2 });
    expect(first.items.map((i) => i.id)).toEqual(['a1', 'a2']);
    expect(first.next).toBeDefined();
    const second = await directory.list({ pageSize: 2, continuation: first.next as string });
    expect(second.items.map((i) => i.id)).toEqual(['a3', 'a4']);
    const third = await directory.list({ pageSize: 2, continuation: second.next as string });
    expect(third.items.map((i) => i.id)).toEqual(['a5']);
    expect(third.next).toBeUndefined();
  });
});
