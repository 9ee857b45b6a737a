/** Descriptors of the activities the agent loop calls (names and schemas only, so orchestrators import no services). */
import { z } from 'zod';
import { AgentIdSchema } from './agent-id.js';
import { DecisionSchema, PurposeSchema } from './agent-context.js';
import { EventEnvelopeSchema } from './event-envelope.js';
import { defineOperation } from './operation-descriptor.js';

/** What inference needs to know about the agent (a slice of its context, taken by the loop). */
export const AgentBriefSchema = z.object({
  id: AgentIdSchema,
  name: z.string(),
  role: z.string(),
  purpose: PurposeSchema,
  goals: z.array(z.object({ id: z.string(), description: z.string(), progress: z.number() })),
  memorySummary: z.string(),
  adapterName: z.string().optional(),
  model: z.string().optional(),
  /** Ids of the policies listed in the agent's context (governance evaluates them with the global ones). */
  policies: z.array(z.string()).optional(),
});
export type AgentBrief = z.infer<typeof AgentBriefSchema>;

export const DecideInputSchema = z.object({ agent: AgentBriefSchema, event: EventEnvelopeSchema });
export type DecideInput = z.infer<typeof DecideInputSchema>;

/** What `decide` answers: the decision the loop records, without what the loop adds (the event, the time, the transcript). */
export const DecideOutputSchema = DecisionSchema.omit({ eventId: true, eventType: true, at: true, transcriptRef: true });
export type DecideOutput = z.infer<typeof DecideOutputSchema>;

export const AppendTranscriptInputSchema = z.object({
  agentId: AgentIdSchema,
  event: EventEnvelopeSchema,
  decision: DecideOutputSchema,
  /** Orchestration time of the decision (the activity must not pick its own, for idempotent names). */
  at: z.iso.datetime({ offset: true }),
});
export const AppendTranscriptOutputSchema = z.object({ ref: z.string() });

/** Activity names are prefixed `agent-` so that they read as part of the agent loop in Durable Functions Monitor. */
export const AgentActivities = {
  decide: defineOperation('agent-decide', DecideInputSchema, DecideOutputSchema),
  appendTranscript: defineOperation('agent-append-transcript', AppendTranscriptInputSchema, AppendTranscriptOutputSchema),
} as const;

/** Input of the `agent-loop` orchestration, carried through continue-as-new. */
export const AgentLoopInputSchema = z.object({
  agentId: AgentIdSchema,
  /** Generations since the loop was started (diagnostics only). */
  generation: z.number().int().nonnegative().default(0),
});
export type AgentLoopInput = z.infer<typeof AgentLoopInputSchema>;

/** The external events the loop understands (raise them with the Durable API on `agent-<id>`). */
export const AgentLoopEvents = {
  /** A nudge: look at the mailbox now. The body is ignored; the mailbox is the source of truth. */
  wake: 'wake',
} as const;
