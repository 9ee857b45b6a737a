import { describe, expect, it } from 'vitest';
import { SecretClientTestDouble } from '../testing/secret-client-test-double.js';
import { ChainSecretProvider, EnvironmentSecretProvider, KeyVaultSecretProvider, REDACTED, buildSecretProvider, redact, redactText } from './index.js';

describe('secret providers', () => {
  it('reads the environment by the name itself and by its upper snake case form', async () => {
    const env = new EnvironmentSecretProvider({ 'aos-direct': 'direct-value', AOS_FUNCTION_KEYS: 'admin:k-0123456789' });
    expect(await env.getSecret('aos-direct')).toBe('direct-value');
    expect(await env.getSecret('aos-function-keys')).toBe('admin:k-0123456789');
    expect(await env.getSecret('missing')).toBeUndefined();
  });

  it('falls back from Key Vault to the environment when the vault has no such secret', async () => {
    const vault = new SecretClientTestDouble(undefined, { 'in-vault': 'vault-value-1' });
    const chain = new ChainSecretProvider([new KeyVaultSecretProvider(vault), new EnvironmentSecretProvider({ IN_ENV: 'env-value-1', IN_VAULT: 'shadowed' })]);
    expect(await chain.getSecret('in-vault')).toBe('vault-value-1');
    expect(await chain.getSecret('in-env')).toBe('env-value-1');
    expect(await chain.getSecret('nowhere')).toBeUndefined();
  });

  it('falls back when the vault fails only if told to, and reports the failure', async () => {
    const vault = new SecretClientTestDouble();
    vault.failWith = new Error('vault unreachable');
    const env = new EnvironmentSecretProvider({ A_SECRET: 'env-value-2' });
    await expect(new ChainSecretProvider([new KeyVaultSecretProvider(vault), env]).getSecret('a-secret')).rejects.toThrow('vault unreachable');
    const seen: unknown[] = [];
    expect(await new ChainSecretProvider([new KeyVaultSecretProvider(vault), env], { onSourceError: (e) => seen.push(e) }).getSecret('a-secret')).toBe('env-value-2');
    expect(seen).toHaveLength(1);
  });

  it('caches vault answers, misses included, until the TTL passes', async () => {
    let now = 1_000;
    const vault = new SecretClientTestDouble(undefined, { s: 'first-value' });
    const provider = new KeyVaultSecretProvider(vault, { ttlSeconds: 60, now: () => now });
    expect(await provider.getSecret('s')).toBe('first-value');
    expect(await provider.getSecret('gone')).toBeUndefined();
    vault.secrets.set('s', 'second-value');
    vault.secrets.set('gone', 'now-here');
    expect(await provider.getSecret('s')).toBe('first-value');
    expect(await provider.getSecret('gone')).toBeUndefined();
    expect(vault.calls).toEqual(['s', 'gone']);
    now += 61_000;
    expect(await provider.getSecret('s')).toBe('second-value');
    expect(await provider.getSecret('gone')).toBe('now-here');
  });

  it('shares one vault call between concurrent readers', async () => {
    const vault = new SecretClientTestDouble(undefined, { s: 'shared-value' });
    const provider = new KeyVaultSecretProvider(vault);
    expect(await Promise.all([provider.getSecret('s'), provider.getSecret('s')])).toEqual(['shared-value', 'shared-value']);
    expect(vault.calls).toEqual(['s']);
  });

  it('uses the environment alone when no vault is configured', async () => {
    const provider = buildSecretProvider({ secrets: { cacheSeconds: 0 } }, { MY_SECRET: 'from-env-value' });
    expect(await provider.getSecret('my-secret')).toBe('from-env-value');
  });
});

describe('redaction', () => {
  it('hides values under secret-like keys but keeps counters and storage keys', () => {
    const out = redact({ apiKey: 'x', headers: { authorization: 'Bearer abc', 'x-functions-key': 'k' }, password: 'p', tokensIn: 12, partitionKey: 'pk', accessToken: 't', nested: [{ clientSecret: 's' }] });
    expect(out).toEqual({ apiKey: REDACTED, headers: { authorization: REDACTED, 'x-functions-key': REDACTED }, password: REDACTED, tokensIn: 12, partitionKey: 'pk', accessToken: REDACTED, nested: [{ clientSecret: REDACTED }] });
  });

  it('scrubs credentials inside text: account keys, bearer tokens, JWTs and key query values', () => {
    const text = redactText('conn AccountKey=abc123==;x then Bearer abcdefghijk and eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl at /api/x?code=sekret&y=1');
    expect(text).toBe(`conn AccountKey=${REDACTED};x then Bearer ${REDACTED} and ${REDACTED} at /api/x?code=${REDACTED}&y=1`);
  });

  it('scrubs every value a provider handed out, wherever it appears', async () => {
    const provider = new EnvironmentSecretProvider({ AOS_FUNCTION_KEYS: 'operator:handed-out-key-42' });
    await provider.getSecret('aos-function-keys');
    expect(redactText('the key handed-out-key-42 leaked')).toBe(`the key ${REDACTED} leaked`);
  });
});

describe('redaction of error bodies', () => {
  it('keeps error codes and step keys', () => {
    expect(redact({ error: { code: 'AGENT_NOT_FOUND', message: 'agent x', details: { key: 'batch:e1' } } })).toEqual({ error: { code: 'AGENT_NOT_FOUND', message: 'agent x', details: { key: 'batch:e1' } } });
  });
});
