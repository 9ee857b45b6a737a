/**
 * Who is calling: a bearer token (Entra ID or a local key) or an API key, as the mode allows, and
 * whether that caller holds the role an operation needs. Transport-free: the caller passes the
 * `Authorization` value and the presented key, so the same check serves any HTTP front.
 */
import type { AuthConfig, AuthMode } from '../../config.js';
import { ForbiddenError, UnauthenticatedError } from './auth-errors.js';
import { grants, Role, type Role as RoleValue } from './auth-roles.js';
import { matchApiKey, parseApiKeys } from './api-keys.js';
import type { Principal, TokenVerifier } from './token-verifier.js';

export interface PresentedCredentials {
  /** The `Authorization` header. */
  authorization?: string | null;
  /** The `x-functions-key` header, else the `code` query value. */
  key?: string | null;
}

export interface HttpAuthenticatorDeps {
  verifier: TokenVerifier;
  /** The accepted API keys (`role:key,...`), read from the secret provider on each check (it caches). */
  apiKeys: () => Promise<string | undefined>;
}

const acceptsTokens = (mode: AuthMode) => mode === 'entra' || mode === 'key-or-entra';
const acceptsKeys = (mode: AuthMode) => mode === 'key' || mode === 'key-or-entra';

export class HttpAuthenticator {
  constructor(
    private readonly auth: Pick<AuthConfig, 'mode'>,
    private readonly deps: HttpAuthenticatorDeps,
  ) {}

  get enabled(): boolean {
    return this.auth.mode !== 'none';
  }

  /** The caller, or UnauthenticatedError. A bearer token, when sent, is the credential: a bad one is not rescued by a key. */
  async authenticate(presented: PresentedCredentials): Promise<Principal> {
    const mode = this.auth.mode;
    if (mode === 'none') return { subject: 'anonymous', roles: [Role.admin], via: 'key' };
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(presented.authorization ?? '')?.[1];
    if (bearer && acceptsTokens(mode)) return this.deps.verifier.verify(bearer);
    const key = presented.key?.trim();
    if (key && acceptsKeys(mode)) {
      const role = matchApiKey(parseApiKeys(await this.deps.apiKeys()), key);
      if (!role) throw new UnauthenticatedError('the function key is not valid');
      return { subject: `key:${role}`, roles: [role], via: 'key' };
    }
    throw new UnauthenticatedError(this.#missingMessage(mode));
  }

  authorize(principal: Principal, required: RoleValue): void {
    if (!grants(principal.roles, required)) throw new ForbiddenError(required, principal.roles);
  }

  #missingMessage(mode: AuthMode): string {
    if (mode === 'key') return 'a function key is required (x-functions-key header or code query value)';
    if (mode === 'entra') return 'an Entra ID bearer token is required (Authorization: Bearer <token>)';
    return 'a bearer token or a function key is required';
  }
}
