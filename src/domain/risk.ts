/**
 * The risk registry's pure rules: likelihood x impact (each 0..1) gives a score and a level, and a
 * risk's status moves through a small state machine.
 *
 * Levels (score = likelihood x impact): critical >= 0.64 (both about 0.8 or more), high >= 0.36
 * (about 0.6), medium >= 0.16 (about 0.4), low below. Statuses: open -> mitigating | accepted;
 * mitigating -> closed | accepted | open; accepted -> open; closed is final.
 */
import { z } from 'zod';
import { RiskTransitionError } from './governance-errors.js';

export const RiskLevel = { low: 'low', medium: 'medium', high: 'high', critical: 'critical' } as const;
export type RiskLevel = (typeof RiskLevel)[keyof typeof RiskLevel];

/** Lower bounds of each level's score, highest first. */
export const RISK_THRESHOLDS: ReadonlyArray<{ level: RiskLevel; min: number }> = [
  { level: RiskLevel.critical, min: 0.64 },
  { level: RiskLevel.high, min: 0.36 },
  { level: RiskLevel.medium, min: 0.16 },
  { level: RiskLevel.low, min: 0 },
];

export function riskScore(likelihood: number, impact: number): number {
  // Rounded so that 0.8 x 0.8 is exactly 0.64 and lands on its threshold.
  return Math.round(likelihood * impact * 1e6) / 1e6;
}

export function riskLevel(likelihood: number, impact: number): RiskLevel {
  const score = riskScore(likelihood, impact);
  return (RISK_THRESHOLDS.find((t) => score >= t.min) ?? { level: RiskLevel.low }).level;
}

export const RiskStatus = { open: 'open', mitigating: 'mitigating', accepted: 'accepted', closed: 'closed' } as const;
export type RiskStatus = (typeof RiskStatus)[keyof typeof RiskStatus];
export const RiskStatusSchema = z.enum([RiskStatus.open, RiskStatus.mitigating, RiskStatus.accepted, RiskStatus.closed]);

export const RISK_TRANSITIONS: Readonly<Record<RiskStatus, readonly RiskStatus[]>> = {
  open: [RiskStatus.mitigating, RiskStatus.accepted],
  mitigating: [RiskStatus.closed, RiskStatus.accepted, RiskStatus.open],
  accepted: [RiskStatus.open],
  closed: [],
};

export function transitionRisk(riskId: string, from: RiskStatus, to: RiskStatus): RiskStatus {
  if (from === to) return to;
  if (!RISK_TRANSITIONS[from].includes(to)) throw new RiskTransitionError(riskId, from, to);
  return to;
}

const Probability = z.number().min(0).max(1);
export const RiskIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);

export const RiskSchema = z.object({
  id: RiskIdSchema,
  title: z.string().min(1).max(200),
  description: z.string().max(4000).default(''),
  likelihood: Probability,
  impact: Probability,
  score: z.number(),
  level: z.enum([RiskLevel.low, RiskLevel.medium, RiskLevel.high, RiskLevel.critical]),
  status: RiskStatusSchema,
  owner: z.string().max(200).optional(),
  agentId: z.string().optional(),
  mitigation: z.string().max(4000).optional(),
  /** Decision records this risk is linked to (`<agentId>/<decisionId>`). */
  decisionIds: z.array(z.string().max(300)).max(100),
  history: z.array(z.object({ from: RiskStatusSchema, to: RiskStatusSchema, at: z.string(), by: z.string(), reason: z.string().optional() })).max(50),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Risk = z.infer<typeof RiskSchema>;

export const RiskCreateSchema = z.object({
  id: RiskIdSchema.optional(),
  title: z.string().min(1).max(200),
  description: z.string().max(4000).default(''),
  likelihood: Probability,
  impact: Probability,
  owner: z.string().max(200).optional(),
  agentId: z.string().optional(),
  mitigation: z.string().max(4000).optional(),
  decisionIds: z.array(z.string().max(300)).max(100).default([]),
  by: z.string().max(200).default('anonymous'),
});
export type RiskCreate = z.infer<typeof RiskCreateSchema>;

export const RiskUpdateSchema = z
  .object({
    title: z.string().min(1).max(200).optional(),
    description: z.string().max(4000).optional(),
    likelihood: Probability.optional(),
    impact: Probability.optional(),
    owner: z.string().max(200).optional(),
    mitigation: z.string().max(4000).optional(),
    status: RiskStatusSchema.optional(),
    /** Decision records to link (added to the existing links). */
    linkDecisions: z.array(z.string().max(300)).max(100).optional(),
    by: z.string().max(200).default('anonymous'),
    reason: z.string().max(500).optional(),
  })
  .strict();
export type RiskUpdate = z.infer<typeof RiskUpdateSchema>;

/** A new risk from its creation request. */
export function createRisk(id: string, input: RiskCreate, now: string): Risk {
  return {
    id,
    title: input.title,
    description: input.description,
    likelihood: input.likelihood,
    impact: input.impact,
    score: riskScore(input.likelihood, input.impact),
    level: riskLevel(input.likelihood, input.impact),
    status: RiskStatus.open,
    ...(input.owner === undefined ? {} : { owner: input.owner }),
    ...(input.agentId === undefined ? {} : { agentId: input.agentId }),
    ...(input.mitigation === undefined ? {} : { mitigation: input.mitigation }),
    decisionIds: [...new Set(input.decisionIds)],
    history: [],
    createdAt: now,
    updatedAt: now,
  };
}

/** Applies an update; a status change must be a legal transition, and the level follows the numbers. */
export function updateRisk(risk: Risk, update: RiskUpdate, now: string): Risk {
  const likelihood = update.likelihood ?? risk.likelihood;
  const impact = update.impact ?? risk.impact;
  const status = update.status === undefined ? risk.status : transitionRisk(risk.id, risk.status, update.status);
  const history = status === risk.status ? risk.history : [...risk.history, { from: risk.status, to: status, at: now, by: update.by, ...(update.reason ? { reason: update.reason } : {}) }].slice(-50);
  return {
    ...risk,
    ...(update.title === undefined ? {} : { title: update.title }),
    ...(update.description === undefined ? {} : { description: update.description }),
    ...(update.owner === undefined ? {} : { owner: update.owner }),
    ...(update.mitigation === undefined ? {} : { mitigation: update.mitigation }),
    likelihood,
    impact,
    score: riskScore(likelihood, impact),
    level: riskLevel(likelihood, impact),
    status,
    decisionIds: [...new Set([...risk.decisionIds, ...(update.linkDecisions ?? [])])].slice(0, 100),
    history,
    updatedAt: now,
  };
}
