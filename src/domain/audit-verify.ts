/**
 * Verification of an audit chain, one record at a time (so a long chain is checked in pages): each
 * record must sit at its index, point at the previous hash, and hash to what it says; the chain's
 * head row must name the last record.
 */
import { AuditRecordSchema, GENESIS_HASH, auditHash } from './audit-record.js';

export type ChainVerification =
  | { valid: true; length: number; head: string }
  | { valid: false; length: number; head: string; brokenAt: number; reason: string };

export class ChainVerifier {
  private length = 0;
  private last = GENESIS_HASH;
  private broken: { brokenAt: number; reason: string } | undefined;

  /** Feeds the next stored record (raw: a row that no longer parses is a break too). Returns false once broken. */
  push(raw: unknown): boolean {
    if (this.broken) return false;
    const at = this.length;
    const parsed = AuditRecordSchema.safeParse(raw);
    if (!parsed.success) return this.fail(at, 'record is unreadable');
    const record = parsed.data;
    if (record.index !== at) return this.fail(at, `expected index ${at}, found ${record.index}`);
    if (record.prev !== this.last) return this.fail(at, 'prev does not match the hash of the record before');
    const { hash, ...body } = record;
    if (auditHash(body) !== hash) return this.fail(at, 'hash does not match the record');
    this.length += 1;
    this.last = hash;
    return true;
  }

  /** The verdict, given the chain's head row (length and hash of its last record), if it has one. */
  result(head?: { length: number; hash: string }): ChainVerification {
    if (this.broken) return { valid: false, length: this.length, head: this.last, ...this.broken };
    const expected = head ?? { length: 0, hash: GENESIS_HASH };
    if (expected.length !== this.length || expected.hash !== this.last) {
      return { valid: false, length: this.length, head: this.last, brokenAt: Math.min(this.length, expected.length), reason: `head names ${expected.length} records ending in ${expected.hash.slice(0, 12)}, the chain has ${this.length}` };
    }
    return { valid: true, length: this.length, head: this.last };
  }

  private fail(at: number, reason: string): false {
    this.broken = { brokenAt: at, reason };
    return false;
  }
}

/** Verifies a whole chain held in memory. */
export function verifyChain(records: readonly unknown[], head?: { length: number; hash: string }): ChainVerification {
  const verifier = new ChainVerifier();
  for (const record of records) if (!verifier.push(record)) break;
  return verifier.result(head);
}
