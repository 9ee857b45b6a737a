/** The agent lifecycle state machine: one transition table and one function that applies it. */
import type { AgentContext } from './agent-context.js';
import { AGENT_LIMITS } from './agent-context.js';
import { LifecycleTransitionError } from './errors.js';

export const LifecycleState = {
  created: 'created',
  initialized: 'initialized',
  running: 'running',
  sleeping: 'sleeping',
  terminated: 'terminated',
} as const;
export type LifecycleState = (typeof LifecycleState)[keyof typeof LifecycleState];

/** `created -> initialized -> running <-> sleeping`; `terminated` from any state, and final. */
export const LIFECYCLE_TRANSITIONS: Readonly<Record<LifecycleState, readonly LifecycleState[]>> = {
  created: ['initialized', 'terminated'],
  initialized: ['running', 'terminated'],
  running: ['sleeping', 'terminated'],
  sleeping: ['running', 'terminated'],
  terminated: [],
};

export function canTransition(from: LifecycleState, to: LifecycleState): boolean {
  return LIFECYCLE_TRANSITIONS[from].includes(to);
}

/**
 * Moves the context to `to`, returning a new context (the input is not changed). Asking for the
 * state the agent is already in is a no-op rather than a transition, so that a loop that re-marks
 * a sleeping agent asleep after a heartbeat does not fail. A wake (sleeping -> running) counts in
 * `counters.wakes`.
 * @throws LifecycleTransitionError when the table does not allow the move.
 */
export function transitionLifecycle(context: AgentContext, to: LifecycleState, at: string, reason?: string): AgentContext {
  const from = context.lifecycle.state;
  if (from === to) return context;
  if (!canTransition(from, to)) throw new LifecycleTransitionError(context.id, from, to);
  const entry = reason === undefined ? { from, to, at } : { from, to, at, reason };
  const history = [...context.lifecycle.history, entry].slice(-AGENT_LIMITS.lifecycleHistory);
  const woke = from === LifecycleState.sleeping && to === LifecycleState.running;
  return {
    ...context,
    lifecycle: { state: to, since: at, history },
    counters: woke ? { ...context.counters, wakes: context.counters.wakes + 1 } : context.counters,
    timestamps: {
      ...context.timestamps,
      updatedAt: at,
      ...(woke ? { lastWakeAt: at } : {}),
      ...(to === LifecycleState.terminated ? { terminatedAt: at } : {}),
    },
  };
}
