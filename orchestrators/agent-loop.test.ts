import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { applyOperation, type AgentState, type DecideInput, type DecideOutput, type EventEnvelope } from '../src/domain/index.js';
import { agentLoop, type AgentLoopResult } from './agent-loop.js';

/**
 * Drives the loop generator the way durable-functions does (yield a task, resume with its result),
 * with entity calls answered by the real agent reducer and activities by the given functions. The
 * real engine runs it end to end in tests/e2e/agents-*.test.ts.
 */
type SimTask =
  | { kind: 'entity'; op: string; input: unknown }
  | { kind: 'activity'; name: string; input: unknown }
  | { kind: 'event'; name: string }
  | { kind: 'timer'; fireAt: Date; canceled: boolean; cancel(): void }
  | { kind: 'any'; tasks: SimTask[] };

interface Run {
  trace: string[];
  result: AgentLoopResult | undefined;
  continuedWith?: unknown;
  customStatus: unknown;
  timers: Extract<SimTask, { kind: 'timer' }>[];
}

interface World {
  state: AgentState | undefined;
  activities: Record<string, (input: unknown) => unknown>;
  /** Which task wins a `Task.any`: the wake event or the timer. */
  wins: 'wake' | 'timer';
}

const NOW = new Date('2025-05-01T10:00:00.000Z');

function simulate(world: World, input: unknown): Run {
  const run: Run = { trace: [], result: undefined, customStatus: undefined, timers: [] };
  let guid = 0;
  const ctx = {
    df: {
      instanceId: 'agent-ceo',
      currentUtcDateTime: NOW,
      getInput: () => input,
      newGuid: (name: string) => `guid-${name}-${guid++}`,
      callEntity: (_id: df.EntityId, op: string, opInput: unknown): SimTask => ({ kind: 'entity', op, input: opInput }),
      callActivityWithRetry: (name: string, _retry: df.RetryOptions, actInput: unknown): SimTask => ({ kind: 'activity', name, input: actInput }),
      waitForExternalEvent: (name: string): SimTask => ({ kind: 'event', name }),
      createTimer: (fireAt: Date) => {
        const t = { kind: 'timer' as const, fireAt, canceled: false, cancel: () => void (t.canceled = true) };
        run.timers.push(t);
        return t;
      },
      Task: { any: (tasks: SimTask[]): SimTask => ({ kind: 'any', tasks }) },
      setCustomStatus: (s: unknown) => void (run.customStatus = s),
      continueAsNew: (next: unknown) => void (run.continuedWith = next),
    },
  } as unknown as OrchestrationContext;
  const gen = agentLoop(ctx);
  let step = gen.next();
  let guard = 0;
  while (!step.done && guard++ < 1000) {
    const task = step.value as unknown as SimTask;
    if (task.kind === 'entity') {
      run.trace.push(`entity:${task.op}`);
      const out = applyOperation(world.state, { name: task.op, input: JSON.parse(JSON.stringify(task.input ?? null)) }, { agentId: 'ceo', now: NOW.toISOString() });
      world.state = out.state;
      step = gen.next(out.result);
    } else if (task.kind === 'activity') {
      run.trace.push(`activity:${task.name}`);
      const fn = world.activities[task.name];
      try {
        step = gen.next(fn?.(task.input));
      } catch (err) {
        step = gen.throw(err);
      }
    } else if (task.kind === 'any') {
      run.trace.push('wait:wake|timer');
      const winner = task.tasks.find((t) => (world.wins === 'wake' ? t.kind === 'event' : t.kind === 'timer'));
      step = gen.next(winner);
    } else {
      throw new Error(`unexpected task ${task.kind}`);
    }
  }
  run.result = step.value as AgentLoopResult | undefined;
  return run;
}

const decideOk = (input: unknown): DecideOutput => {
  const i = input as DecideInput;
  return { action: `handle:${i.event.type}`, rationale: 'fits', alignment: { score: 0.4, reasons: ['growth'] }, provider: 'lexical', model: 'lexical-v1', tokensIn: 10, tokensOut: 1, cost: 0, cached: false };
};
const transcript = (input: unknown) => ({ ref: `ceo/${(input as { event: EventEnvelope }).event.id}.json` });
/** Governance activities that allow everything (the policy paths have their own tests below and in tests/e2e/governance-*.test.ts). */
const allowAll = () => ({ verdict: { type: 'allow', matched: [] }, auditRecordId: 'agent-ceo/0' });
const governance = {
  'governance-check-policy': allowAll,
  'governance-audit': () => ({ recordId: 'agent-ceo/1', index: 1, hash: '0'.repeat(64) }),
  'governance-record-decision': () => ({ decisionId: 'd1' }),
};

function registeredWorld(events: string[] = []): World {
  let state = applyOperation(undefined, { name: 'register', input: { id: 'ceo', name: 'CEO', purpose: { statement: 'Grow the company' }, settings: { heartbeatSeconds: 600 } } }, { agentId: 'ceo', now: NOW.toISOString() }).state;
  for (const id of events) state = applyOperation(state, { name: 'enqueueEvent', input: { event: { id, type: 'note', source: 'test', time: NOW.toISOString(), data: { text: `growth ${id}` } } } }, { agentId: 'ceo', now: NOW.toISOString() }).state;
  return { state, activities: { 'agent-decide': decideOk, 'agent-append-transcript': transcript, ...governance }, wins: 'wake' };
}

describe('agent-loop orchestration', () => {
  it('brings a new agent up, puts it to sleep, cancels the heartbeat timer when woken, and continues as new', () => {
    const world = registeredWorld();
    const run = simulate(world, { agentId: 'ceo', generation: 0 });
    expect(run.trace).toEqual(['entity:takeBatch', 'entity:setLifecycle', 'entity:setLifecycle', 'entity:setLifecycle', 'wait:wake|timer']);
    expect(world.state?.context.lifecycle.state).toBe('sleeping');
    expect(run.timers).toHaveLength(1);
    expect(run.timers[0]?.fireAt.toISOString()).toBe('2025-05-01T10:10:00.000Z');
    expect(run.timers[0]?.canceled).toBe(true);
    expect(run.continuedWith).toEqual({ agentId: 'ceo', generation: 1 });
    expect(run.customStatus).toMatchObject({ state: 'sleeping', wakeAt: '2025-05-01T10:10:00.000Z' });
  });

  it('leaves the timer alone when the heartbeat fires, and does not re-mark a sleeping agent', () => {
    const world = registeredWorld();
    simulate(world, { agentId: 'ceo', generation: 0 });
    world.wins = 'timer';
    const run = simulate(world, { agentId: 'ceo', generation: 1 });
    expect(run.trace).toEqual(['entity:takeBatch', 'wait:wake|timer']);
    expect(run.timers[0]?.canceled).toBe(false);
  });

  it('processes each event of a batch, records the decisions, acknowledges and continues', () => {
    const world = registeredWorld(['e1', 'e2']);
    simulate(world, { agentId: 'ceo', generation: 0 }); // first generation processes at once: mailbox not empty
    const ctx = world.state?.context;
    expect(ctx?.counters).toMatchObject({ eventsProcessed: 2, decisions: 2, tokensIn: 20, wakes: 0 });
    expect(ctx?.recentDecisions.map((d) => [d.eventId, d.action, d.transcriptRef])).toEqual([
      ['e1', 'handle:note', 'ceo/e1.json'],
      ['e2', 'handle:note', 'ceo/e2.json'],
    ]);
    expect(world.state?.mailbox.events).toEqual([]);
    expect(ctx?.lifecycle.state).toBe('running');
  });

  it('counts a wake when a sleeping agent finds events', () => {
    const world = registeredWorld();
    simulate(world, { agentId: 'ceo', generation: 0 });
    world.state = applyOperation(world.state, { name: 'enqueueEvent', input: { event: { id: 'e9', type: 'note', source: 't', time: NOW.toISOString(), data: null } } }, { agentId: 'ceo', now: NOW.toISOString() }).state;
    const run = simulate(world, { agentId: 'ceo', generation: 1 });
    expect(run.trace).toEqual([
      'entity:takeBatch',
      'entity:setLifecycle',
      'activity:governance-check-policy',
      'activity:agent-decide',
      'activity:governance-audit',
      'activity:agent-append-transcript',
      'activity:governance-check-policy',
      'activity:governance-record-decision',
      'entity:recordDecision',
      'entity:acknowledgeBatch',
    ]);
    expect(world.state?.context.counters.wakes).toBe(1);
  });

  it('skips events of a re-taken batch whose decision is already recorded', () => {
    const world = registeredWorld(['e1', 'e2']);
    const env = { agentId: 'ceo', now: NOW.toISOString() };
    world.state = applyOperation(world.state, { name: 'takeBatch', input: { token: 'old' } }, env).state;
    const decision = { ...decideOk({ event: { type: 'note' } }), eventId: 'e1', eventType: 'note', at: NOW.toISOString() };
    world.state = applyOperation(world.state, { name: 'recordDecision', input: { token: 'old', decision } }, env).state;
    const run = simulate(world, { agentId: 'ceo', generation: 5 });
    expect(run.trace.filter((t) => t === 'activity:agent-decide')).toHaveLength(1);
    expect(world.state?.context.counters).toMatchObject({ decisions: 2, eventsProcessed: 2 });
  });

  it('records a failed decision when inference fails, so one bad event does not stall the agent', () => {
    const world = registeredWorld(['e1']);
    world.activities['agent-decide'] = () => {
      throw new Error('model down');
    };
    simulate(world, { agentId: 'ceo', generation: 0 });
    expect(world.state?.context.recentDecisions[0]).toMatchObject({ action: 'failed:note', provider: 'none' });
    expect(world.state?.context.recentDecisions[0]?.rationale).toMatch(/model down/);
    expect(world.state?.mailbox.events).toEqual([]);
  });

  it('skips inference for a step a policy denies, and still audits and records it', () => {
    const world = registeredWorld(['e1']);
    const audited: unknown[] = [];
    world.activities['governance-check-policy'] = (input) =>
      (input as { stage: string }).stage === 'inference' ? { verdict: { type: 'deny', policyId: 'p', ruleId: 'r', reason: 'not today', matched: ['p/r'] }, auditRecordId: 'agent-ceo/0' } : allowAll();
    world.activities['governance-audit'] = (input) => {
      audited.push(input);
      return { recordId: 'agent-ceo/1', index: 1, hash: '0'.repeat(64) };
    };
    const run = simulate(world, { agentId: 'ceo', generation: 0 });
    expect(run.trace).not.toContain('activity:agent-decide');
    expect(world.state?.context.recentDecisions[0]).toMatchObject({ action: 'denied:note', provider: 'governance' });
    expect(world.state?.context.recentDecisions[0]?.rationale).toMatch(/policy p\/r: not today/);
    expect(audited[0]).toMatchObject({ chain: 'agent-ceo', entry: { action: 'step-skipped', decision: 'deny' } });
    expect(world.state?.mailbox.events).toEqual([]);
  });

  it('denies a step whose policy check fails (fail closed)', () => {
    const world = registeredWorld(['e1']);
    world.activities['governance-check-policy'] = () => {
      throw new Error('policies unreadable');
    };
    const run = simulate(world, { agentId: 'ceo', generation: 0 });
    expect(run.trace).not.toContain('activity:agent-decide');
    expect(world.state?.context.recentDecisions[0]?.rationale).toMatch(/policy check failed: policies unreadable/);
  });

  it('ends when the agent is terminated', () => {
    const world = registeredWorld(['e1']);
    world.state = applyOperation(world.state, { name: 'terminate', input: {} }, { agentId: 'ceo', now: NOW.toISOString() }).state;
    const run = simulate(world, { agentId: 'ceo', generation: 3 });
    expect(run.result).toEqual({ agentId: 'ceo', ended: 'terminated' });
    expect(run.continuedWith).toBeUndefined();
  });

  it('waits and retries while the agent is not registered yet', () => {
    const world: World = { state: undefined, activities: {}, wins: 'timer' };
    const run = simulate(world, { agentId: 'ceo', generation: 0 });
    expect(run.trace).toEqual(['entity:takeBatch', 'wait:wake|timer']);
    expect(run.continuedWith).toEqual({ agentId: 'ceo', generation: 1 });
    expect(run.customStatus).toMatchObject({ state: 'waiting-for-registration' });
  });

  it('yields the same tasks when replayed with the same results', () => {
    const a = registeredWorld(['e1', 'e2']);
    const b = registeredWorld(['e1', 'e2']);
    expect(simulate(a, { agentId: 'ceo', generation: 0 }).trace).toEqual(simulate(b, { agentId: 'ceo', generation: 0 }).trace);
    expect(JSON.stringify(a.state)).toBe(JSON.stringify(b.state));
  });
});
