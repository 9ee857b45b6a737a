/**
 * Multi-agent workflows (sequential, parallel, chaired deliberation): the request, the orchestrator
 * input, each agent's contribution, the outcome, and how durable runtime statuses read to clients.
 */
import { z } from 'zod';
import { AgentIdSchema, type AgentId } from './agent-id.js';
import { AlignmentSchema } from './agent-context.js';
import type { EventEnvelope } from './event-envelope.js';

export const WorkflowKind = { sequential: 'sequential', parallel: 'parallel', deliberation: 'deliberation' } as const;
export type WorkflowKind = (typeof WorkflowKind)[keyof typeof WorkflowKind];

/** Orchestration function name of each workflow kind. */
export const WORKFLOW_ORCHESTRATIONS: Readonly<Record<WorkflowKind, string>> = {
  sequential: 'workflow-sequential',
  parallel: 'workflow-parallel',
  deliberation: 'workflow-deliberation',
};

export function workflowKindOf(orchestrationName: string | undefined): WorkflowKind | undefined {
  return (Object.keys(WORKFLOW_ORCHESTRATIONS) as WorkflowKind[]).find((k) => WORKFLOW_ORCHESTRATIONS[k] === orchestrationName);
}

/** Workflow instance ids: `wf-` plus letters, digits and dashes (never `:<digits>` at the end). */
export const WorkflowIdSchema = z.string().regex(/^wf-[A-Za-z0-9-]{1,100}$/, 'a workflow id is wf- followed by 1-100 letters, digits or dashes');

export const DeliberationSettingsSchema = z.object({
  /** Rounds of member answers at most. @default 3 */
  maxRounds: z.number().int().min(1).max(10).default(3),
  /** Alignment-weighted share of the members that must back the chair's choice to stop early. @default 0.6 */
  agreementThreshold: z.number().min(0).max(1).default(0.6),
  /** What members choose from. @default ["approve", "reject", "defer"] */
  options: z.array(z.string().min(1).max(200)).min(2).max(10).default(['approve', 'reject', 'defer']),
});
export type DeliberationSettings = z.infer<typeof DeliberationSettingsSchema>;

/** The body of `POST /api/orchestrations`. */
export const StartWorkflowBodySchema = z.object({
  id: WorkflowIdSchema.optional(),
  agentIds: z.array(AgentIdSchema).min(1).max(20).refine((ids) => new Set(ids).size === ids.length, 'agent ids must be distinct'),
  workflow: z.enum([WorkflowKind.sequential, WorkflowKind.parallel, WorkflowKind.deliberation]),
  /** What the agents work on: the question of a deliberation, the task of the others. */
  purpose: z.string().min(1).max(2000),
  /** Free JSON given to every agent; a deliberation reads `options`, `maxRounds` and `agreementThreshold` from it. */
  context: z.record(z.string(), z.unknown()).default({}),
});
export type StartWorkflowBody = z.infer<typeof StartWorkflowBodySchema>;

export const WorkflowInputSchema = z.object({
  workflowId: WorkflowIdSchema,
  kind: z.enum([WorkflowKind.sequential, WorkflowKind.parallel, WorkflowKind.deliberation]),
  agentIds: z.array(AgentIdSchema).min(1).max(20),
  purpose: z.string().min(1).max(2000),
  context: z.record(z.string(), z.unknown()),
  deliberation: DeliberationSettingsSchema.optional(),
});
export type WorkflowInput = z.infer<typeof WorkflowInputSchema>;

/** What one agent said in one step: its inference answer and what it cost. */
export const ContributionSchema = z.object({
  agentId: AgentIdSchema,
  /** `contribute`, `frame`, `answer` or `decide`. */
  role: z.string(),
  round: z.number().int().nonnegative(),
  action: z.string(),
  rationale: z.string(),
  alignment: AlignmentSchema,
  provider: z.string(),
  model: z.string(),
  tokensIn: z.number().int().nonnegative(),
  tokensOut: z.number().int().nonnegative(),
  cost: z.number().nonnegative(),
});
export type Contribution = z.infer<typeof ContributionSchema>;

export const WorkflowOutcomeSchema = z.object({
  workflowId: WorkflowIdSchema,
  kind: z.enum([WorkflowKind.sequential, WorkflowKind.parallel, WorkflowKind.deliberation]),
  purpose: z.string(),
  decision: z.string(),
  rationale: z.string(),
  /** Alignment-weighted agreement with the decision (deliberation, parallel) or the last agent's alignment (sequential). */
  agreement: z.number().min(0).max(1),
  rounds: z.number().int().nonnegative(),
  /** Why a deliberation stopped: `agreement` or `round-cap`; `complete` for the other kinds. */
  stoppedBy: z.string(),
  contributions: z.array(ContributionSchema),
  /** Participants whose context recorded the outcome, and those that could not (terminated meanwhile). */
  recordedIn: z.array(AgentIdSchema),
  notRecordedIn: z.array(AgentIdSchema),
  /** Participants whose audit chain got the outcome, and those whose append failed after retries. */
  audit: z.object({ appended: z.array(AgentIdSchema), failed: z.array(AgentIdSchema) }).optional(),
  completedAt: z.string(),
});
export type WorkflowOutcome = z.infer<typeof WorkflowOutcomeSchema>;

/** Custom status of a workflow orchestration: what a client sees as progress. */
export interface WorkflowProgress {
  phase: string;
  round?: number;
  completedSteps: number;
  totalSteps: number;
}

export const WorkflowStatus = { pending: 'pending', running: 'running', completed: 'completed', failed: 'failed', cancelled: 'cancelled' } as const;
export type WorkflowStatus = (typeof WorkflowStatus)[keyof typeof WorkflowStatus];

/**
 * Durable runtime status -> workflow status. `Terminated` is how cancel is carried out, so it reads
 * as cancelled; a suspended workflow has started and will go on, so it reads as running.
 */
export function workflowStatusOf(runtimeStatus: string): WorkflowStatus {
  switch (runtimeStatus) {
    case 'Pending':
      return WorkflowStatus.pending;
    case 'Completed':
      return WorkflowStatus.completed;
    case 'Failed':
      return WorkflowStatus.failed;
    case 'Terminated':
    case 'Canceled':
      return WorkflowStatus.cancelled;
    default:
      return WorkflowStatus.running;
  }
}

export function isFinalStatus(status: WorkflowStatus): boolean {
  return status === WorkflowStatus.completed || status === WorkflowStatus.failed || status === WorkflowStatus.cancelled;
}

/**
 * The envelope an agent's inference reads for one workflow step. Built by the orchestrator from
 * replay-safe values only (`at` is orchestration time), so a replay builds the same envelope.
 */
export function workflowStepEvent(input: { workflowId: string; kind: WorkflowKind; role: string; round: number; agentId: AgentId; text: string; options?: readonly string[]; at: string }): EventEnvelope {
  return {
    id: `${input.workflowId}.${input.role}.${input.round}.${input.agentId}`,
    type: `workflow.${input.kind}.${input.role}`,
    source: `workflow:${input.workflowId}`,
    time: input.at,
    correlationId: input.workflowId,
    data: { text: input.text, ...(input.options ? { options: [...input.options] } : {}) },
  };
}
