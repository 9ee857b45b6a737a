// Proves the audit ledger on the run's real Azurite and through the local host's HTTP API: 50
// concurrent appends to one chain give one linear chain (no fork, no gap, no duplicate index); a
// retried append with the same key is stored once; a row edited by hand with @azure/data-tables
// fails verification at exactly its index; export gives JSON lines for a time range; and the risk
// registry maps likelihood x impact to levels and refuses illegal status transitions.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GovernanceTables, TableAuditLedger, tableClient } from '../../src/services/index.js';
import { startAos, type AosProcess } from '../support/aos-process.js';

const conn = inject('storageConnectionString');
const table = () => tableClient(conn, GovernanceTables.audit);
const chainId = (what: string) => `agent-${what}-${randomUUID().slice(0, 8)}` as const;

describe('audit ledger', () => {
  let aos: AosProcess;
  const api = (p: string, init?: RequestInit) => fetch(`${aos.baseUrl}/api${p}`, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } });

  beforeAll(async () => {
    aos = await startAos();
  });
  afterAll(async () => {
    await aos?.stop();
  });

  it('keeps 50 concurrent appends to one chain linear', async () => {
    const chain = chainId('concurrent');
    // Separate ledgers (clients) as separate workers would have; all race on the same head row.
    const ledgers = Array.from({ length: 5 }, () => new TableAuditLedger(table()));
    const appended = await Promise.all(
      Array.from({ length: 50 }, (_, i) => ledgers[i % ledgers.length]!.append(chain, { actor: `worker:${i % 5}`, action: 'test', subject: `append ${i}`, payload: { i } })),
    );
    expect(new Set(appended.map((r) => r.index)).size).toBe(50);
    expect(appended.map((r) => r.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));

    const verdict = await (await api(`/audit/${chain}/verify`)).json();
    expect(verdict).toMatchObject({ valid: true, length: 50 });
    const page = (await (await api(`/audit/${chain}?limit=1000`)).json()) as { items: Array<{ index: number; prev: string; hash: string; subject: string }>; head: { length: number } };
    expect(page.head.length).toBe(50);
    page.items.forEach((r, i) => {
      expect(r.index).toBe(i);
      if (i > 0) expect(r.prev).toBe(page.items[i - 1]?.hash);
    });
    expect(new Set(page.items.map((r) => r.subject)).size).toBe(50);
  });

  it('stores a retried append with the same key once, even when retried concurrently', async () => {
    const chain = chainId('idempotent');
    const ledger = new TableAuditLedger(table());
    const entry = { actor: 'agent:x', action: 'decision', subject: 'event e1', key: 'token-1:e1:decision' };
    const [a, b, c] = await Promise.all([ledger.append(chain, entry), ledger.append(chain, entry), ledger.append(chain, entry)]);
    expect(a?.hash).toBe(b?.hash);
    expect(b?.hash).toBe(c?.hash);
    expect(await ledger.head(chain)).toMatchObject({ length: 1 });
  });

  it('fails verification at the index of a row edited by hand', async () => {
    const chain = chainId('tamper');
    const ledger = new TableAuditLedger(table());
    for (let i = 0; i < 6; i++) await ledger.append(chain, { actor: 'agent:x', action: 'decision', subject: `event e${i}`, decision: 'allow' });
    expect(await (await api(`/audit/${chain}/verify`)).json()).toMatchObject({ valid: true, length: 6 });

    const client = table();
    const row = await client.getEntity(chain, 'r0000000003');
    await client.updateEntity({ partitionKey: chain, rowKey: 'r0000000003', decision: 'deny' }, 'Merge', { etag: row.etag });

    const verdict = await (await api(`/audit/${chain}/verify`)).json();
    expect(verdict).toMatchObject({ valid: false, brokenAt: 3, length: 3, reason: expect.stringContaining('hash') });
  });

  it('exports a time range as JSON lines', async () => {
    const chain = chainId('export');
    const ledger = new TableAuditLedger(table());
    for (const [i, time] of ['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z'].entries()) {
      await ledger.append(chain, { actor: 'agent:x', action: 'decision', subject: `event e${i}`, time });
    }
    const res = await api(`/audit/${chain}/export?from=2025-01-15T00:00:00Z&to=2025-03-01T00:00:00Z`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { index: number; time: string });
    expect(lines.map((l) => l.index)).toEqual([1]);
    expect((await api(`/audit/${chain}/export?from=yesterday`)).status).toBe(400);
    expect((await api('/audit/not-a-chain')).status).toBe(400);
  });

  it('registers risks with levels, moves them through their statuses, and audits each change', async () => {
    const id = `risk-${randomUUID().slice(0, 8)}`;
    const created = await api('/risks', { method: 'POST', body: JSON.stringify({ id, title: 'Model drift', likelihood: 0.9, impact: 0.8, decisionIds: ['ceo/d1'] }) });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ id, level: 'critical', status: 'open', score: 0.72 });
    expect((await api('/risks', { method: 'POST', body: JSON.stringify({ id, title: 'again', likelihood: 0, impact: 0 }) })).status).toBe(409);

    const mitigating = await api(`/risks/${id}`, { method: 'PATCH', body: JSON.stringify({ status: 'mitigating', likelihood: 0.5, by: 'alice', linkDecisions: ['ceo/d2'] }) });
    expect(await mitigating.json()).toMatchObject({ status: 'mitigating', level: 'high', decisionIds: ['ceo/d1', 'ceo/d2'] });
    const reopened = await api(`/risks/${id}`, { method: 'PATCH', body: JSON.stringify({ status: 'open', by: 'bob' }) });
    expect(reopened.status).toBe(200);
    const closedFromOpen = await api(`/risks/${id}`, { method: 'PATCH', body: JSON.stringify({ status: 'closed', by: 'bob' }) });
    expect(closedFromOpen.status).toBe(409);
    expect(await closedFromOpen.json()).toMatchObject({ error: { code: 'RISK_TRANSITION_INVALID' } });

    const listed = (await (await api('/risks?status=open')).json()) as { items: Array<{ id: string }> };
    expect(listed.items.map((r) => r.id)).toContain(id);
    expect((await api('/risks/no-such-risk')).status).toBe(404);
    const system = (await (await api('/audit/system?limit=1000')).json()) as { items: Array<{ action: string; subject: string; decision: string }> };
    expect(system.items.filter((r) => r.subject === `risk ${id}`).map((r) => r.decision)).toEqual(['created', 'status mitigating', 'status open']);
  });
});
