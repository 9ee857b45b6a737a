/** The errors of governance: policies, approvals, risks, decision records and the audit ledger. */
import { ErrorKind, aosErrorClass } from './aos-error.js';

export class PolicyNotFoundError extends aosErrorClass({ name: 'PolicyNotFoundError', code: 'POLICY_NOT_FOUND', kind: ErrorKind.notFound, fields: ['policyId'], message: (policyId: string) => `no policy ${policyId}` }) {}

/** A policy document whose rule condition is not a valid CEL expression. */
export class PolicyInvalidError extends aosErrorClass({ name: 'PolicyInvalidError', code: 'POLICY_INVALID', kind: ErrorKind.validation, fields: ['policyId', 'ruleId', 'problem'], message: (policyId: string, ruleId: string, problem: string) => `policy ${policyId} rule ${ruleId}: ${problem}` }) {}

export class ApprovalNotFoundError extends aosErrorClass({ name: 'ApprovalNotFoundError', code: 'APPROVAL_NOT_FOUND', kind: ErrorKind.notFound, fields: ['approvalId'], message: (approvalId: string) => `no approval ${approvalId}` }) {}

/** Resolving an approval that is no longer pending. */
export class ApprovalResolvedError extends aosErrorClass({ name: 'ApprovalResolvedError', code: 'APPROVAL_ALREADY_RESOLVED', kind: ErrorKind.conflict, fields: ['approvalId', 'status'], message: (approvalId: string, status: string) => `approval ${approvalId} is already ${status}` }) {}

export class RiskNotFoundError extends aosErrorClass({ name: 'RiskNotFoundError', code: 'RISK_NOT_FOUND', kind: ErrorKind.notFound, fields: ['riskId'], message: (riskId: string) => `no risk ${riskId}` }) {}

export class RiskConflictError extends aosErrorClass({ name: 'RiskConflictError', code: 'RISK_CONFLICT', kind: ErrorKind.conflict, fields: ['riskId'], message: (riskId: string) => `risk ${riskId} already exists` }) {}

export class RiskTransitionError extends aosErrorClass({ name: 'RiskTransitionError', code: 'RISK_TRANSITION_INVALID', kind: ErrorKind.conflict, fields: ['riskId', 'from', 'to'], message: (riskId: string, from: string, to: string) => `risk ${riskId} cannot go from ${from} to ${to}` }) {}

/** The ledger could not append after many optimistic-concurrency retries (heavy contention on one chain). */
export class AuditContentionError extends aosErrorClass({ name: 'AuditContentionError', code: 'AUDIT_CONTENTION', kind: ErrorKind.unavailable, retryable: true, fields: ['chain', 'attempts'], message: (chain: string, attempts: number) => `could not append to audit chain ${chain} after ${attempts} attempts` }) {}
