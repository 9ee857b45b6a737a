/**
 * The `agent` entity as a pure reducer: `applyOperation(state, op, env) -> { state, result }`.
 * The entity function only loads, calls this and saves, so every rule here is unit-testable
 * without a host. A failed operation returns the state it was given, unchanged.
 */
import type { z } from 'zod';
import { AGENT_LIMITS, type AgentContext, type AgentState, type Goal } from './agent-context.js';
import { transitionLifecycle } from './agent-lifecycle.js';
import { acknowledge, enqueue, isKnownEvent, markRecorded, take } from './agent-mailbox.js';
import { clip, remember } from './agent-memory.js';
import { AgentOps, type AgentOpName } from './agent-operations.js';
import { createAgentState, goalFromInput } from './agent-state.js';
import type { AgentBrief } from './agent-activities.js';
import { AosError } from './aos-error.js';
import { canonicalJson } from './canonical-json.js';
import { recordWorkflowOutcome, subscribeTopic, unsubscribeTopic } from './agent-collaboration-ops.js';
import {
  AgentConflictError,
  AgentNotFoundError,
  AgentTerminatedError,
  BatchMismatchError,
  GoalConflictError,
  GoalNotFoundError,
  MailboxFullError,
  ValidationError,
} from './errors.js';
import type { OperationOutcome } from './operation-descriptor.js';

export interface AgentOperation {
  name: string;
  input?: unknown;
}

export interface ReducerEnv {
  /** The entity key. */
  agentId: string;
  /** ISO time of this operation (entities are not replayed, so the entity shell may read the clock). */
  now: string;
}

export interface ReducerOutput {
  state: AgentState | undefined;
  result: OperationOutcome;
}

type Input<N extends AgentOpName> = z.infer<(typeof AgentOps)[N]['input']>;
type Output<N extends AgentOpName> = z.infer<(typeof AgentOps)[N]['output']>;
type Handler<N extends AgentOpName> = (state: AgentState | undefined, input: Input<N>, env: ReducerEnv) => { state: AgentState | undefined; value: Output<N> };

function existing(state: AgentState | undefined, env: ReducerEnv): AgentState {
  if (!state) throw new AgentNotFoundError(env.agentId);
  return state;
}

function alive(state: AgentState | undefined, env: ReducerEnv): AgentState {
  const s = existing(state, env);
  if (s.context.lifecycle.state === 'terminated') throw new AgentTerminatedError(env.agentId);
  return s;
}

function withContext(state: AgentState, context: AgentContext, at: string): AgentState {
  return { ...state, context: { ...context, timestamps: { ...context.timestamps, updatedAt: at } } };
}

function replaceGoal(goals: readonly Goal[], goal: Goal): Goal[] {
  return goals.map((g) => (g.id === goal.id ? goal : g));
}

/** The slice of the context inference reads: purpose, active goals and memory (summary plus recent lines). */
export function agentBrief(c: AgentContext): AgentBrief {
  const recent = c.memory.recent.slice(-6).map((m) => `[${m.kind}] ${clip(m.text, 200)}`);
  return {
    id: c.id,
    name: c.name,
    role: c.role,
    purpose: c.purpose.current,
    goals: c.goals.filter((g) => g.status === 'active').map((g) => ({ id: g.id, description: g.description, progress: g.progress })),
    memorySummary: [c.memory.summary, ...recent].filter((t) => t.length > 0).join('\n'),
    ...(c.adapterName === undefined ? {} : { adapterName: c.adapterName }),
    ...(c.model === undefined ? {} : { model: c.model }),
    ...(c.policies.length === 0 ? {} : { policies: c.policies }),
  };
}

const handlers: { [N in AgentOpName]: Handler<N> } = {
  register(state, definition, env) {
    if (definition.id !== env.agentId) throw new ValidationError(`the definition's id ${definition.id} is not the entity key ${env.agentId}`);
    if (state) {
      if (canonicalJson(state.definition) !== canonicalJson(definition)) throw new AgentConflictError(env.agentId);
      return { state, value: { created: false, context: state.context } };
    }
    const created = createAgentState(definition, env.now);
    return { state: created, value: { created: true, context: created.context } };
  },

  read(state, _input, env) {
    const s = existing(state, env);
    const f = s.mailbox.inFlight;
    const inFlight = f ? { inFlight: { token: f.token, events: f.eventIds.length, takenAt: f.takenAt } } : {};
    return { state, value: { context: s.context, mailboxDepth: s.mailbox.events.length, ...inFlight } };
  },

  updateContext(state, patch, env) {
    const s = alive(state, env);
    const c = s.context;
    const next: AgentContext = {
      ...c,
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.role === undefined ? {} : { role: patch.role }),
      ...(patch.adapterName === undefined ? {} : { adapterName: patch.adapterName }),
      ...(patch.model === undefined ? {} : { model: patch.model }),
      purpose: patch.purpose === undefined ? c.purpose : { current: patch.purpose, original: c.purpose.original },
      subscriptions: patch.subscriptions ?? c.subscriptions,
      mcpServers: patch.mcpServers ?? c.mcpServers,
      policies: patch.policies ?? c.policies,
      settings: { ...c.settings, ...patch.settings },
    };
    const updated = withContext(s, next, env.now);
    return { state: updated, value: updated.context };
  },

  addGoal(state, input, env) {
    const s = alive(state, env);
    const goal = goalFromInput(input, env.now);
    const found = s.context.goals.find((g) => g.id === input.id);
    if (found) {
      const same = found.description === goal.description && canonicalJson(found.successCriteria) === canonicalJson(goal.successCriteria) && found.deadline === goal.deadline;
      if (!same) throw new GoalConflictError(env.agentId, input.id);
      return { state, value: found };
    }
    if (s.context.goals.length >= AGENT_LIMITS.goals) throw new ValidationError(`an agent has at most ${AGENT_LIMITS.goals} goals`);
    return { state: withContext(s, { ...s.context, goals: [...s.context.goals, goal] }, env.now), value: goal };
  },

  updateGoal(state, input, env) {
    const s = alive(state, env);
    const found = s.context.goals.find((g) => g.id === input.id);
    if (!found) throw new GoalNotFoundError(env.agentId, input.id);
    const status = input.status ?? (input.progress === 1 ? 'completed' : found.status);
    const achieved = status === 'completed' && found.status !== 'completed';
    const goal: Goal = {
      ...found,
      ...(input.description === undefined ? {} : { description: input.description }),
      ...(input.successCriteria === undefined ? {} : { successCriteria: input.successCriteria }),
      ...(input.deadline === undefined ? {} : { deadline: input.deadline }),
      progress: achieved ? 1 : (input.progress ?? found.progress),
      status,
      updatedAt: env.now,
      ...(achieved ? { completedAt: env.now } : {}),
    };
    const counters = achieved ? { ...s.context.counters, goalsAchieved: s.context.counters.goalsAchieved + 1 } : s.context.counters;
    return { state: withContext(s, { ...s.context, goals: replaceGoal(s.context.goals, goal), counters }, env.now), value: goal };
  },

  remember(state, input, env) {
    const s = alive(state, env);
    const memory = remember(s.context.memory, { at: env.now, kind: input.kind, text: input.text, ...(input.eventId ? { eventId: input.eventId } : {}), ...(input.ref ? { ref: input.ref } : {}) });
    return { state: withContext(s, { ...s.context, memory }, env.now), value: { total: memory.total } };
  },

  enqueueEvent(state, input, env) {
    const s = alive(state, env);
    const c = s.context;
    if (isKnownEvent(s.mailbox, input.event.id)) {
      const counters = { ...c.counters, eventsDuplicate: c.counters.eventsDuplicate + 1 };
      return { state: { ...s, context: { ...c, counters } }, value: { duplicate: true, depth: s.mailbox.events.length } };
    }
    if (input.overCapacity === 'reject' && s.mailbox.events.length >= c.settings.mailboxCapacity) throw new MailboxFullError(env.agentId, c.settings.mailboxCapacity);
    const mailbox = enqueue(s.mailbox, input.event);
    const context: AgentContext = {
      ...c,
      counters: { ...c.counters, eventsAccepted: c.counters.eventsAccepted + 1 },
      timestamps: { ...c.timestamps, lastEventAt: env.now },
    };
    return { state: { ...s, mailbox, context }, value: { duplicate: false, depth: mailbox.events.length } };
  },

  takeBatch(state, input, env) {
    const s = existing(state, env);
    const c = s.context;
    const base = { lifecycle: c.lifecycle.state, heartbeatSeconds: c.settings.heartbeatSeconds, agent: agentBrief(c) };
    if (c.lifecycle.state === 'terminated') return { state, value: { ...base, token: input.token, events: [], remaining: s.mailbox.events.length, recorded: [] } };
    const taken = take(s.mailbox, input.token, input.max ?? c.settings.batchSize, env.now);
    const remaining = taken.mailbox.events.length - taken.events.length;
    const value = { ...base, token: taken.batch?.token ?? input.token, events: taken.events, remaining, recorded: taken.batch?.recorded ?? [] };
    return { state: { ...s, mailbox: taken.mailbox }, value };
  },

  acknowledgeBatch(state, input, env) {
    const s = existing(state, env);
    if (s.mailbox.inFlight?.token !== input.token) {
      // A replayed acknowledgement of a batch already removed is a success with nothing to do.
      if (s.mailbox.acknowledgedTokens.includes(input.token)) return { state, value: { acknowledged: 0, remaining: s.mailbox.events.length } };
      throw new BatchMismatchError(env.agentId, input.token);
    }
    const { mailbox, acknowledged } = acknowledge(s.mailbox);
    const c = s.context;
    const counters = { ...c.counters, eventsProcessed: c.counters.eventsProcessed + acknowledged };
    return { state: withContext({ ...s, mailbox }, { ...c, counters }, env.now), value: { acknowledged, remaining: mailbox.events.length } };
  },

  recordDecision(state, input, env) {
    const s = alive(state, env);
    if (s.mailbox.inFlight?.token !== input.token) throw new BatchMismatchError(env.agentId, input.token);
    const d = input.decision;
    const marked = markRecorded(s.mailbox, d.eventId);
    if (!marked.first) return { state, value: { recorded: false } };
    const c = s.context;
    let memory = remember(c.memory, { at: env.now, kind: 'event', eventId: d.eventId, text: input.eventSummary ?? d.eventType, ...(d.transcriptRef ? { ref: d.transcriptRef } : {}) });
    memory = remember(memory, { at: env.now, kind: 'decision', eventId: d.eventId, text: `${d.action} (alignment ${d.alignment.score.toFixed(2)}): ${clip(d.rationale, 300)}`, ...(d.transcriptRef ? { ref: d.transcriptRef } : {}) });
    const counters = {
      ...c.counters,
      decisions: c.counters.decisions + 1,
      tokensIn: c.counters.tokensIn + d.tokensIn,
      tokensOut: c.counters.tokensOut + d.tokensOut,
      cost: c.counters.cost + d.cost,
    };
    const context: AgentContext = {
      ...c,
      memory,
      counters,
      recentDecisions: [...c.recentDecisions, d].slice(-AGENT_LIMITS.recentDecisions),
      timestamps: { ...c.timestamps, lastDecisionAt: env.now },
    };
    return { state: withContext({ ...s, mailbox: marked.mailbox }, context, env.now), value: { recorded: true } };
  },

  setLifecycle(state, input, env) {
    const s = existing(state, env);
    const from = s.context.lifecycle.state;
    const context = transitionLifecycle(s.context, input.to, env.now, input.reason);
    return { state: context === s.context ? state : { ...s, context }, value: { from, to: input.to, changed: context !== s.context } };
  },

  terminate(state, input, env) {
    const s = existing(state, env);
    const from = s.context.lifecycle.state;
    const context = transitionLifecycle(s.context, 'terminated', env.now, input.reason);
    return { state: context === s.context ? state : { ...s, context }, value: { from, to: 'terminated', changed: context !== s.context } };
  },

  subscribe: (state, input, env) => subscribeTopic(alive(state, env), input, env.now),
  unsubscribe: (state, input, env) => unsubscribeTopic(alive(state, env), input, env.now),
  recordWorkflowOutcome: (state, input, env) => recordWorkflowOutcome(alive(state, env), input, env.now),
};

function isOpName(name: string): name is AgentOpName {
  return Object.hasOwn(AgentOps, name);
}

function runHandler<N extends AgentOpName>(name: N, state: AgentState | undefined, rawInput: unknown, env: ReducerEnv): ReducerOutput {
  const parsed = AgentOps[name].input.safeParse(rawInput);
  if (!parsed.success) throw ValidationError.fromZod(`input of ${name}`, parsed.error);
  const handler = handlers[name] as Handler<N>;
  const out = handler(state, parsed.data as Input<N>, env);
  return { state: out.state, result: { ok: true, value: out.value } };
}

/** Applies one operation. Never throws: a failure is an `{ ok: false }` result and the given state. */
export function applyOperation(state: AgentState | undefined, op: AgentOperation, env: ReducerEnv): ReducerOutput {
  try {
    if (!isOpName(op.name)) throw new ValidationError(`the agent entity has no operation ${op.name}`, { details: { operation: op.name, operations: Object.keys(AgentOps) } });
    return runHandler(op.name, state, op.input, env);
  } catch (err) {
    const error =
      err instanceof AosError
        ? { name: err.name, code: err.code, kind: err.kind, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) }
        : { name: err instanceof Error ? err.name : 'Error', code: 'INTERNAL', kind: 'internal' as const, message: err instanceof Error ? err.message : String(err) };
    return { state, result: { ok: false, error } };
  }
}
