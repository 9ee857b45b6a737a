// Proves function keys on both levels of the stack. The AOS app in AOS_AUTH_MODE=key accepts the
// keys listed in its `aos-function-keys` secret (here from the environment, as local.settings.json
// would give it) sent as `x-functions-key` or `code`, each with its role, and refuses others with
// 401. The local host, given AOS_HOST_FUNCTION_KEYS / AOS_HOST_MASTER_KEY, checks keys per
// function authLevel as the Functions host does, and checks nothing when none are configured.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startAos, type AosProcess } from '../support/aos-process.js';

const READER_KEY = `reader-key-${randomUUID()}`;
const ADMIN_KEY = `admin-key-${randomUUID()}`;

describe('AOS API with AOS_AUTH_MODE=key', () => {
  let aos: AosProcess;
  const agentId = `keys-${randomUUID().slice(0, 8)}`;
  const call = (p: string, init: RequestInit = {}) => fetch(`${aos.baseUrl}/api${p}`, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });

  beforeAll(async () => {
    aos = await startAos({ env: { AOS_AUTH_MODE: 'key', AOS_FUNCTION_KEYS: `reader:${READER_KEY},${ADMIN_KEY}`, AOS_REGISTER_CONFIRM_MS: '10000' } });
  });
  afterAll(async () => {
    await aos?.stop();
  });

  it('refuses a missing or unknown key with 401 and a JSON error', async () => {
    const attempts: Record<string, string>[] = [{}, { 'x-functions-key': 'not-a-key' }, { authorization: 'Bearer some.jwt.token' }];
    for (const headers of attempts) {
      const res = await call('/agents', { headers });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    }
  });

  it('accepts a bare key as admin, in the header or the code query value', async () => {
    const definition = { id: agentId, name: 'Key probe', role: 'test', purpose: { statement: 'Probe keys', scope: 'tests', successCriteria: [] } };
    expect((await call('/agents', { method: 'POST', headers: { 'x-functions-key': ADMIN_KEY }, body: JSON.stringify(definition) })).status).toBe(201);
    expect((await call(`/agents/${agentId}?code=${encodeURIComponent(ADMIN_KEY)}`)).status).toBe(200);
  });

  it('gives a reader key reads and refuses it writes with 403', async () => {
    expect((await call(`/agents/${agentId}`, { headers: { 'x-functions-key': READER_KEY } })).status).toBe(200);
    const res = await call(`/agents/${agentId}/events`, { method: 'POST', headers: { 'x-functions-key': READER_KEY }, body: JSON.stringify({ type: 'note', source: 'test' }) });
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).toContain('FORBIDDEN');
    expect(body).not.toContain(READER_KEY);
  });
});

describe('local host function keys per authLevel', () => {
  const app = path.join(REPO_ROOT, 'tests/fixtures/apps/http-keys');
  let keyed: AosProcess;
  let open: AosProcess;
  const get = (host: AosProcess, p: string, headers: Record<string, string> = {}) => fetch(`${host.baseUrl}/api/${p}`, { headers });

  beforeAll(async () => {
    [keyed, open] = await Promise.all([
      startAos({ app, env: { AOS_HOST_FUNCTION_KEYS: 'fkey-1, fkey-2', AOS_HOST_MASTER_KEY: 'master-key' } }),
      startAos({ app, env: { AOS_HOST_FUNCTION_KEYS: '', AOS_HOST_MASTER_KEY: '' } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([keyed?.stop(), open?.stop()]);
  });

  it('serves anonymous functions without a key, including those that name no level (the v4 library registers them as anonymous)', async () => {
    expect((await get(keyed, 'open')).status).toBe(200);
    expect((await get(keyed, 'unstated')).status).toBe(200);
  });

  it('asks function-level functions for a function or master key', async () => {
    for (const fn of ['guarded']) {
      const missing = await get(keyed, fn);
      expect(missing.status).toBe(401);
      expect(await missing.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
      expect((await get(keyed, fn, { 'x-functions-key': 'wrong' })).status).toBe(401);
      expect((await get(keyed, fn, { 'x-functions-key': 'fkey-2' })).status).toBe(200);
      expect((await get(keyed, `${fn}?code=fkey-1`)).status).toBe(200);
      expect((await get(keyed, `${fn}?code=master-key`)).status).toBe(200);
    }
  });

  it('accepts only the master key for admin-level functions', async () => {
    expect((await get(keyed, 'admin-only', { 'x-functions-key': 'fkey-1' })).status).toBe(401);
    expect(await (await get(keyed, 'admin-only', { 'x-functions-key': 'master-key' })).text()).toBe('admin');
  });

  it('checks nothing when no key is configured, as Core Tools does', async () => {
    expect((await get(open, 'guarded')).status).toBe(200);
    expect((await get(open, 'admin-only')).status).toBe(200);
  });
});
