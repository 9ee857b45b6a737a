import type * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope, McpCallOutput } from '../src/domain/index.js';
import { toolStep } from './agent-tool-step.js';

type SimTask = { kind: 'entity'; op: string; input: unknown } | { kind: 'activity'; name: string; input: unknown };

const ctx = {
  df: {
    callEntity: (_id: df.EntityId, op: string, input: unknown): SimTask => ({ kind: 'entity', op, input }),
    callActivityWithRetry: (name: string, _retry: df.RetryOptions, input: unknown): SimTask => ({ kind: 'activity', name, input }),
  },
} as unknown as OrchestrationContext;

const event = (data: unknown): EventEnvelope => ({ id: 'e1', type: 'consult', source: 's', time: '2025-01-01T00:00:00.000Z', data });

/** Drives the step as durable-functions does, answering the activity with `answer` and entity calls with success. */
function drive(gen: Generator<unknown, McpCallOutput | undefined, unknown>, answer: (task: SimTask) => unknown): { yielded: SimTask[]; result: McpCallOutput | undefined } {
  const yielded: SimTask[] = [];
  let step = gen.next();
  while (!step.done) {
    const task = step.value as SimTask;
    yielded.push(task);
    step = gen.next(task.kind === 'entity' ? { ok: true, value: { total: 1 } } : answer(task));
  }
  return { yielded, result: step.value };
}

describe('the loop tool step', () => {
  it('does nothing and yields nothing when neither the event nor the decision asks for a tool', () => {
    const gen = toolStep(ctx, 'ceo', event({ text: 'hello' }), 'handle:consult');
    expect(gen.next()).toEqual({ done: true, value: undefined });
  });

  it('calls the activity with the request and remembers the outcome in the agent memory', () => {
    const out: McpCallOutput = { ok: true, server: 'peer', tool: 'add_memory', offered: ['peer/add_memory'], text: 'done', toolError: false, durationMs: 3 };
    const run = drive(toolStep(ctx, 'ceo', event({ mcp: { server: 'peer', tool: 'add_memory', arguments: { text: 'x' } } }), 'handle:consult'), () => out);
    expect(run.yielded).toEqual([
      { kind: 'activity', name: 'agent-mcp-call', input: { agentId: 'ceo', eventId: 'e1', eventType: 'consult', eventText: expect.stringContaining('consult'), request: { server: 'peer', tool: 'add_memory', arguments: { text: 'x' } } } },
      { kind: 'entity', op: 'remember', input: { kind: 'note', text: 'mcp peer/add_memory ok: done', eventId: 'e1' } },
    ]);
    expect(run.result).toEqual(out);
  });

  it('remembers a failed activity as an ACTIVITY_FAILED outcome instead of failing the loop', () => {
    const gen = toolStep(ctx, 'ceo', event(null), 'mcp:peer/read_context');
    const first = gen.next();
    expect(first.value).toMatchObject({ kind: 'activity', input: { request: { server: 'peer', tool: 'read_context', arguments: {} } } });
    const remember = gen.throw(new Error('activity crashed'));
    expect(remember.value).toEqual({ kind: 'entity', op: 'remember', input: { kind: 'note', text: 'mcp peer/read_context failed (ACTIVITY_FAILED): activity crashed', eventId: 'e1' } });
    const done = gen.next({ ok: true, value: { total: 1 } });
    expect(done).toMatchObject({ done: true, value: { ok: false, error: { code: 'ACTIVITY_FAILED' } } });
  });
});
