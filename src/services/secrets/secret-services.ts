/** The bootstrap of the secret provider: Key Vault first when a vault is configured, then the environment. */
import { SecretClient } from '@azure/keyvault-secrets';
import { environmentSnapshot, getConfig, type Config } from '../../config.js';
import { azureCredential } from '../azure-credential.js';
import { KeyVaultSecretProvider } from './key-vault-secret-provider.js';
import { ChainSecretProvider, EnvironmentSecretProvider, type SecretProvider } from './secret-provider.js';

export function buildSecretProvider(config: Pick<Config, 'secrets'>, env: Readonly<Record<string, string | undefined>>, onVaultError?: (err: unknown) => void): SecretProvider {
  const sources: SecretProvider[] = [];
  if (config.secrets.keyVaultUri) sources.push(new KeyVaultSecretProvider(new SecretClient(config.secrets.keyVaultUri, azureCredential()), { ttlSeconds: config.secrets.cacheSeconds }));
  sources.push(new EnvironmentSecretProvider(env));
  return new ChainSecretProvider(sources, onVaultError ? { onSourceError: (err) => onVaultError(err) } : {});
}

let provider: SecretProvider | undefined;

/** The process's secret provider, built from `getConfig()` on first use. */
export function getSecretProvider(): SecretProvider {
  provider ??= buildSecretProvider(getConfig(), environmentSnapshot());
  return provider;
}
