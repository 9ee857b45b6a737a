import { describe, expect, it } from 'vitest';
import type { AgentContext } from './agent-context.js';
import { LIFECYCLE_TRANSITIONS, LifecycleState, canTransition, transitionLifecycle } from './agent-lifecycle.js';
import { createAgentState } from './agent-state.js';
import { AgentDefinitionSchema } from './agent-context.js';
import { LifecycleTransitionError } from './errors.js';

const AT = '2025-01-01T00:00:00.000Z';
const context = (): AgentContext =>
  createAgentState(AgentDefinitionSchema.parse({ id: 'ops', name: 'Ops', purpose: { statement: 'Keep systems up' } }), AT).context;

describe('agent lifecycle', () => {
  it('allows exactly the transitions of the table', () => {
    const states = Object.values(LifecycleState);
    const allowed = states.flatMap((from) => states.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`));
    expect(allowed.sort()).toEqual(
      ['created->initialized', 'created->terminated', 'initialized->running', 'initialized->terminated', 'running->sleeping', 'running->terminated', 'sleeping->running', 'sleeping->terminated'].sort(),
    );
    expect(LIFECYCLE_TRANSITIONS.terminated).toEqual([]);
  });

  it('throws a typed conflict for an invalid transition and leaves the context untouched', () => {
    const c = context();
    const before = JSON.stringify(c);
    expect(() => transitionLifecycle(c, 'running', AT)).toThrow(LifecycleTransitionError);
    try {
      transitionLifecycle(c, 'running', AT);
    } catch (err) {
      expect(err).toMatchObject({ code: 'LIFECYCLE_TRANSITION_INVALID', kind: 'conflict', from: 'created', to: 'running' });
    }
    expect(JSON.stringify(c)).toBe(before);
  });

  it('treats a move to the current state as a no-op', () => {
    const c = context();
    expect(transitionLifecycle(c, 'created', AT)).toBe(c);
  });

  it('makes terminated final', () => {
    const t = transitionLifecycle(context(), 'terminated', AT, 'done');
    expect(t.timestamps.terminatedAt).toBe(AT);
    for (const to of ['created', 'initialized', 'running', 'sleeping'] as const) expect(() => transitionLifecycle(t, to, AT)).toThrow(LifecycleTransitionError);
  });
});
