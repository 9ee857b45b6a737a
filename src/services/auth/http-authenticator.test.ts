import { createLocalJWKSet, exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config.js';
import { EnvironmentSecretProvider } from '../secrets/index.js';
import { buildHttpAuthenticator, requiredRole, Role } from './index.js';

const SECRET = 'a-local-signing-secret-of-enough-length';
const TENANT = '11111111-2222-3333-4444-555555555555';
const sign = (claims: Record<string, unknown>, opts: { issuer?: string; audience?: string; expires?: string } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(opts.issuer ?? 'aos-local')
    .setAudience(opts.audience ?? 'api://aos')
    .setSubject('user-1')
    .setIssuedAt()
    .setExpirationTime(opts.expires ?? '5m')
    .sign(new TextEncoder().encode(SECRET));

function authenticator(env: Record<string, string>, deps = {}) {
  return buildHttpAuthenticator(parseConfig({ AOS_AUTH_AUDIENCE: 'api://aos', ...env }), new EnvironmentSecretProvider(env), deps);
}

describe('HttpAuthenticator', () => {
  const entra = () => authenticator({ AOS_AUTH_MODE: 'entra', AOS_AUTH_LOCAL_SECRET: SECRET });

  it('accepts a locally signed token and takes its roles from the roles claim', async () => {
    const p = await entra().authenticate({ authorization: `Bearer ${await sign({ roles: ['Operator', 'unrelated'] })}` });
    expect(p).toMatchObject({ subject: 'user-1', roles: [Role.operator], via: 'local' });
  });

  it('refuses missing, malformed, expired, foreign-audience and foreign-issuer tokens with 401 errors', async () => {
    const a = entra();
    await expect(a.authenticate({})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(a.authenticate({ authorization: 'Bearer not-a-jwt' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(a.authenticate({ authorization: `Bearer ${await sign({ roles: ['admin'] }, { expires: '-10m' })}` })).rejects.toThrow(/ERR_JWT_EXPIRED/);
    await expect(a.authenticate({ authorization: `Bearer ${await sign({ roles: ['admin'] }, { audience: 'api://other' })}` })).rejects.toThrow(/ERR_JWT_CLAIM_VALIDATION_FAILED/);
    await expect(a.authenticate({ authorization: `Bearer ${await sign({ roles: ['admin'] }, { issuer: 'someone-else' })}` })).rejects.toThrow(/issuer/);
  });

  it('refuses a token signed with another secret', async () => {
    const forged = await new SignJWT({ roles: ['admin'] }).setProtectedHeader({ alg: 'HS256' }).setIssuer('aos-local').setAudience('api://aos').setExpirationTime('5m').sign(new TextEncoder().encode('another-secret-of-enough-length!!'));
    await expect(entra().authenticate({ authorization: `Bearer ${forged}` })).rejects.toThrow(/ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
  });

  it('verifies RS256 tokens with a local public key from config, written with escaped newlines', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = (await exportSPKI(publicKey)).replace(/\n/g, '\\n');
    const a = authenticator({ AOS_AUTH_MODE: 'key-or-entra', AOS_AUTH_LOCAL_PUBLIC_KEY: pem });
    const token = await new SignJWT({ roles: ['reader'] }).setProtectedHeader({ alg: 'RS256' }).setIssuer('aos-local').setAudience('api://aos').setSubject('svc').setExpirationTime('5m').sign(privateKey);
    expect(await a.authenticate({ authorization: `Bearer ${token}` })).toMatchObject({ subject: 'svc', roles: ['reader'], via: 'local' });
    await expect(a.authenticate({ authorization: `Bearer ${await sign({ roles: ['admin'] })}` })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('verifies Entra ID tokens against the tenant key set, issuer and audience', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
    const a = authenticator({ AOS_AUTH_MODE: 'entra', AOS_AUTH_TENANT_ID: TENANT }, { entraKeys: createLocalJWKSet({ keys: [jwk] }) });
    const token = await new SignJWT({ roles: ['admin'], oid: 'object-1', azp: 'client-1' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(`https://login.microsoftonline.com/${TENANT}/v2.0`)
      .setAudience('api://aos')
      .setExpirationTime('5m')
      .sign(privateKey);
    expect(await a.authenticate({ authorization: `Bearer ${token}` })).toEqual({ subject: 'object-1', roles: ['admin'], via: 'entra', appId: 'client-1' });
  });

  it('accepts a listed function key with its role in key mode, and nothing else', async () => {
    const a = authenticator({ AOS_AUTH_MODE: 'key', AOS_FUNCTION_KEYS: 'reader:read-key-000001,write-key-000002' });
    expect(await a.authenticate({ key: 'read-key-000001' })).toMatchObject({ roles: ['reader'], via: 'key' });
    expect(await a.authenticate({ key: 'write-key-000002' })).toMatchObject({ roles: ['admin'] });
    await expect(a.authenticate({ key: 'wrong' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(a.authenticate({ authorization: `Bearer ${await sign({ roles: ['admin'] })}` })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('authorizes by role hierarchy: admin covers operator covers reader', async () => {
    const a = entra();
    const operator = await a.authenticate({ authorization: `Bearer ${await sign({ roles: ['operator'] })}` });
    expect(() => a.authorize(operator, Role.reader)).not.toThrow();
    expect(() => a.authorize(operator, Role.operator)).not.toThrow();
    expect(() => a.authorize(operator, Role.admin)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });
});

describe('requiredRole', () => {
  it('classifies the API: anonymous health, admin registration and policies, operator MCP, method defaults, admin for the unknown', () => {
    expect(requiredRole({ functionName: 'health', route: 'health', method: 'GET' })).toBe('anonymous');
    expect(requiredRole({ functionName: 'agents-register', route: 'agents', method: 'POST' })).toBe('admin');
    expect(requiredRole({ functionName: 'policies-read', route: 'policies/{id}', method: 'GET' })).toBe('admin');
    expect(requiredRole({ functionName: 'agents-mcp', route: 'agents/{id}/mcp', method: 'GET' })).toBe('operator');
    expect(requiredRole({ functionName: 'agents-read', route: 'agents/{id}', method: 'GET' })).toBe('reader');
    expect(requiredRole({ functionName: 'agents-events', route: 'agents/{id}/events', method: 'POST' })).toBe('operator');
    expect(requiredRole({ functionName: 'audit-verify', route: 'audit/{chain}/verify', method: 'GET' })).toBe('reader');
    expect(requiredRole({ functionName: 'something-new', route: 'brand-new/{x}', method: 'GET' })).toBe('admin');
  });
});
