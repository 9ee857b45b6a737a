/** The operations of the `agent` entity: their names and input/output schemas, shared by the entity, the loop and the API. */
import { z } from 'zod';
import {
  AgentContextSchema,
  AgentDefinitionSchema,
  AgentSettingsSchema,
  DecisionSchema,
  GoalIdSchema,
  GoalInputSchema,
  GoalSchema,
  LifecycleStateSchema,
  McpServerSchema,
  PurposeSchema,
  SubscriptionsSchema,
} from './agent-context.js';
import { AgentBriefSchema } from './agent-activities.js';
import { EventEnvelopeSchema } from './event-envelope.js';
import { defineOperation } from './operation-descriptor.js';
import {
  RecordWorkflowOutcomeInputSchema,
  RecordWorkflowOutcomeResultSchema,
  SubscribeTopicInputSchema,
  SubscribeTopicResultSchema,
} from './agent-collaboration-ops.js';

export const ReadResultSchema = z.object({
  context: AgentContextSchema,
  mailboxDepth: z.number().int().nonnegative(),
  inFlight: z.object({ token: z.string(), events: z.number().int(), takenAt: z.string() }).optional(),
});
export type ReadResult = z.infer<typeof ReadResultSchema>;

export const UpdateContextInputSchema = z
  .object({
    name: z.string().min(1).max(200),
    role: z.string().max(200),
    adapterName: z.string().max(128),
    model: z.string().max(128),
    /** Aligns the current purpose; the original purpose is kept unchanged. */
    purpose: PurposeSchema,
    subscriptions: SubscriptionsSchema,
    mcpServers: z.array(McpServerSchema).max(50),
    policies: z.array(z.string().min(1).max(128)).max(50),
    settings: AgentSettingsSchema.partial(),
  })
  .partial()
  .strict();
export type UpdateContextInput = z.infer<typeof UpdateContextInputSchema>;

export const UpdateGoalInputSchema = z
  .object({
    id: GoalIdSchema,
    description: z.string().min(1).max(1000).optional(),
    successCriteria: z.array(z.string().min(1).max(500)).max(20).optional(),
    deadline: z.iso.datetime({ offset: true }).optional(),
    progress: z.number().min(0).max(1).optional(),
    status: z.enum(['active', 'completed', 'abandoned']).optional(),
  })
  .strict();
export type UpdateGoalInput = z.infer<typeof UpdateGoalInputSchema>;

export const RememberInputSchema = z.object({
  kind: z.enum(['event', 'decision', 'note']).default('note'),
  text: z.string().min(1).max(10_000),
  eventId: z.string().optional(),
  ref: z.string().max(1024).optional(),
});

export const EnqueueEventInputSchema = z.object({
  event: EventEnvelopeSchema,
  /**
   * `reject` (default): a full mailbox refuses with MAILBOX_FULL. `accept`: the caller already
   * checked the bound and promised acceptance (the API's 202), so the event is kept even over
   * capacity: an accepted event is never dropped.
   */
  overCapacity: z.enum(['reject', 'accept']).default('reject'),
});
export const EnqueueEventResultSchema = z.object({ duplicate: z.boolean(), depth: z.number().int() });

export const TakeBatchInputSchema = z.object({ token: z.string().min(1), max: z.number().int().min(1).max(100).optional() });
export const TakeBatchResultSchema = z.object({
  /** The token of the batch handed out: the caller's, or the original one of an unacknowledged batch. */
  token: z.string(),
  events: z.array(EventEnvelopeSchema),
  lifecycle: LifecycleStateSchema,
  heartbeatSeconds: z.number().int(),
  /** Events left in the mailbox after this batch. */
  remaining: z.number().int(),
  /** Ids in this batch whose decision is already recorded (a re-taken batch): the loop skips them. */
  recorded: z.array(z.string()),
  /** What inference needs of the agent, taken with the batch so the loop makes one entity call. */
  agent: AgentBriefSchema,
});
export type TakeBatchResult = z.infer<typeof TakeBatchResultSchema>;

export const AcknowledgeBatchInputSchema = z.object({ token: z.string().min(1) });
export const AcknowledgeBatchResultSchema = z.object({ acknowledged: z.number().int(), remaining: z.number().int() });

export const RecordDecisionInputSchema = z.object({
  token: z.string().min(1),
  decision: DecisionSchema,
  /** Short text of the event for memory (the full event is in the transcript). */
  eventSummary: z.string().max(2000).optional(),
});
export const RecordDecisionResultSchema = z.object({ recorded: z.boolean() });

export const SetLifecycleInputSchema = z.object({ to: LifecycleStateSchema, reason: z.string().max(200).optional() });
export const SetLifecycleResultSchema = z.object({ from: LifecycleStateSchema, to: LifecycleStateSchema, changed: z.boolean() });

export const TerminateInputSchema = z.object({ reason: z.string().max(200).optional() }).default({});

export const RegisterResultSchema = z.object({ created: z.boolean(), context: AgentContextSchema });

/** Every operation of the `agent` entity. The entity, the loop and the API use these names only. */
export const AgentOps = {
  register: defineOperation('register', AgentDefinitionSchema, RegisterResultSchema),
  read: defineOperation('read', z.unknown(), ReadResultSchema),
  updateContext: defineOperation('updateContext', UpdateContextInputSchema, AgentContextSchema),
  addGoal: defineOperation('addGoal', GoalInputSchema, GoalSchema),
  updateGoal: defineOperation('updateGoal', UpdateGoalInputSchema, GoalSchema),
  remember: defineOperation('remember', RememberInputSchema, z.object({ total: z.number().int() })),
  enqueueEvent: defineOperation('enqueueEvent', EnqueueEventInputSchema, EnqueueEventResultSchema),
  takeBatch: defineOperation('takeBatch', TakeBatchInputSchema, TakeBatchResultSchema),
  acknowledgeBatch: defineOperation('acknowledgeBatch', AcknowledgeBatchInputSchema, AcknowledgeBatchResultSchema),
  recordDecision: defineOperation('recordDecision', RecordDecisionInputSchema, RecordDecisionResultSchema),
  setLifecycle: defineOperation('setLifecycle', SetLifecycleInputSchema, SetLifecycleResultSchema),
  terminate: defineOperation('terminate', TerminateInputSchema, SetLifecycleResultSchema),
  subscribe: defineOperation('subscribe', SubscribeTopicInputSchema, SubscribeTopicResultSchema),
  unsubscribe: defineOperation('unsubscribe', SubscribeTopicInputSchema, SubscribeTopicResultSchema),
  recordWorkflowOutcome: defineOperation('recordWorkflowOutcome', RecordWorkflowOutcomeInputSchema, RecordWorkflowOutcomeResultSchema),
} as const;
export type AgentOpName = keyof typeof AgentOps;
