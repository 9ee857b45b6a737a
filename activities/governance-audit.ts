/**
 * Activity `governance-audit`: appends one record to an audit chain (the loop calls it for each
 * step it takes, with a key so that a retried step appends once), and activity
 * `governance-record-decision`: stores the decision record that points at its audit record.
 */
import * as df from 'durable-functions';
import { z } from 'zod';
import { GovernanceActivities, ValidationError, auditRecordId, sha256Hex } from '../src/domain/index.js';
import { getGovernanceServices, type AuditLedger, type DecisionStore } from '../src/services/index.js';

export type AuditAppendOutput = z.output<typeof GovernanceActivities.audit.output>;

export async function auditActivity(input: unknown, deps: { ledger: AuditLedger }): Promise<AuditAppendOutput> {
  const parsed = GovernanceActivities.audit.input.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod('governance-audit input', parsed.error);
  const record = await deps.ledger.append(parsed.data.chain, parsed.data.entry);
  return { recordId: auditRecordId(record), index: record.index, hash: record.hash };
}

export async function recordDecisionActivity(input: unknown, deps: { decisions: DecisionStore }): Promise<{ decisionId: string }> {
  const parsed = GovernanceActivities.recordDecision.input.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod('governance-record-decision input', parsed.error);
  const { key, agentId, eventId, at, decision, options, auditRecordId: sealedBy } = parsed.data;
  // Time first so a partition lists in order; the digest of the step key makes a retry overwrite itself.
  const decisionId = `${at}_${sha256Hex(key).slice(0, 12)}`;
  await deps.decisions.put({
    id: decisionId,
    agentId,
    eventId,
    at,
    action: decision.action,
    rationale: decision.rationale,
    options: options.map((option) => ({ option })),
    scores: { alignment: decision.alignment.score },
    source: 'loop',
    auditRecordId: sealedBy,
    riskIds: [],
    provider: decision.provider,
    model: decision.model,
  });
  return { decisionId };
}

df.app.activity(GovernanceActivities.audit.name, { handler: (input: unknown) => auditActivity(input, getGovernanceServices()) });
df.app.activity(GovernanceActivities.recordDecision.name, { handler: (input: unknown) => recordDecisionActivity(input, getGovernanceServices()) });
