/** Secrets: the provider port, its Key Vault, environment and chain implementations, the bootstrap, and redaction. */
export { ChainSecretProvider, EnvironmentSecretProvider, environmentNameOf, type SecretProvider } from './secret-provider.js';
export { KeyVaultSecretProvider, type KeyVaultSecretProviderOptions, type SecretReader } from './key-vault-secret-provider.js';
export { REDACTED, redact, redactText, registerSecretValue } from './redaction.js';
export { buildSecretProvider, getSecretProvider } from './secret-services.js';
