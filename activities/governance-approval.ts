/**
 * Activities `governance-request-approval` (create the pending approval record, idempotently) and
 * `governance-settle-approval` (record the answer or the timeout, unless the API already resolved
 * it, in which case the stored decision stands). Both append to the agent's audit chain, keyed so
 * that each approval is requested and resolved in the ledger exactly once, whichever path resolved it.
 */
import * as df from 'durable-functions';
import {
  ApprovalResolvedError,
  ApprovalStatus,
  AuditAction,
  GovernanceActivities,
  ValidationError,
  agentChainId,
  type Approval,
} from '../src/domain/index.js';
import { approvalIdFor, auditApprovalResolved, getGovernanceServices, type ApprovalStore, type AuditLedger } from '../src/services/index.js';

export interface ApprovalDeps {
  approvals: ApprovalStore;
  ledger: AuditLedger;
}

export async function requestApprovalActivity(input: unknown, deps: ApprovalDeps): Promise<Approval> {
  const parsed = GovernanceActivities.requestApproval.input.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod('governance-request-approval input', parsed.error);
  const r = parsed.data;
  const id = approvalIdFor(`${r.key}:level-${r.level}`);
  const approval = await deps.approvals.create({
    id,
    agentId: r.agentId,
    instanceId: r.instanceId,
    eventId: r.eventId,
    stage: r.stage,
    policyId: r.policyId,
    ruleId: r.ruleId,
    reason: r.reason,
    level: r.level,
    ...(r.escalatedFrom ? { escalatedFrom: r.escalatedFrom } : {}),
    timeoutSeconds: r.timeoutSeconds,
    onTimeout: r.onTimeout,
    status: ApprovalStatus.pending,
    createdAt: r.at,
    expiresAt: new Date(Date.parse(r.at) + r.timeoutSeconds * 1000).toISOString(),
  });
  await deps.ledger.append(agentChainId(r.agentId), {
    actor: 'system:policy',
    action: AuditAction.approvalRequested,
    subject: `approval ${id} for event ${r.eventId}`,
    payload: approval,
    decision: 'require-approval',
    details: { approvalId: id, stage: r.stage, policyId: r.policyId, ruleId: r.ruleId, level: r.level, timeoutSeconds: r.timeoutSeconds, onTimeout: r.onTimeout },
    time: r.at,
    key: `approval:${id}:requested`,
  });
  return approval;
}

export async function settleApprovalActivity(input: unknown, deps: ApprovalDeps): Promise<Approval> {
  const parsed = GovernanceActivities.settleApproval.input.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod('governance-settle-approval input', parsed.error);
  const { approvalId, outcome, at } = parsed.data;
  let settled: Approval;
  try {
    settled =
      outcome.type === 'answer'
        ? await deps.approvals.resolve(approvalId, outcome.answer.approve ? ApprovalStatus.approved : ApprovalStatus.denied, outcome.answer.by, at, outcome.answer.reason)
        : await deps.approvals.resolve(approvalId, ApprovalStatus.expired, 'system', at, 'no answer before the timeout');
  } catch (err) {
    // Resolved already (by the API, or by this activity before a retry): the stored decision stands.
    if (!(err instanceof ApprovalResolvedError)) throw err;
    settled = await deps.approvals.get(approvalId);
  }
  await auditApprovalResolved(deps.ledger, settled);
  return settled;
}

df.app.activity(GovernanceActivities.requestApproval.name, { handler: (input: unknown) => requestApprovalActivity(input, getGovernanceServices()) });
df.app.activity(GovernanceActivities.settleApproval.name, { handler: (input: unknown) => settleApprovalActivity(input, getGovernanceServices()) });
