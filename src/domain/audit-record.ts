/**
 * Audit records and their hash chain: each record's SHA-256 covers the canonical JSON of its
 * fields and the previous record's hash, so changing, removing or reordering any stored record
 * breaks every hash after it. One chain per agent (`agent-<id>`) plus `system`.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './canonical-json.js';

/** `prev` of the first record of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** Hash material version: bump when the hashed fields change, so old chains stay verifiable. */
export const AUDIT_HASH_VERSION = 1;

/** `system`, or `agent-<agent id>` (the same shape as the loop's instance id). */
export const AuditChainIdSchema = z.string().regex(/^(system|agent-[a-z0-9][a-z0-9-]{0,61}[a-z0-9])$/, 'a chain id is "system" or "agent-<agent id>"');
export type AuditChainId = z.infer<typeof AuditChainIdSchema>;

export function agentChainId(agentId: string): AuditChainId {
  return `agent-${agentId}`;
}

/** The actions the app appends; `action` stays an open string so new steps need no schema change. */
export const AuditAction = {
  policyEvaluated: 'policy-evaluated',
  approvalRequested: 'approval-requested',
  approvalResolved: 'approval-resolved',
  decision: 'decision',
  stepSkipped: 'step-skipped',
  messageSent: 'message-sent',
  contextChanged: 'context-changed',
  policyChanged: 'policy-changed',
  riskChanged: 'risk-changed',
  decisionRecorded: 'decision-recorded',
} as const;

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const IsoTime = z.iso.datetime({ offset: true });

/** What a caller appends. `payload` is not stored, only its digest; `details` is stored (keep it small). */
export const AuditEntryInputSchema = z.object({
  actor: z.string().min(1).max(200),
  action: z.string().min(1).max(100),
  subject: z.string().min(1).max(500),
  payload: z.unknown().optional(),
  decision: z.string().max(100).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  /** When it happened (orchestration time for loop steps, so a retried append is identical). */
  time: IsoTime.optional(),
  /** Idempotency key: appending the same key to a chain again returns the first record. */
  key: z.string().min(1).max(512).optional(),
});
export type AuditEntryInput = z.input<typeof AuditEntryInputSchema>;

export const AuditRecordSchema = z.object({
  chain: AuditChainIdSchema,
  index: z.number().int().nonnegative(),
  time: IsoTime,
  actor: z.string(),
  action: z.string(),
  subject: z.string(),
  payloadDigest: Sha256Hex,
  decision: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  key: z.string().optional(),
  prev: Sha256Hex,
  hash: Sha256Hex,
});
export type AuditRecord = z.infer<typeof AuditRecordSchema>;

/** How other records point at an audit record: `<chain>/<index>`. */
export function auditRecordId(record: Pick<AuditRecord, 'chain' | 'index'>): string {
  return `${record.chain}/${record.index}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Digest of a payload: SHA-256 of its canonical JSON (absent payload hashes as `null`). */
export function payloadDigest(payload: unknown): string {
  return sha256Hex(canonicalJson(payload ?? null));
}

/** The hash of a record: SHA-256 over the canonical JSON of every field but `hash`, `prev` included. */
export function auditHash(record: Omit<AuditRecord, 'hash'>): string {
  return sha256Hex(
    canonicalJson({
      v: AUDIT_HASH_VERSION,
      chain: record.chain,
      index: record.index,
      time: record.time,
      actor: record.actor,
      action: record.action,
      subject: record.subject,
      payloadDigest: record.payloadDigest,
      decision: record.decision ?? null,
      details: record.details ?? null,
      key: record.key ?? null,
      prev: record.prev,
    }),
  );
}

/** Builds the next record of a chain from its head (index and hash of the last record). */
export function sealAuditRecord(chain: AuditChainId, head: { length: number; hash: string }, entry: z.output<typeof AuditEntryInputSchema>, now: string): AuditRecord {
  const body: Omit<AuditRecord, 'hash'> = {
    chain,
    index: head.length,
    time: entry.time ?? now,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    payloadDigest: payloadDigest(entry.payload),
    ...(entry.decision === undefined ? {} : { decision: entry.decision }),
    ...(entry.details === undefined ? {} : { details: entry.details }),
    ...(entry.key === undefined ? {} : { key: entry.key }),
    prev: head.hash,
  };
  return { ...body, hash: auditHash(body) };
}
