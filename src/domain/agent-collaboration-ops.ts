/**
 * Entity operations for messaging and workflows: topic subscriptions and the record of a workflow
 * outcome. Pure handlers over an agent's state (live, not terminated; the reducer checks that),
 * wired into the `agent` entity by `agent-reducer.ts`.
 */
import { z } from 'zod';
import { AGENT_LIMITS, AlignmentSchema, type AgentContext, type AgentState, type Decision } from './agent-context.js';
import { clip, remember } from './agent-memory.js';
import { ValidationError } from './errors.js';
import { TopicNameSchema } from './topic.js';

export const SubscribeTopicInputSchema = z.object({ topic: TopicNameSchema });
export const SubscribeTopicResultSchema = z.object({ topics: z.array(z.string()), changed: z.boolean() });

export const RecordWorkflowOutcomeInputSchema = z.object({
  workflowId: z.string().min(1).max(128),
  kind: z.string().min(1).max(64),
  decision: z.string().max(500),
  rationale: z.string().max(1000),
  /** Agreement with the decision, recorded as the decision's alignment. */
  alignment: AlignmentSchema,
  /** What this agent's own contributions cost (counted in its counters). */
  tokensIn: z.number().int().nonnegative().default(0),
  tokensOut: z.number().int().nonnegative().default(0),
  cost: z.number().nonnegative().default(0),
  provider: z.string().default('workflow'),
  model: z.string().default('workflow'),
  /** Orchestration time of the outcome. */
  at: z.iso.datetime({ offset: true }),
});
export type RecordWorkflowOutcomeInput = z.infer<typeof RecordWorkflowOutcomeInputSchema>;
export const RecordWorkflowOutcomeResultSchema = z.object({ recorded: z.boolean() });

interface Out<V> {
  state: AgentState;
  value: V;
}

function touch(state: AgentState, context: AgentContext, at: string): AgentState {
  return { ...state, context: { ...context, timestamps: { ...context.timestamps, updatedAt: at } } };
}

export function subscribeTopic(state: AgentState, input: z.infer<typeof SubscribeTopicInputSchema>, now: string): Out<z.infer<typeof SubscribeTopicResultSchema>> {
  const c = state.context;
  if (c.subscriptions.topics.includes(input.topic)) return { state, value: { topics: c.subscriptions.topics, changed: false } };
  if (c.subscriptions.topics.length >= 100) throw new ValidationError('an agent subscribes to at most 100 topics');
  const topics = [...c.subscriptions.topics, input.topic];
  return { state: touch(state, { ...c, subscriptions: { ...c.subscriptions, topics } }, now), value: { topics, changed: true } };
}

export function unsubscribeTopic(state: AgentState, input: z.infer<typeof SubscribeTopicInputSchema>, now: string): Out<z.infer<typeof SubscribeTopicResultSchema>> {
  const c = state.context;
  if (!c.subscriptions.topics.includes(input.topic)) return { state, value: { topics: c.subscriptions.topics, changed: false } };
  const topics = c.subscriptions.topics.filter((t) => t !== input.topic);
  return { state: touch(state, { ...c, subscriptions: { ...c.subscriptions, topics } }, now), value: { topics, changed: true } };
}

/** The decision id under which a workflow outcome is recorded: one per workflow and agent. */
export function workflowDecisionId(workflowId: string): string {
  return `workflow:${workflowId}`;
}

/**
 * Records a workflow's outcome as one of the agent's decisions (and a memory entry), counting its
 * spend. Recording the same workflow again is a no-op, so a retried call cannot count twice.
 */
export function recordWorkflowOutcome(state: AgentState, input: RecordWorkflowOutcomeInput, now: string): Out<z.infer<typeof RecordWorkflowOutcomeResultSchema>> {
  const c = state.context;
  const eventId = workflowDecisionId(input.workflowId);
  if (c.recentDecisions.some((d) => d.eventId === eventId) || c.memory.recent.some((m) => m.eventId === eventId)) return { state, value: { recorded: false } };
  const decision: Decision = {
    eventId,
    eventType: `workflow.${input.kind}`,
    at: input.at,
    action: input.decision,
    rationale: input.rationale,
    alignment: input.alignment,
    provider: input.provider,
    model: input.model,
    tokensIn: input.tokensIn,
    tokensOut: input.tokensOut,
    cost: input.cost,
    cached: false,
  };
  const memory = remember(c.memory, { at: now, kind: 'decision', eventId, text: `${input.kind} workflow ${input.workflowId} decided ${input.decision}: ${clip(input.rationale, 300)}` });
  const context: AgentContext = {
    ...c,
    memory,
    recentDecisions: [...c.recentDecisions, decision].slice(-AGENT_LIMITS.recentDecisions),
    counters: {
      ...c.counters,
      decisions: c.counters.decisions + 1,
      tokensIn: c.counters.tokensIn + input.tokensIn,
      tokensOut: c.counters.tokensOut + input.tokensOut,
      cost: c.counters.cost + input.cost,
    },
    timestamps: { ...c.timestamps, lastDecisionAt: now },
  };
  return { state: touch(state, context, now), value: { recorded: true } };
}
