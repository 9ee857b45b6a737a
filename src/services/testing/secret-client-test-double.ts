/**
 * Test double of Key Vault: implements the `getSecret` member of the SDK's `SecretClient` over an
 * in-memory map, answering a missing name as the service does (a 404 `SecretNotFound` error), and
 * counting calls so tests can see the cache at work. A real vault cannot run here.
 */
import type { GetSecretOptions, KeyVaultSecret } from '@azure/keyvault-secrets';
import type { SecretReader } from '../secrets/index.js';

/** The shape of the SDK's RestError for a missing secret (what the provider branches on). */
export class SecretNotFoundTestError extends Error {
  override name = 'RestError';
  readonly statusCode = 404;
  readonly code = 'SecretNotFound';
}

export class SecretClientTestDouble implements SecretReader {
  readonly secrets = new Map<string, string>();
  readonly calls: string[] = [];
  /** When set, every call fails with it (a vault that cannot be reached). */
  failWith: Error | undefined;

  constructor(
    readonly vaultUrl = 'https://test-double.vault.azure.net/',
    initial: Record<string, string> = {},
  ) {
    for (const [k, v] of Object.entries(initial)) this.secrets.set(k, v);
  }

  async getSecret(secretName: string, _options?: GetSecretOptions): Promise<KeyVaultSecret> {
    this.calls.push(secretName);
    if (this.failWith) throw this.failWith;
    const value = this.secrets.get(secretName);
    if (value === undefined) throw new SecretNotFoundTestError(`A secret with (name/id) ${secretName} was not found in this key vault.`);
    return { name: secretName, value, properties: { name: secretName, vaultUrl: this.vaultUrl } };
  }
}
