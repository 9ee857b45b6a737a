/** The errors of governance: policies, approvals, risks, decision records and the audit ledger. */
import { AosError, ErrorKind } from './aos-error.js';

export class PolicyNotFoundError extends AosError {
  readonly code = 'POLICY_NOT_FOUND';
  readonly kind = ErrorKind.notFound;
  override name = 'PolicyNotFoundError';
  constructor(readonly policyId: string) {
    super(`no policy ${policyId}`, { details: { policyId } });
  }
}

/** A policy document whose rule condition is not a valid CEL expression. */
export class PolicyInvalidError extends AosError {
  readonly code = 'POLICY_INVALID';
  readonly kind = ErrorKind.validation;
  override name = 'PolicyInvalidError';
  constructor(
    readonly policyId: string,
    readonly ruleId: string,
    problem: string,
  ) {
    super(`policy ${policyId} rule ${ruleId}: ${problem}`, { details: { policyId, ruleId, problem } });
  }
}

export class ApprovalNotFoundError extends AosError {
  readonly code = 'APPROVAL_NOT_FOUND';
  readonly kind = ErrorKind.notFound;
  override name = 'ApprovalNotFoundError';
  constructor(readonly approvalId: string) {
    super(`no approval ${approvalId}`, { details: { approvalId } });
  }
}

/** Resolving an approval that is no longer pending. */
export class ApprovalResolvedError extends AosError {
  readonly code = 'APPROVAL_ALREADY_RESOLVED';
  readonly kind = ErrorKind.conflict;
  override name = 'ApprovalResolvedError';
  constructor(
    readonly approvalId: string,
    readonly status: string,
  ) {
    super(`approval ${approvalId} is already ${status}`, { details: { approvalId, status } });
  }
}

export class RiskNotFoundError extends AosError {
  readonly code = 'RISK_NOT_FOUND';
  readonly kind = ErrorKind.notFound;
  override name = 'RiskNotFoundError';
  constructor(readonly riskId: string) {
    super(`no risk ${riskId}`, { details: { riskId } });
  }
}

export class RiskConflictError extends AosError {
  readonly code = 'RISK_CONFLICT';
  readonly kind = ErrorKind.conflict;
  override name = 'RiskConflictError';
  constructor(readonly riskId: string) {
    super(`risk ${riskId} already exists`, { details: { riskId } });
  }
}

export class RiskTransitionError extends AosError {
  readonly code = 'RISK_TRANSITION_INVALID';
  readonly kind = ErrorKind.conflict;
  override name = 'RiskTransitionError';
  constructor(
    readonly riskId: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`risk ${riskId} cannot go from ${from} to ${to}`, { details: { riskId, from, to } });
  }
}

/** The ledger could not append after many optimistic-concurrency retries (heavy contention on one chain). */
export class AuditContentionError extends AosError {
  readonly code = 'AUDIT_CONTENTION';
  readonly kind = ErrorKind.unavailable;
  override readonly retryable = true;
  override name = 'AuditContentionError';
  constructor(
    readonly chain: string,
    readonly attempts: number,
  ) {
    super(`could not append to audit chain ${chain} after ${attempts} attempts`, { details: { chain, attempts } });
  }
}
