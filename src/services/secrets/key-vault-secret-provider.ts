/**
 * Secrets from Azure Key Vault through the SDK's `SecretClient`, cached per name for a TTL so that
 * a hot path (the API key check) does not call the vault per request. A missing secret (404) is a
 * miss, cached too, so the chain falls back to the next source.
 */
import type { SecretClient } from '@azure/keyvault-secrets';
import { registerSecretValue } from './redaction.js';
import type { SecretProvider } from './secret-provider.js';

/** The part of `SecretClient` this provider uses (the SDK class satisfies it; so does the test double). */
export type SecretReader = Pick<SecretClient, 'getSecret'>;

export interface KeyVaultSecretProviderOptions {
  /** @default 300 */
  ttlSeconds?: number;
  /** @default Date.now */
  now?: () => number;
}

function isNotFound(err: unknown): boolean {
  const e = err as { statusCode?: unknown; code?: unknown } | null;
  return e !== null && typeof e === 'object' && (e.statusCode === 404 || e.code === 'SecretNotFound');
}

export class KeyVaultSecretProvider implements SecretProvider {
  readonly #cache = new Map<string, { value: string | undefined; expires: number }>();
  readonly #inflight = new Map<string, Promise<string | undefined>>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(
    private readonly client: SecretReader,
    options: KeyVaultSecretProviderOptions = {},
  ) {
    this.#ttlMs = (options.ttlSeconds ?? 300) * 1000;
    this.#now = options.now ?? Date.now;
  }

  async getSecret(name: string): Promise<string | undefined> {
    const cached = this.#cache.get(name);
    if (cached && cached.expires > this.#now()) return cached.value;
    let pending = this.#inflight.get(name);
    if (!pending) {
      pending = this.#fetch(name).finally(() => this.#inflight.delete(name));
      this.#inflight.set(name, pending);
    }
    return pending;
  }

  async #fetch(name: string): Promise<string | undefined> {
    let value: string | undefined;
    try {
      value = (await this.client.getSecret(name)).value;
    } catch (err) {
      if (!isNotFound(err)) throw err;
      value = undefined;
    }
    if (value !== undefined) registerSecretValue(value);
    if (this.#ttlMs > 0) this.#cache.set(name, { value, expires: this.#now() + this.#ttlMs });
    return value;
  }
}
