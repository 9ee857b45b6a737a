/**
 * Declarative policies: JSON documents of rules, each a CEL condition (Common Expression Language,
 * evaluated by `@marcbachmann/cel-js`) over the facts of one step, with an effect. Loaded from
 * `config/policies/*.json` and the policy API; an agent's context lists the policies that apply to
 * it, and `scope: "global"` policies apply to every agent.
 */
import { z } from 'zod';

/** The steps a policy can govern. */
export const PolicyStage = {
  inference: 'inference',
  toolCall: 'tool-call',
  message: 'message',
  memoryWrite: 'memory-write',
} as const;
export type PolicyStage = (typeof PolicyStage)[keyof typeof PolicyStage];
export const PolicyStageSchema = z.enum([PolicyStage.inference, PolicyStage.toolCall, PolicyStage.message, PolicyStage.memoryWrite]);

export const PolicyEffect = { allow: 'allow', deny: 'deny', requireApproval: 'require-approval' } as const;
export type PolicyEffect = (typeof PolicyEffect)[keyof typeof PolicyEffect];

/** What happens when nobody answers an approval in time. */
export const OnTimeout = { deny: 'deny', escalate: 'escalate' } as const;
export type OnTimeout = (typeof OnTimeout)[keyof typeof OnTimeout];
export const OnTimeoutSchema = z.enum([OnTimeout.deny, OnTimeout.escalate]);

export const PolicyIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}[a-z0-9]$/, 'a policy id is 2-64 lower-case letters, digits, dots, dashes or underscores');

export const ApprovalSettingsSchema = z.object({
  /** Seconds to wait for a human. @default 3600 */
  timeoutSeconds: z.number().int().min(1).max(30 * 24 * 3600).default(3600),
  /** `deny` the step, or `escalate`: ask again (level 2) for one more timeout, then deny. @default deny */
  onTimeout: OnTimeoutSchema.default(OnTimeout.deny),
});
export type ApprovalSettings = z.infer<typeof ApprovalSettingsSchema>;

export const PolicyRuleSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
  description: z.string().max(1000).optional(),
  /** Steps the rule looks at. @default every stage */
  stages: z.array(PolicyStageSchema).min(1).default([PolicyStage.inference, PolicyStage.toolCall, PolicyStage.message, PolicyStage.memoryWrite]),
  /** CEL over `stage`, `agent`, `event`, `action`, `time`; must give a bool. @default "true" */
  when: z.string().min(1).max(4000).default('true'),
  effect: z.enum([PolicyEffect.allow, PolicyEffect.deny, PolicyEffect.requireApproval]),
  reason: z.string().min(1).max(500),
  approval: ApprovalSettingsSchema.optional(),
});
export type PolicyRule = z.infer<typeof PolicyRuleSchema>;

export const PolicyScope = { global: 'global', listed: 'listed' } as const;

export const PolicyDocumentSchema = z.object({
  id: PolicyIdSchema,
  description: z.string().max(2000).default(''),
  enabled: z.boolean().default(true),
  /** `global`: applies to every agent. `listed`: only to agents whose context lists the id. @default listed */
  scope: z.enum([PolicyScope.global, PolicyScope.listed]).default(PolicyScope.listed),
  rules: z.array(PolicyRuleSchema).min(1).max(100),
});
export type PolicyDocument = z.infer<typeof PolicyDocumentSchema>;
export type PolicyDocumentInput = z.input<typeof PolicyDocumentSchema>;

/** The facts a policy sees about one step (the CEL variables). */
export const PolicyFactsSchema = z.object({
  stage: PolicyStageSchema,
  agent: z.object({ id: z.string(), name: z.string(), role: z.string(), policies: z.array(z.string()) }),
  /** The event being processed (envelope), or `{}`. */
  event: z.record(z.string(), z.unknown()).default({}),
  /** The step's own facts: the decision before a memory write, the message or tool call before an effect. */
  action: z.record(z.string(), z.unknown()).default({}),
  time: z.iso.datetime({ offset: true }),
});
export type PolicyFacts = z.infer<typeof PolicyFactsSchema>;
export type PolicyFactsInput = z.input<typeof PolicyFactsSchema>;

const RuleRef = { policyId: z.string(), ruleId: z.string(), reason: z.string() };

/** The answer of a policy check; `matched` lists every rule whose condition held (for the audit record). */
export const PolicyVerdictSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal(PolicyEffect.allow), matched: z.array(z.string()) }),
  z.object({ type: z.literal(PolicyEffect.deny), ...RuleRef, matched: z.array(z.string()) }),
  z.object({ type: z.literal(PolicyEffect.requireApproval), ...RuleRef, timeoutSeconds: z.number().int().positive(), onTimeout: OnTimeoutSchema, matched: z.array(z.string()) }),
]);
export type PolicyVerdict = z.infer<typeof PolicyVerdictSchema>;
