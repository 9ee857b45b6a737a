// Proves that with AOS_AUTH_MODE=entra (tokens signed by a local HS256 key standing in for Entra
// ID) every AOS HTTP function is behind the one preInvocation gate: no token, a forged, expired or
// foreign-audience token answers 401, a token without the needed role answers 403, both with the
// JSON error body and without changing anything; the right role succeeds; health stays anonymous.
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAos, type AosProcess } from '../support/aos-process.js';
import { waitUntil } from '../support/wait-until.js';

const SECRET = 'e2e-local-signing-secret-0123456789';
const AUDIENCE = 'api://aos-e2e';

function token(roles: string[], options: { secret?: string; audience?: string; expires?: string } = {}): Promise<string> {
  return new SignJWT({ roles, oid: `user-${roles.join('-') || 'none'}` })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('aos-local')
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expires ?? '10m')
    .sign(new TextEncoder().encode(options.secret ?? SECRET));
}

describe('Entra ID bearer tokens and roles on the AOS API', () => {
  let aos: AosProcess;
  const agentId = `auth-${randomUUID().slice(0, 8)}`;
  const definition = { id: agentId, name: 'Auth probe', role: 'test', purpose: { statement: 'Answer questions about auth', scope: 'tests', successCriteria: [] } };
  const call = (path: string, bearer: string | undefined, init: RequestInit = {}) =>
    fetch(`${aos.baseUrl}/api${path}`, { ...init, headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...init.headers } });
  let admin: string;
  let operator: string;
  let reader: string;

  beforeAll(async () => {
    aos = await startAos({ env: { AOS_AUTH_MODE: 'entra', AOS_AUTH_LOCAL_SECRET: SECRET, AOS_AUTH_AUDIENCE: AUDIENCE, AOS_REGISTER_CONFIRM_MS: '10000' } });
    [admin, operator, reader] = await Promise.all([token(['admin']), token(['operator']), token(['reader'])]);
  });
  afterAll(async () => {
    await aos?.stop();
  });

  it('keeps health anonymous', async () => {
    expect((await call('/health', undefined)).status).toBe(200);
  });

  it('refuses a call without a token, or with a forged, expired or foreign-audience token, with 401 and a JSON error', async () => {
    const cases = [undefined, await token(['admin'], { secret: 'not-the-secret-of-this-app-000' }), await token(['admin'], { expires: '-5m' }), await token(['admin'], { audience: 'api://other' }), 'not-a-jwt'];
    for (const bearer of cases) {
      const res = await call('/agents', bearer);
      expect(res.status, String(bearer)).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await res.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
    }
  });

  it('refuses registration without the admin role with 403 and registers nothing', async () => {
    for (const bearer of [reader, operator]) {
      const res = await call('/agents', bearer, { method: 'POST', body: JSON.stringify(definition) });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: { code: 'FORBIDDEN', message: 'this operation needs the admin role', details: { required: 'admin', granted: [expect.any(String)] } } });
    }
    expect((await call(`/agents/${agentId}`, admin)).status).toBe(404);
  });

  it('registers with the admin role and lets a reader read the agent', async () => {
    expect((await call('/agents', admin, { method: 'POST', body: JSON.stringify(definition) })).status).toBe(201);
    const read = await call(`/agents/${agentId}`, reader);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ context: { id: agentId } });
  });

  it('refuses an event from a reader (403, nothing accepted) and accepts it from an operator (202)', async () => {
    const refused = await call(`/agents/${agentId}/events`, reader, { method: 'POST', body: JSON.stringify({ id: 'refused-1', type: 'question', source: 'test', data: 'hello' }) });
    expect(refused.status).toBe(403);
    const accepted = await call(`/agents/${agentId}/events`, operator, { method: 'POST', body: JSON.stringify({ id: 'accepted-1', type: 'question', source: 'test', data: 'hello' }) });
    expect(accepted.status).toBe(202);
    const view = await waitUntil(
      async () => {
        const v = (await (await call(`/agents/${agentId}`, reader)).json()) as { context: { counters: { eventsProcessed: number; eventsAccepted: number }; recentDecisions: { eventId: string }[] } };
        return v.context.counters.eventsProcessed >= 1 ? v : undefined;
      },
      { timeoutMs: 30_000, describe: `agent ${agentId} processed the operator's event` },
    );
    expect(view.context.counters.eventsAccepted).toBe(1);
    expect(view.context.recentDecisions.map((d) => d.eventId)).toEqual(['accepted-1']);
  });

  it('needs operator for the MCP endpoint and admin to terminate', async () => {
    const init = { method: 'POST', headers: { accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }) };
    expect((await call(`/agents/${agentId}/mcp`, reader, init)).status).toBe(403);
    const mcp = await call(`/agents/${agentId}/mcp`, operator, init);
    expect([401, 403]).not.toContain(mcp.status);
    await mcp.arrayBuffer();
    expect((await call(`/agents/${agentId}/terminate`, operator, { method: 'POST', body: '{}' })).status).toBe(403);
    const still = (await (await call(`/agents/${agentId}`, reader)).json()) as { context: { lifecycle: { state: string } } };
    expect(still.context.lifecycle.state).not.toBe('terminated');
    expect((await call(`/agents/${agentId}/terminate`, admin, { method: 'POST', body: '{}' })).status).toBe(202);
  });
});
