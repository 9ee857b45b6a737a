/**
 * Human approvals: a step a policy answered `require-approval` for waits for a person. The record
 * lives in Table storage; the decision reaches the waiting loop as the external event
 * `approval:<approvalId>` with body `{approve, by, reason?}` (see `orchestrators/README.md`).
 */
import { z } from 'zod';
import { ApprovalResolvedError } from './governance-errors.js';
import { OnTimeoutSchema, PolicyStageSchema } from './policy-schema.js';

export const ApprovalStatus = { pending: 'pending', approved: 'approved', denied: 'denied', expired: 'expired' } as const;
export type ApprovalStatus = (typeof ApprovalStatus)[keyof typeof ApprovalStatus];
export const ApprovalStatusSchema = z.enum([ApprovalStatus.pending, ApprovalStatus.approved, ApprovalStatus.denied, ApprovalStatus.expired]);

export const ApprovalIdSchema = z.string().regex(/^[a-z0-9-]{8,64}$/, 'an approval id is 8-64 lower-case letters, digits or dashes');

/** The name of the external event that carries the decision on approval `id`. */
export function approvalEventName(approvalId: string): string {
  return `approval:${approvalId}`;
}

/** The body of the `approval:<id>` event and of `POST /api/approvals/<id>`. */
export const ApprovalAnswerSchema = z.object({
  approve: z.boolean(),
  by: z.string().min(1).max(200).default('anonymous'),
  reason: z.string().max(1000).optional(),
});
export type ApprovalAnswer = z.infer<typeof ApprovalAnswerSchema>;

export const ApprovalSchema = z.object({
  id: ApprovalIdSchema,
  agentId: z.string(),
  /** The loop instance waiting for the decision (`agent-<id>`). */
  instanceId: z.string(),
  eventId: z.string(),
  stage: PolicyStageSchema,
  policyId: z.string(),
  ruleId: z.string(),
  reason: z.string(),
  /** 1: the first request; 2: escalated after the first timed out. */
  level: z.number().int().min(1).max(2),
  escalatedFrom: z.string().optional(),
  timeoutSeconds: z.number().int().positive(),
  onTimeout: OnTimeoutSchema,
  status: ApprovalStatusSchema,
  createdAt: z.string(),
  expiresAt: z.string(),
  resolvedAt: z.string().optional(),
  resolvedBy: z.string().optional(),
  resolution: z.string().optional(),
});
export type Approval = z.infer<typeof ApprovalSchema>;

/** Resolves a pending approval; anything else is refused (409), so a decision is taken once. */
export function resolveApproval(approval: Approval, to: Exclude<ApprovalStatus, 'pending'>, by: string, at: string, resolution?: string): Approval {
  if (approval.status !== ApprovalStatus.pending) throw new ApprovalResolvedError(approval.id, approval.status);
  return { ...approval, status: to, resolvedAt: at, resolvedBy: by, ...(resolution === undefined ? {} : { resolution }) };
}
