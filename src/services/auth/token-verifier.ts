/**
 * Bearer token verification with `jose`: Entra ID access tokens (signature by the tenant's JWKS,
 * v1 or v2 issuer of that tenant, audience, expiry) and, for development and tests, tokens signed
 * by a local key (HS256 secret or RS256 public key) recognised by their issuer.
 */
import { createRemoteJWKSet, decodeJwt, importSPKI, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { AuthConfig } from '../../config.js';
import { UnauthenticatedError } from './auth-errors.js';
import { parseRole, type Role } from './auth-roles.js';

export interface Principal {
  /** `oid` or `sub` of a token; `key:<role>` for an API key. */
  subject: string;
  roles: Role[];
  via: 'entra' | 'local' | 'key';
  /** The application (client) id of a token, when it has one. */
  appId?: string;
}

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

/** Seconds of clock skew tolerated on `exp` and `nbf`. */
const CLOCK_TOLERANCE_SECONDS = 60;

export function entraJwksUrl(tenantId: string): URL {
  return new URL(`https://login.microsoftonline.com/${encodeURIComponent(tenantId)}/discovery/v2.0/keys`);
}

/** Access tokens are v1 or v2 depending on the app registration's `accessTokenAcceptedVersion`. */
export function entraIssuers(tenantId: string): string[] {
  return [`https://login.microsoftonline.com/${tenantId}/v2.0`, `https://sts.windows.net/${tenantId}/`];
}

function principalOf(payload: JWTPayload, via: Principal['via']): Principal {
  const rawRoles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
  const roles = [...new Set(rawRoles.map(parseRole).filter((r): r is Role => r !== undefined))];
  const oid = typeof payload.oid === 'string' ? payload.oid : undefined;
  const appId = typeof payload.azp === 'string' ? payload.azp : typeof payload.appid === 'string' ? payload.appid : undefined;
  return { subject: oid ?? payload.sub ?? 'unknown', roles, via, ...(appId ? { appId } : {}) };
}

export interface TokenVerifierDeps {
  /** The key set of the tenant; tests and offline use may inject one. @default the tenant's remote JWKS */
  entraKeys?: JWTVerifyGetKey;
}

export function createTokenVerifier(auth: AuthConfig, deps: TokenVerifierDeps = {}): TokenVerifier {
  const local = auth.local;
  let localKey: Promise<Uint8Array | CryptoKey> | undefined;
  const localKeyOf = () => {
    if (!local) throw new UnauthenticatedError('no local signing key is configured');
    localKey ??= local.secret ? Promise.resolve(new TextEncoder().encode(local.secret)) : importSPKI(local.publicKeyPem ?? '', 'RS256');
    return localKey;
  };
  const entraKeys = auth.tenantId ? (deps.entraKeys ?? createRemoteJWKSet(entraJwksUrl(auth.tenantId), { cacheMaxAge: 6 * 3600_000, cooldownDuration: 30_000 })) : undefined;

  return {
    async verify(token) {
      let issuer: string | undefined;
      try {
        issuer = decodeJwt(token).iss;
      } catch {
        throw new UnauthenticatedError('the bearer token is not a JWT');
      }
      try {
        if (local && issuer === local.issuer) {
          const { payload } = await jwtVerify(token, await localKeyOf(), { issuer: local.issuer, audience: auth.audiences, algorithms: local.secret ? ['HS256'] : ['RS256'], clockTolerance: CLOCK_TOLERANCE_SECONDS, requiredClaims: ['exp'] });
          return principalOf(payload, 'local');
        }
        if (entraKeys && auth.tenantId && issuer !== undefined && entraIssuers(auth.tenantId).includes(issuer)) {
          const { payload } = await jwtVerify(token, entraKeys, { issuer: entraIssuers(auth.tenantId), audience: auth.audiences, algorithms: ['RS256'], clockTolerance: CLOCK_TOLERANCE_SECONDS, requiredClaims: ['exp'] });
          return principalOf(payload, 'entra');
        }
      } catch (err) {
        if (err instanceof UnauthenticatedError) throw err;
        // jose's code (ERR_JWT_EXPIRED, ERR_JWS_SIGNATURE_VERIFICATION_FAILED, ...) says why without echoing the token.
        const code = (err as { code?: unknown }).code;
        throw new UnauthenticatedError(`the bearer token was refused (${typeof code === 'string' ? code : 'invalid'})`, { cause: err });
      }
      throw new UnauthenticatedError('the bearer token has an issuer this app does not accept');
    },
  };
}
