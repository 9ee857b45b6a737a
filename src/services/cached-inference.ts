/** Inference with caching and cost: the code behind the `agent-decide` activity. */
import type { DecideInput, DecideOutput } from '../domain/index.js';
import { inferenceCacheKey, type InferenceCache } from './inference-cache.js';
import type { InferenceAnswer, InferenceProvider } from './inference-provider.js';

export interface InferenceLog {
  warn(message: string, meta: Record<string, unknown>): void;
}

export interface CachedInferenceOptions {
  /** 0 disables the cache. */
  ttlSeconds: number;
  pricePer1k: { input: number; output: number };
  /** Providers whose answers are cheaper to compute than to fetch (the lexical one) are not cached. */
  uncachedProviders?: readonly string[];
  log?: InferenceLog;
}

export function costOf(answer: Pick<InferenceAnswer, 'tokensIn' | 'tokensOut'>, price: { input: number; output: number }): number {
  return (answer.tokensIn / 1000) * price.input + (answer.tokensOut / 1000) * price.output;
}

/**
 * Decides through the provider, answering from the cache when an equal request was answered within
 * the TTL. A cache hit spends nothing, so it reports zero tokens and zero cost (the counters of an
 * agent are what it spent). A cache that fails is logged and bypassed: inference does not depend on it.
 */
export class CachedInference {
  constructor(
    private readonly provider: InferenceProvider,
    private readonly cache: InferenceCache | undefined,
    private readonly options: CachedInferenceOptions,
  ) {}

  async decide(input: DecideInput): Promise<DecideOutput> {
    const prepared = this.provider.prepare(input);
    const useCache = this.cache !== undefined && this.options.ttlSeconds > 0 && !(this.options.uncachedProviders ?? ['lexical']).includes(this.provider.name);
    const key = useCache ? inferenceCacheKey(prepared) : '';
    if (useCache) {
      const hit = await this.cache?.get(key).catch((err: unknown) => void this.options.log?.warn('inference cache read failed', { error: String(err) }));
      if (hit) return { ...hit, tokensIn: 0, tokensOut: 0, cost: 0, cached: true };
    }
    const answer = await this.provider.run(prepared, input);
    if (useCache) await this.cache?.put(key, answer, this.options.ttlSeconds).catch((err: unknown) => this.options.log?.warn('inference cache write failed', { error: String(err) }));
    return { ...answer, cost: costOf(answer, this.options.pricePer1k), cached: false };
  }
}
