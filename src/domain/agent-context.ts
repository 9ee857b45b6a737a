/** The agent's context (its persistent state in the `agent` entity), as zod schemas with a `schemaVersion`. */
import { z } from 'zod';
import { AgentIdSchema } from './agent-id.js';
import { EventEnvelopeSchema } from './event-envelope.js';

const IsoTimeSchema = z.iso.datetime({ offset: true });
const ShortText = z.string().min(1).max(200);

/** Bounds that keep an entity's state small however long the agent lives. */
export const AGENT_LIMITS = {
  /** Entries in `memory.recent`; older ones fold into the rolling summary. */
  recentMemory: 20,
  /** Characters of `memory.summary`. */
  summaryChars: 2000,
  /** Characters of one memory entry's text. */
  memoryText: 500,
  /** Recent decisions kept in the context (all of them are in the transcript). */
  recentDecisions: 10,
  /** Event ids remembered after processing, so that a re-sent event is not processed twice. */
  dedupeWindow: 256,
  goals: 100,
  mcpServers: 50,
  lifecycleHistory: 10,
  /** Default mailbox capacity; `settings.mailboxCapacity` overrides it per agent. */
  mailboxCapacity: 100,
  /** Events handed to the loop per generation. */
  batchSize: 10,
} as const;

export const PurposeSchema = z.object({
  statement: z.string().min(1).max(2000),
  scope: z.string().max(2000).default(''),
  successCriteria: z.array(z.string().min(1).max(500)).max(20).default([]),
});
export type Purpose = z.infer<typeof PurposeSchema>;

export const GoalStatus = { active: 'active', completed: 'completed', abandoned: 'abandoned' } as const;
export type GoalStatus = (typeof GoalStatus)[keyof typeof GoalStatus];

export const GoalIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a goal id is 1-64 letters, digits, dots, dashes or underscores');

export const GoalSchema = z.object({
  id: GoalIdSchema,
  description: z.string().min(1).max(1000),
  successCriteria: z.array(z.string().min(1).max(500)).max(20).default([]),
  deadline: IsoTimeSchema.optional(),
  progress: z.number().min(0).max(1).default(0),
  status: z.enum([GoalStatus.active, GoalStatus.completed, GoalStatus.abandoned]).default(GoalStatus.active),
  createdAt: IsoTimeSchema,
  updatedAt: IsoTimeSchema,
  completedAt: IsoTimeSchema.optional(),
});
export type Goal = z.infer<typeof GoalSchema>;

/** A goal as a client defines it (the API fills `id` when missing). */
export const GoalInputSchema = GoalSchema.pick({ id: true, description: true, successCriteria: true, deadline: true }).extend({
  progress: z.number().min(0).max(1).optional(),
});
export type GoalInput = z.infer<typeof GoalInputSchema>;

export const McpServerSchema = z.object({
  name: ShortText,
  url: z.url(),
  tags: z.array(z.string().min(1).max(64)).max(20).default([]),
  enabled: z.boolean().default(true),
});
export type McpServer = z.infer<typeof McpServerSchema>;

export const SubscriptionsSchema = z.object({
  topics: z.array(z.string().min(1).max(256)).max(100).default([]),
  eventTypes: z.array(z.string().min(1).max(256)).max(100).default([]),
});
export type Subscriptions = z.infer<typeof SubscriptionsSchema>;

export const AgentSettingsSchema = z.object({
  /** Seconds a sleeping agent waits before its loop looks at the mailbox anyway. */
  heartbeatSeconds: z.number().int().min(1).max(31 * 24 * 3600).default(3600),
  mailboxCapacity: z.number().int().min(1).max(1000).default(AGENT_LIMITS.mailboxCapacity),
  batchSize: z.number().int().min(1).max(100).default(AGENT_LIMITS.batchSize),
});
export type AgentSettings = z.infer<typeof AgentSettingsSchema>;

/** What a client registers. Registering the same definition again is a no-op; a different one conflicts. */
export const AgentDefinitionSchema = z.object({
  id: AgentIdSchema,
  name: ShortText,
  role: z.string().max(200).default(''),
  kind: z.string().min(1).max(64).default('purpose-driven'),
  adapterName: z.string().max(128).optional(),
  model: z.string().max(128).optional(),
  purpose: PurposeSchema,
  goals: z.array(GoalInputSchema).max(AGENT_LIMITS.goals).default([]),
  subscriptions: SubscriptionsSchema.default({ topics: [], eventTypes: [] }),
  mcpServers: z.array(McpServerSchema).max(AGENT_LIMITS.mcpServers).default([]),
  policies: z.array(z.string().min(1).max(128)).max(50).default([]),
  settings: AgentSettingsSchema.partial().default({}),
});
export type AgentDefinition = z.infer<typeof AgentDefinitionSchema>;
export type AgentDefinitionInput = z.input<typeof AgentDefinitionSchema>;

export const LifecycleStateSchema = z.enum(['created', 'initialized', 'running', 'sleeping', 'terminated']);

export const MemoryEntrySchema = z.object({
  at: IsoTimeSchema,
  kind: z.enum(['event', 'decision', 'note']),
  text: z.string().max(AGENT_LIMITS.memoryText),
  eventId: z.string().optional(),
  /** Blob name of the full record in the transcript container. */
  ref: z.string().max(1024).optional(),
});
export type MemoryEntry = z.infer<typeof MemoryEntrySchema>;

export const MemorySchema = z.object({
  recent: z.array(MemoryEntrySchema),
  /** Extractive rolling summary: digests of entries that left `recent`, newest last, trimmed from the front. */
  summary: z.string(),
  /** Entries ever remembered. */
  total: z.number().int().nonnegative(),
  /** Where the full transcript lives: one blob per record under `<container>/<prefix>`. */
  transcript: z.object({ container: z.string(), prefix: z.string() }),
});
export type Memory = z.infer<typeof MemorySchema>;

export const CountersSchema = z.object({
  wakes: z.number().int().nonnegative(),
  eventsAccepted: z.number().int().nonnegative(),
  eventsDuplicate: z.number().int().nonnegative(),
  eventsProcessed: z.number().int().nonnegative(),
  decisions: z.number().int().nonnegative(),
  goalsAchieved: z.number().int().nonnegative(),
  tokensIn: z.number().int().nonnegative(),
  tokensOut: z.number().int().nonnegative(),
  /** In the currency of the configured prices (USD by default). */
  cost: z.number().nonnegative(),
});
export type Counters = z.infer<typeof CountersSchema>;

export const AlignmentSchema = z.object({
  score: z.number().min(0).max(1),
  reasons: z.array(z.string().max(200)).max(20),
});
export type Alignment = z.infer<typeof AlignmentSchema>;

/** One decision the loop made for one event (recorded in the entity, full text in the transcript). */
export const DecisionSchema = z.object({
  eventId: z.string(),
  eventType: z.string(),
  at: IsoTimeSchema,
  action: z.string().max(500),
  rationale: z.string().max(1000),
  alignment: AlignmentSchema,
  provider: z.string(),
  model: z.string(),
  adapter: z.string().optional(),
  tokensIn: z.number().int().nonnegative(),
  tokensOut: z.number().int().nonnegative(),
  cost: z.number().nonnegative(),
  cached: z.boolean(),
  transcriptRef: z.string().max(1024).optional(),
});
export type Decision = z.infer<typeof DecisionSchema>;

export const AgentContextSchema = z.object({
  schemaVersion: z.literal(1),
  id: AgentIdSchema,
  name: ShortText,
  role: z.string(),
  kind: z.string(),
  adapterName: z.string().optional(),
  model: z.string().optional(),
  /** `current` may be aligned by a workflow; `original` is the purpose the agent was registered with. */
  purpose: z.object({ current: PurposeSchema, original: PurposeSchema }),
  goals: z.array(GoalSchema),
  lifecycle: z.object({
    state: LifecycleStateSchema,
    since: IsoTimeSchema,
    history: z.array(z.object({ from: LifecycleStateSchema, to: LifecycleStateSchema, at: IsoTimeSchema, reason: z.string().optional() })),
  }),
  memory: MemorySchema,
  subscriptions: SubscriptionsSchema,
  mcpServers: z.array(McpServerSchema),
  policies: z.array(z.string()),
  settings: AgentSettingsSchema,
  counters: CountersSchema,
  recentDecisions: z.array(DecisionSchema),
  timestamps: z.object({
    createdAt: IsoTimeSchema,
    updatedAt: IsoTimeSchema,
    lastWakeAt: IsoTimeSchema.optional(),
    lastEventAt: IsoTimeSchema.optional(),
    lastDecisionAt: IsoTimeSchema.optional(),
    terminatedAt: IsoTimeSchema.optional(),
  }),
});
export type AgentContext = z.infer<typeof AgentContextSchema>;

export const InFlightBatchSchema = z.object({
  token: z.string(),
  eventIds: z.array(z.string()),
  takenAt: IsoTimeSchema,
  /** Event ids of this batch whose decision is already recorded (a replayed record is a no-op). */
  recorded: z.array(z.string()),
});
export type InFlightBatch = z.infer<typeof InFlightBatchSchema>;

export const MailboxSchema = z.object({
  events: z.array(EventEnvelopeSchema),
  inFlight: InFlightBatchSchema.optional(),
  /** Ids of the newest processed events (bounded), for idempotent enqueue. */
  processedIds: z.array(z.string()),
  /** Tokens of the newest acknowledged batches, so that a replayed acknowledgement is a no-op. */
  acknowledgedTokens: z.array(z.string()),
});
export type Mailbox = z.infer<typeof MailboxSchema>;

/** The whole state of an `agent` entity. Parsed on every load (rule 9). */
export const AgentStateSchema = z.object({
  schemaVersion: z.literal(1),
  definition: AgentDefinitionSchema,
  context: AgentContextSchema,
  mailbox: MailboxSchema,
});
export type AgentState = z.infer<typeof AgentStateSchema>;
