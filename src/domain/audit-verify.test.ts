import { describe, expect, it } from 'vitest';
import { AuditEntryInputSchema, GENESIS_HASH, auditHash, payloadDigest, sealAuditRecord, type AuditRecord } from './audit-record.js';
import { verifyChain } from './audit-verify.js';

function chainOf(n: number): AuditRecord[] {
  const out: AuditRecord[] = [];
  let head = { length: 0, hash: GENESIS_HASH };
  for (let i = 0; i < n; i++) {
    const entry = AuditEntryInputSchema.parse({ actor: 'agent:ceo', action: 'decision', subject: `event e${i}`, payload: { i }, decision: 'allow' });
    const record = sealAuditRecord('agent-ceo', head, entry, `2025-01-01T00:00:0${i}.000Z`);
    out.push(record);
    head = { length: i + 1, hash: record.hash };
  }
  return out;
}

describe('audit hash chain', () => {
  it('starts at the genesis hash and links each record to the one before', () => {
    const [a, b] = chainOf(2);
    expect(a?.prev).toBe(GENESIS_HASH);
    expect(b?.prev).toBe(a?.hash);
    expect(a?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes the same record to the same value whatever the key order', () => {
    const [a] = chainOf(1);
    if (!a) throw new Error('no record');
    const { hash, ...body } = a;
    const reordered = Object.fromEntries(Object.entries(body).reverse()) as Omit<AuditRecord, 'hash'>;
    expect(auditHash(reordered)).toBe(hash);
  });

  it('digests payloads canonically', () => {
    expect(payloadDigest({ a: 1, b: 2 })).toBe(payloadDigest({ b: 2, a: 1 }));
    expect(payloadDigest(undefined)).toBe(payloadDigest(null));
  });

  it('verifies an intact chain against its head', () => {
    const records = chainOf(5);
    const last = records[4];
    expect(verifyChain(records, { length: 5, hash: last?.hash ?? '' })).toEqual({ valid: true, length: 5, head: last?.hash });
  });

  it('verifies an empty chain without a head', () => {
    expect(verifyChain([])).toEqual({ valid: true, length: 0, head: GENESIS_HASH });
  });

  it('reports the first edited record', () => {
    const records = chainOf(5);
    const tampered = records.map((r, i) => (i === 2 ? { ...r, decision: 'deny' } : r));
    expect(verifyChain(tampered, { length: 5, hash: records[4]?.hash ?? '' })).toMatchObject({ valid: false, brokenAt: 2, length: 2, reason: expect.stringContaining('hash') });
  });

  it('reports a re-hashed edit at the record after it, whose prev no longer matches', () => {
    const records = chainOf(4);
    const r1 = records[1];
    if (!r1) throw new Error('no record');
    const { hash: _old, ...body } = { ...r1, subject: 'rewritten' };
    const forged = { ...body, hash: auditHash(body) };
    const result = verifyChain([records[0], forged, records[2], records[3]], { length: 4, hash: records[3]?.hash ?? '' });
    expect(result).toMatchObject({ valid: false, brokenAt: 2 });
  });

  it('reports a removed record and a missing tail', () => {
    const records = chainOf(4);
    expect(verifyChain([records[0], records[2], records[3]], { length: 4, hash: records[3]?.hash ?? '' })).toMatchObject({ valid: false, brokenAt: 1 });
    expect(verifyChain(records.slice(0, 3), { length: 4, hash: records[3]?.hash ?? '' })).toMatchObject({ valid: false, brokenAt: 3, length: 3 });
  });

  it('reports a record that no longer parses', () => {
    const records: unknown[] = chainOf(3);
    records[1] = { ...(records[1] as object), index: 'one' };
    expect(verifyChain(records)).toMatchObject({ valid: false, brokenAt: 1, reason: 'record is unreadable' });
  });
});
