import { describe, expect, it } from 'vitest';
import type { AgentState, Decision } from './agent-context.js';
import { AgentOps } from './agent-operations.js';
import { applyOperation, type ReducerEnv } from './agent-reducer.js';
import type { EventEnvelope } from './event-envelope.js';

const T0 = Date.parse('2025-01-01T00:00:00.000Z');
let tick = 0;
function env(agentId = 'ceo'): ReducerEnv {
  tick += 1;
  return { agentId, now: new Date(T0 + tick * 1000).toISOString() };
}

const definition = {
  id: 'ceo',
  name: 'Chief Executive',
  role: 'leadership',
  purpose: { statement: 'Strategic oversight and company growth', scope: 'Strategic planning, major decisions', successCriteria: ['Revenue growth', 'Team expansion'] },
};

function ok<T>(out: ReturnType<typeof applyOperation>): T {
  if (!out.result.ok) throw new Error(`operation failed: ${out.result.error.code} ${out.result.error.message}`);
  return out.result.value as T;
}

function registered(): AgentState {
  const out = applyOperation(undefined, { name: 'register', input: definition }, env());
  ok(out);
  return out.state as AgentState;
}

function event(id: string, data: unknown = { text: `event ${id}` }): EventEnvelope {
  return { id, type: 'aos.test', source: 'test', time: new Date(T0).toISOString(), data };
}

function decisionFor(e: EventEnvelope, at: string): Decision {
  return {
    eventId: e.id,
    eventType: e.type,
    at,
    action: 'acknowledge',
    rationale: 'the event matches the purpose statement on growth and planning',
    alignment: { score: 0.5, reasons: ['growth', 'planning'] },
    provider: 'lexical',
    model: 'lexical-v1',
    tokensIn: 12,
    tokensOut: 3,
    cost: 0,
    cached: false,
    transcriptRef: `ceo/2025/${e.id}.json`,
  };
}

function apply(state: AgentState | undefined, name: string, input?: unknown): { state: AgentState; out: ReturnType<typeof applyOperation> } {
  const out = applyOperation(state, { name, input }, env());
  return { state: out.state as AgentState, out };
}

/** Enqueue, take, record and acknowledge one event, as the loop does. */
function processOne(state: AgentState, e: EventEnvelope, token: string): AgentState {
  let s = apply(state, 'enqueueEvent', { event: e }).state;
  const taken = apply(s, 'takeBatch', { token });
  s = taken.state;
  const now = env().now;
  s = apply(s, 'recordDecision', { token, decision: decisionFor(e, now), eventSummary: JSON.stringify(e.data) }).state;
  return apply(s, 'acknowledgeBatch', { token }).state;
}

describe('applyOperation (agent entity reducer)', () => {
  it('registers an agent in the created state with its original purpose kept', () => {
    const state = registered();
    expect(state.context.lifecycle.state).toBe('created');
    expect(state.context.purpose.original).toEqual(state.context.purpose.current);
    expect(state.context.schemaVersion).toBe(1);
  });

  it('treats registering the same definition again as a no-op and a different one as a conflict', () => {
    const state = registered();
    const again = applyOperation(state, { name: 'register', input: definition }, env());
    expect(again.result).toMatchObject({ ok: true, value: { created: false } });
    expect(again.state).toBe(state);
    const other = applyOperation(state, { name: 'register', input: { ...definition, name: 'Someone else' } }, env());
    expect(other.result).toMatchObject({ ok: false, error: { code: 'AGENT_CONFLICT', kind: 'conflict' } });
    expect(other.state).toBe(state);
  });

  it('refuses an invalid input with a validation error and leaves the state unchanged', () => {
    const state = registered();
    const out = applyOperation(state, { name: 'addGoal', input: { description: '' } }, env());
    expect(out.result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(out.state).toBe(state);
  });

  it('refuses an unknown operation', () => {
    const out = applyOperation(registered(), { name: 'explode' }, env());
    expect(out.result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('answers AGENT_NOT_FOUND for operations on an unregistered agent', () => {
    const out = applyOperation(undefined, { name: 'read' }, env());
    expect(out.result).toMatchObject({ ok: false, error: { code: 'AGENT_NOT_FOUND', kind: 'not-found' } });
    expect(out.state).toBeUndefined();
  });

  it('refuses an invalid lifecycle transition with a conflict and changes nothing', () => {
    const state = registered();
    const out = applyOperation(state, { name: 'setLifecycle', input: { to: 'sleeping' } }, env());
    expect(out.result).toMatchObject({ ok: false, error: { code: 'LIFECYCLE_TRANSITION_INVALID', kind: 'conflict', details: { from: 'created', to: 'sleeping' } } });
    expect(out.state).toBe(state);
  });

  it('counts a wake when a sleeping agent starts running', () => {
    let s = registered();
    for (const to of ['initialized', 'running', 'sleeping', 'running']) s = apply(s, 'setLifecycle', { to }).state;
    expect(s.context.lifecycle.state).toBe('running');
    expect(s.context.counters.wakes).toBe(1);
    expect(s.context.lifecycle.history.map((h) => h.to)).toEqual(['initialized', 'running', 'sleeping', 'running']);
  });

  it('aligns the current purpose on updateContext and keeps the original', () => {
    const s = apply(registered(), 'updateContext', { purpose: { statement: 'Cut costs this quarter' } }).state;
    expect(s.context.purpose.current.statement).toBe('Cut costs this quarter');
    expect(s.context.purpose.original.statement).toBe(definition.purpose.statement);
  });

  it('adds and completes a goal, counting it as achieved once', () => {
    let s = apply(registered(), 'addGoal', { id: 'g1', description: 'Increase revenue by 50%' }).state;
    s = apply(s, 'updateGoal', { id: 'g1', progress: 0.5 }).state;
    expect(s.context.goals[0]).toMatchObject({ progress: 0.5, status: 'active' });
    s = apply(s, 'updateGoal', { id: 'g1', status: 'completed' }).state;
    s = apply(s, 'updateGoal', { id: 'g1', status: 'completed' }).state;
    expect(s.context.goals[0]).toMatchObject({ progress: 1, status: 'completed' });
    expect(s.context.counters.goalsAchieved).toBe(1);
  });

  it('answers GOAL_NOT_FOUND when updating a goal the agent does not have', () => {
    const out = applyOperation(registered(), { name: 'updateGoal', input: { id: 'nope', progress: 1 } }, env());
    expect(out.result).toMatchObject({ ok: false, error: { code: 'GOAL_NOT_FOUND' } });
  });

  it('enqueues an event once by id', () => {
    let s = apply(registered(), 'enqueueEvent', { event: event('e1') }).state;
    const again = apply(s, 'enqueueEvent', { event: event('e1') });
    expect(again.out.result).toMatchObject({ ok: true, value: { duplicate: true, depth: 1 } });
    s = again.state;
    expect(s.mailbox.events).toHaveLength(1);
    expect(s.context.counters).toMatchObject({ eventsAccepted: 1, eventsDuplicate: 1 });
  });

  it('refuses an event when the mailbox is full unless the caller already accepted it', () => {
    let s = apply(registered(), 'updateContext', { settings: { mailboxCapacity: 2 } }).state;
    s = apply(s, 'enqueueEvent', { event: event('e1') }).state;
    s = apply(s, 'enqueueEvent', { event: event('e2') }).state;
    const full = applyOperation(s, { name: 'enqueueEvent', input: { event: event('e3') } }, env());
    expect(full.result).toMatchObject({ ok: false, error: { code: 'MAILBOX_FULL', kind: 'rate-limited' } });
    const admitted = apply(s, 'enqueueEvent', { event: event('e3'), overCapacity: 'accept' });
    expect(admitted.state.mailbox.events.map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
  });

  it('hands out the same events under the same token until the batch is acknowledged', () => {
    let s = registered();
    for (const id of ['e1', 'e2', 'e3']) s = apply(s, 'enqueueEvent', { event: event(id) }).state;
    const first = apply(s, 'takeBatch', { token: 't1', max: 2 });
    expect(ok<{ token: string; events: EventEnvelope[]; remaining: number }>(first.out)).toMatchObject({ token: 't1', remaining: 1 });
    const retaken = apply(first.state, 'takeBatch', { token: 't2', max: 2 });
    const value = ok<{ token: string; events: EventEnvelope[] }>(retaken.out);
    expect(value.token).toBe('t1');
    expect(value.events.map((e) => e.id)).toEqual(['e1', 'e2']);
    const acked = apply(retaken.state, 'acknowledgeBatch', { token: 't1' });
    expect(ok(acked.out)).toEqual({ acknowledged: 2, remaining: 1 });
    const next = apply(acked.state, 'takeBatch', { token: 't3' });
    expect(ok<{ events: EventEnvelope[] }>(next.out).events.map((e) => e.id)).toEqual(['e3']);
  });

  it('accepts a replayed acknowledgement and refuses an unknown token', () => {
    let s = apply(registered(), 'enqueueEvent', { event: event('e1') }).state;
    s = apply(s, 'takeBatch', { token: 't1' }).state;
    s = apply(s, 'acknowledgeBatch', { token: 't1' }).state;
    const replay = applyOperation(s, { name: 'acknowledgeBatch', input: { token: 't1' } }, env());
    expect(replay.result).toEqual({ ok: true, value: { acknowledged: 0, remaining: 0 } });
    const unknown = applyOperation(s, { name: 'acknowledgeBatch', input: { token: 'zz' } }, env());
    expect(unknown.result).toMatchObject({ ok: false, error: { code: 'BATCH_MISMATCH' } });
  });

  it('records a decision once per event even when the record is replayed', () => {
    let s = apply(registered(), 'enqueueEvent', { event: event('e1') }).state;
    s = apply(s, 'takeBatch', { token: 't1' }).state;
    const d = decisionFor(event('e1'), env().now);
    s = apply(s, 'recordDecision', { token: 't1', decision: d }).state;
    const replay = apply(s, 'recordDecision', { token: 't1', decision: d });
    expect(replay.out.result).toEqual({ ok: true, value: { recorded: false } });
    s = apply(replay.state, 'acknowledgeBatch', { token: 't1' }).state;
    expect(s.context.counters).toMatchObject({ decisions: 1, eventsProcessed: 1, tokensIn: 12, tokensOut: 3 });
    expect(s.context.memory.recent.map((m) => m.kind)).toEqual(['event', 'decision']);
  });

  it('does not accept an event again after it was processed', () => {
    const s = processOne(registered(), event('e1'), 't1');
    const again = apply(s, 'enqueueEvent', { event: event('e1') });
    expect(again.out.result).toMatchObject({ ok: true, value: { duplicate: true, depth: 0 } });
  });

  it('keeps the context and refuses changes after termination, while takeBatch reports terminated', () => {
    let s = apply(registered(), 'enqueueEvent', { event: event('e1') }).state;
    s = apply(s, 'terminate', { reason: 'retired' }).state;
    expect(s.context.lifecycle.state).toBe('terminated');
    expect(s.context.timestamps.terminatedAt).toBeDefined();
    expect(applyOperation(s, { name: 'enqueueEvent', input: { event: event('e2') } }, env()).result).toMatchObject({ ok: false, error: { code: 'AGENT_TERMINATED' } });
    expect(applyOperation(s, { name: 'setLifecycle', input: { to: 'running' } }, env()).result).toMatchObject({ ok: false, error: { code: 'LIFECYCLE_TRANSITION_INVALID' } });
    const taken = apply(s, 'takeBatch', { token: 't1' });
    expect(ok(taken.out)).toMatchObject({ lifecycle: 'terminated', events: [] });
    expect(ok(apply(s, 'terminate', {}).out)).toMatchObject({ changed: false });
    expect(ok<{ context: { name: string } }>(apply(s, 'read').out).context.name).toBe('Chief Executive');
  });

  it('keeps the entity state under 64 KB after 10,000 processed events', () => {
    let s = registered();
    for (const to of ['initialized', 'running']) s = apply(s, 'setLifecycle', { to }).state;
    const text = 'x'.repeat(400);
    for (let i = 0; i < 10_000; i += 1) s = processOne(s, event(`event-${String(i).padStart(5, '0')}-${'a'.repeat(20)}`, { text }), `token-${i}`);
    expect(s.context.counters.eventsProcessed).toBe(10_000);
    expect(s.context.counters.decisions).toBe(10_000);
    expect(s.mailbox.events).toHaveLength(0);
    const bytes = Buffer.byteLength(JSON.stringify(s), 'utf8');
    expect(bytes).toBeLessThan(64 * 1024);
    expect(s.context.memory.total).toBe(20_000);
  });

  it('describes every operation it implements', () => {
    for (const name of Object.keys(AgentOps)) {
      const out = applyOperation(undefined, { name, input: {} }, env());
      if (!out.result.ok) expect(out.result.error.message).not.toMatch(/has no operation/);
    }
  });
});
