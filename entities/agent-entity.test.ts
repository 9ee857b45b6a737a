import * as df from 'durable-functions';
import { describe, expect, it } from 'vitest';
import type { AgentState } from '../src/domain/index.js';
import { handleAgentOperation } from './agent-entity.js';

/** An entity context as the durable-functions library builds it: state kept as JSON between operations. */
function entityContext(stored: { json?: string }, operationName: string, input?: unknown) {
  const ctx = new df.DummyEntityContext<AgentState>('agent', 'inv', () => undefined);
  let result: unknown;
  ctx.df = {
    entityName: 'agent',
    entityKey: 'ceo',
    entityId: new df.EntityId('agent', 'ceo'),
    operationName,
    isNewlyConstructed: stored.json === undefined,
    getState: () => (stored.json === undefined ? undefined : (JSON.parse(stored.json) as AgentState)),
    setState: (s: AgentState) => void (stored.json = JSON.stringify(s)),
    getInput: <T>() => (input === undefined ? undefined : (JSON.parse(JSON.stringify(input)) as T)),
    return: (r: unknown) => void (result = r),
    destructOnExit: () => undefined,
    signalEntity: () => undefined,
  };
  return { ctx, result: () => result };
}

function run(stored: { json?: string }, op: string, input?: unknown): unknown {
  const { ctx, result } = entityContext(stored, op, input);
  handleAgentOperation(ctx, () => new Date('2025-01-01T00:00:00.000Z'));
  return result();
}

describe('agent entity', () => {
  it('registers, saves the state and returns an ok outcome', () => {
    const stored: { json?: string } = {};
    const out = run(stored, 'register', { id: 'ceo', name: 'CEO', purpose: { statement: 'Grow the company' } });
    expect(out).toMatchObject({ ok: true, value: { created: true, context: { id: 'ceo', lifecycle: { state: 'created' } } } });
    expect(JSON.parse(stored.json ?? '{}')).toMatchObject({ schemaVersion: 1, context: { name: 'CEO' } });
  });

  it('returns a refused operation as data and does not save', () => {
    const stored: { json?: string } = {};
    run(stored, 'register', { id: 'ceo', name: 'CEO', purpose: { statement: 'Grow the company' } });
    const before = stored.json;
    expect(run(stored, 'setLifecycle', { to: 'running' })).toMatchObject({ ok: false, error: { code: 'LIFECYCLE_TRANSITION_INVALID', kind: 'conflict' } });
    expect(stored.json).toBe(before);
  });

  it('refuses to act on state that no schema reads, and leaves it as it is', () => {
    const stored = { json: JSON.stringify({ schemaVersion: 99, something: 'else' }) };
    expect(run(stored, 'read')).toMatchObject({ ok: false, error: { code: 'AGENT_STATE_INVALID' } });
    expect(stored.json).toBe(JSON.stringify({ schemaVersion: 99, something: 'else' }));
  });
});
