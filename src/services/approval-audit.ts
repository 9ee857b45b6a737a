/** The ledger record of an approval's resolution, shared by the settle activity and `POST /api/approvals/<id>` (one key, so it is appended once whichever path resolved it). */
import { ApprovalStatus, AuditAction, agentChainId, type Approval } from '../domain/index.js';
import type { AuditLedger } from './audit-ledger.js';

export function approvalResolvedKey(approvalId: string): string {
  return `approval:${approvalId}:resolved`;
}

export async function auditApprovalResolved(ledger: AuditLedger, approval: Approval): Promise<void> {
  await ledger.append(agentChainId(approval.agentId), {
    actor: approval.status === ApprovalStatus.expired ? 'system:timer' : `user:${approval.resolvedBy ?? 'anonymous'}`,
    action: AuditAction.approvalResolved,
    subject: `approval ${approval.id} for event ${approval.eventId}`,
    payload: approval,
    decision: approval.status,
    details: { approvalId: approval.id, level: approval.level, ...(approval.resolution ? { reason: approval.resolution } : {}) },
    ...(approval.resolvedAt ? { time: approval.resolvedAt } : {}),
    key: approvalResolvedKey(approval.id),
  });
}
