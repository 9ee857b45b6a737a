/** Decision records: every agent decision with its rationale, the options it had, its scores and the audit record that seals it. */
import { z } from 'zod';

export const DecisionRecordSchema = z.object({
  id: z.string().min(1).max(200),
  agentId: z.string(),
  eventId: z.string().optional(),
  at: z.iso.datetime({ offset: true }),
  action: z.string().max(500),
  rationale: z.string().max(4000),
  options: z.array(z.object({ option: z.string().max(500), score: z.number().optional() })).max(50),
  scores: z.record(z.string(), z.number()),
  /** `loop` for the agent loop's decisions, `api` for decisions recorded by a person or a tool. */
  source: z.enum(['loop', 'api']),
  /** The audit record (`<chain>/<index>`) that seals this decision. */
  auditRecordId: z.string(),
  riskIds: z.array(z.string()).max(100),
  provider: z.string().optional(),
  model: z.string().optional(),
});
export type DecisionRecord = z.infer<typeof DecisionRecordSchema>;

/** A decision recorded over the API (by a person or a tool outside the loop). */
export const DecisionCreateSchema = z.object({
  agentId: z.string(),
  eventId: z.string().optional(),
  action: z.string().min(1).max(500),
  rationale: z.string().max(4000),
  options: z.array(z.object({ option: z.string().max(500), score: z.number().optional() })).max(50).default([]),
  scores: z.record(z.string(), z.number()).default({}),
  riskIds: z.array(z.string()).max(100).default([]),
  by: z.string().max(200).default('anonymous'),
});
export type DecisionCreate = z.infer<typeof DecisionCreateSchema>;
