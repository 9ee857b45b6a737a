/**
 * Secrets by name (`getSecret(name)`): Key Vault in Azure, the environment (and so
 * `local.settings.json` Values) locally, and a chain that asks each source in turn. Every value a
 * provider hands out is registered with the redactor, so it is scrubbed from logs and error bodies.
 */
import { registerSecretValue } from './redaction.js';

export interface SecretProvider {
  /** The secret's value, or undefined when this source does not have it. */
  getSecret(name: string): Promise<string | undefined>;
}

/** `aos-function-keys` is looked up as itself, then as `AOS_FUNCTION_KEYS` (names Key Vault allows are not all valid settings). */
export function environmentNameOf(name: string): string {
  return name.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
}

/** Secrets from an environment snapshot (the host applies `local.settings.json` Values to it). */
export class EnvironmentSecretProvider implements SecretProvider {
  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  async getSecret(name: string): Promise<string | undefined> {
    const value = this.env[name] ?? this.env[environmentNameOf(name)];
    if (value === undefined || value === '') return undefined;
    registerSecretValue(value);
    return value;
  }
}

/** Asks each provider in order and returns the first value. A source that fails is skipped (and reported) only when an `onSourceError` handler is given. */
export class ChainSecretProvider implements SecretProvider {
  constructor(
    private readonly providers: readonly SecretProvider[],
    private readonly options: { onSourceError?: (err: unknown, index: number) => void } = {},
  ) {}

  async getSecret(name: string): Promise<string | undefined> {
    for (const [index, provider] of this.providers.entries()) {
      try {
        const value = await provider.getSecret(name);
        if (value !== undefined) return value;
      } catch (err) {
        // A vault that cannot be reached must not hide a secret the environment has; without a
        // handler the failure is the caller's to see.
        if (!this.options.onSourceError) throw err;
        this.options.onSourceError(err, index);
      }
    }
    return undefined;
  }
}
