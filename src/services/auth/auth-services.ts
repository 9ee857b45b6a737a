/** The bootstrap of the HTTP authenticator from the configuration and the secret provider. */
import { getConfig, type Config } from '../../config.js';
import { getSecretProvider, type SecretProvider } from '../secrets/index.js';
import { HttpAuthenticator } from './http-authenticator.js';
import { createTokenVerifier, type TokenVerifierDeps } from './token-verifier.js';

export function buildHttpAuthenticator(config: Pick<Config, 'auth'>, secrets: SecretProvider, deps: TokenVerifierDeps = {}): HttpAuthenticator {
  return new HttpAuthenticator(config.auth, { verifier: createTokenVerifier(config.auth, deps), apiKeys: () => secrets.getSecret(config.auth.keysSecretName) });
}

let authenticator: HttpAuthenticator | undefined;

export function getHttpAuthenticator(): HttpAuthenticator {
  authenticator ??= buildHttpAuthenticator(getConfig(), getSecretProvider());
  return authenticator;
}
