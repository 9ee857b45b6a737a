import { describe, expect, it } from 'vitest';
import type { AgentState } from './agent-context.js';
import { applyOperation, type ReducerEnv } from './agent-reducer.js';

const env: ReducerEnv = { agentId: 'analyst', now: '2025-01-01T00:00:00.000Z' };
const definition = { id: 'analyst', name: 'Analyst', purpose: { statement: 'Analyse markets' }, subscriptions: { topics: ['markets'], eventTypes: [] } };

function apply(state: AgentState | undefined, name: string, input: unknown): { state: AgentState; value: unknown; ok: boolean; code?: string } {
  const out = applyOperation(state, { name, input }, env);
  return { state: out.state as AgentState, ok: out.result.ok, ...(out.result.ok ? { value: out.result.value } : { value: undefined, code: out.result.error.code }) };
}

const registered = (): AgentState => apply(undefined, 'register', definition).state;

const outcome = { workflowId: 'wf-1', kind: 'deliberation', decision: 'approve', rationale: 'most members approve', alignment: { score: 0.8, reasons: ['agreement'] }, tokensIn: 10, tokensOut: 2, at: '2025-01-01T00:00:01.000Z' };

describe('agent collaboration operations', () => {
  it('subscribes to a topic once and unsubscribes from it', () => {
    const s1 = apply(registered(), 'subscribe', { topic: 'risks' });
    expect(s1.value).toEqual({ topics: ['markets', 'risks'], changed: true });
    const again = apply(s1.state, 'subscribe', { topic: 'risks' });
    expect(again.value).toMatchObject({ changed: false });
    expect(again.state).toBe(s1.state);
    const off = apply(s1.state, 'unsubscribe', { topic: 'markets' });
    expect(off.state.context.subscriptions.topics).toEqual(['risks']);
  });

  it('refuses a topic name that cannot be published to', () => {
    expect(apply(registered(), 'subscribe', { topic: 'a/b' })).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
  });

  it('records a workflow outcome as a decision with its spend, once', () => {
    const first = apply(registered(), 'recordWorkflowOutcome', outcome);
    expect(first.value).toEqual({ recorded: true });
    const c = first.state.context;
    expect(c.recentDecisions.at(-1)).toMatchObject({ eventId: 'workflow:wf-1', eventType: 'workflow.deliberation', action: 'approve', alignment: { score: 0.8 } });
    expect(c.counters).toMatchObject({ decisions: 1, tokensIn: 10, tokensOut: 2 });
    expect(c.memory.recent.at(-1)?.text).toContain('deliberation workflow wf-1 decided approve');
    const again = apply(first.state, 'recordWorkflowOutcome', outcome);
    expect(again.value).toEqual({ recorded: false });
    expect(again.state.context.counters.decisions).toBe(1);
  });

  it('refuses to record in a terminated agent', () => {
    const terminated = apply(registered(), 'terminate', {}).state;
    expect(apply(terminated, 'recordWorkflowOutcome', outcome)).toMatchObject({ ok: false, code: 'AGENT_TERMINATED' });
  });
});
