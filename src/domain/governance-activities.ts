/** Descriptors of the governance activities (names and schemas only, so orchestrators import no services). */
import { z } from 'zod';
import { DecideOutputSchema } from './agent-activities.js';
import { AgentIdSchema } from './agent-id.js';
import { ApprovalAnswerSchema, ApprovalSchema } from './approval.js';
import { AuditChainIdSchema, AuditEntryInputSchema } from './audit-record.js';
import { EventEnvelopeSchema } from './event-envelope.js';
import { defineOperation } from './operation-descriptor.js';
import { OnTimeoutSchema, PolicyStageSchema, PolicyVerdictSchema } from './policy-schema.js';

const IsoTime = z.iso.datetime({ offset: true });
/** Idempotency prefix of one step (batch token, event id, stage): a retried or replayed step appends once. */
const StepKey = z.string().min(1).max(400);

export const CheckPolicyInputSchema = z.object({
  key: StepKey,
  stage: PolicyStageSchema,
  agent: z.object({ id: AgentIdSchema, name: z.string(), role: z.string(), policies: z.array(z.string()).default([]) }),
  event: EventEnvelopeSchema.optional(),
  action: z.record(z.string(), z.unknown()).optional(),
  at: IsoTime,
});
export const CheckPolicyOutputSchema = z.object({ verdict: PolicyVerdictSchema, auditRecordId: z.string() });

export const RequestApprovalInputSchema = z.object({
  key: StepKey,
  agentId: AgentIdSchema,
  instanceId: z.string(),
  eventId: z.string(),
  stage: PolicyStageSchema,
  policyId: z.string(),
  ruleId: z.string(),
  reason: z.string(),
  timeoutSeconds: z.number().int().positive(),
  onTimeout: OnTimeoutSchema,
  level: z.number().int().min(1).max(2),
  escalatedFrom: z.string().optional(),
  at: IsoTime,
});

export const SettleApprovalInputSchema = z.object({
  approvalId: z.string(),
  outcome: z.discriminatedUnion('type', [z.object({ type: z.literal('answer'), answer: ApprovalAnswerSchema }), z.object({ type: z.literal('timeout') })]),
  at: IsoTime,
});

export const AuditAppendInputSchema = z.object({ chain: AuditChainIdSchema, entry: AuditEntryInputSchema });
export const AuditAppendOutputSchema = z.object({ recordId: z.string(), index: z.number().int(), hash: z.string() });

export const RecordDecisionRecordInputSchema = z.object({
  key: StepKey,
  agentId: AgentIdSchema,
  eventId: z.string(),
  at: IsoTime,
  decision: DecideOutputSchema,
  options: z.array(z.string()).max(50).default([]),
  auditRecordId: z.string(),
});

/** Activity names are prefixed `governance-` so that they read as one family in Durable Functions Monitor. */
export const GovernanceActivities = {
  checkPolicy: defineOperation('governance-check-policy', CheckPolicyInputSchema, CheckPolicyOutputSchema),
  requestApproval: defineOperation('governance-request-approval', RequestApprovalInputSchema, ApprovalSchema),
  settleApproval: defineOperation('governance-settle-approval', SettleApprovalInputSchema, ApprovalSchema),
  audit: defineOperation('governance-audit', AuditAppendInputSchema, AuditAppendOutputSchema),
  recordDecision: defineOperation('governance-record-decision', RecordDecisionRecordInputSchema, z.object({ decisionId: z.string() })),
} as const;
