import { describe, expect, it } from 'vitest';
import type { RequestMessage } from './entity-messages.js';
import { emptySchedulerState, parseSchedulerState, serializeSchedulerState, type SchedulerState } from './entity-scheduler-state.js';
import { entityTurnHistory } from './entity-history.js';
import { completeEntityTurn, type EntityBatchOutcome } from './entity-turn-complete.js';
import { planEntityTurn } from './entity-turn-plan.js';
import type { InstanceMessage } from './work.js';

const NOW = new Date('2026-01-01T00:00:00.000Z');
const SELF = '@counter@k1';
let counter = 0;

function op(request: Partial<RequestMessage> & { op?: string }, name = 'op'): InstanceMessage {
  const id = request.id ?? `req-${++counter}`;
  return {
    messageId: `m-${id}`,
    targetInstanceId: SELF,
    event: { type: 'EventRaised', eventId: -1, isPlayed: false, timestamp: NOW.toISOString(), name, input: JSON.stringify({ ...request, id }) },
  };
}
const call = (parent: string, operation: string, id?: string) => op({ op: operation, parent, parentExecution: `${parent}-exec`, ...(id ? { id } : {}) });
const signal = (parent: string | undefined, operation: string, input?: unknown) =>
  op({ op: operation, signal: true, ...(parent ? { parent } : {}), ...(input !== undefined ? { input: JSON.stringify(input) } : {}) });
const lock = (parent: string, id: string, lockset: { name: string; key: string }[], pos = 0) =>
  op({ id, parent, parentExecution: `${parent}-exec`, lockset, pos });
function release(parent: string, id: string): InstanceMessage {
  return {
    messageId: `m-release-${id}`,
    targetInstanceId: SELF,
    event: { type: 'EventRaised', eventId: -1, isPlayed: false, timestamp: NOW.toISOString(), name: 'release', input: JSON.stringify({ parent, id }) },
  };
}

/** Every operation succeeds and returns its name; the state is left as it was. */
function echo(state: SchedulerState, ops: RequestMessage[]): EntityBatchOutcome {
  return {
    type: 'completed',
    output: {
      results: ops.map((r) => ({ isError: false, result: JSON.stringify(r.op) })),
      signals: [],
      entityExists: state.exists,
      ...(state.state !== undefined ? { entityState: state.state } : {}),
    },
  };
}

/** Plans and completes one turn with `echo`, then stores and reloads the state as the engine would. */
function turn(state: SchedulerState, messages: InstanceMessage[], now = NOW, turnNumber = 1) {
  const { batch, plan } = planEntityTurn(state, messages, { instanceId: SELF, now });
  const result = completeEntityTurn(plan, batch ? echo(plan.state, plan.operations) : undefined, { now, turn: turnNumber });
  return { batch, plan, result, next: parseSchedulerState(result.instance.input) };
}
const opNames = (batch: { batch: { name: string }[] } | undefined) => batch?.batch.map((o) => o.name) ?? [];
const messagesTo = (result: ReturnType<typeof completeEntityTurn>, target: string) =>
  result.work.flatMap((w) => (w.kind === 'message' && w.message.targetInstanceId === target ? [w.message] : []));

describe('planEntityTurn and completeEntityTurn', () => {
  it('runs requests in arrival order across senders', () => {
    const { batch } = turn(emptySchedulerState(), [signal('a', 'a1'), signal('b', 'b1'), call('a', 'a2'), signal(undefined, 'client')]);
    expect(opNames(batch)).toEqual(['a1', 'b1', 'a2', 'client']);
    expect(batch?.self).toEqual({ name: 'counter', key: 'k1' });
    expect(batch?.batch[2]).toEqual({ name: 'a2', input: null, isSignal: false });
  });

  it('answers calls with an EventRaised named by the request id, and signals not at all', () => {
    const { result } = turn(emptySchedulerState(), [signal('orch-a', 'add', 5), call('orch-a', 'get', 'call-1')]);
    const answers = messagesTo(result, 'orch-a');
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ targetExecutionId: 'orch-a-exec', messageId: `${SELF}|1|0`, sender: SELF });
    expect(answers[0]?.event).toMatchObject({ type: 'EventRaised', name: 'call-1', input: '{"result":"\\"get\\""}' });
  });

  it('grants a lock after the operations before it and forwards it to the next entity of the set', () => {
    const lockset = [{ name: 'counter', key: 'k1' }, { name: 'Account', key: 'A' }];
    const { batch, plan, result } = turn(emptySchedulerState(), [signal('x', 'first'), lock('orch-a', 'lock-1', lockset), signal('y', 'after')]);
    expect(opNames(batch)).toEqual(['first']);
    expect(plan.lockRequest?.id).toBe('lock-1');
    expect(result.state.lockedBy).toBe('orch-a');
    expect(result.state.queue.map((r) => r.op)).toEqual(['after']);
    const forwarded = messagesTo(result, '@account@A');
    expect(forwarded).toHaveLength(1);
    expect(JSON.parse(forwarded[0]?.event.type === 'EventRaised' ? (forwarded[0].event.input ?? '') : '')).toMatchObject({ id: 'lock-1', parent: 'orch-a', pos: 1, lockset });
    expect(JSON.parse(result.instance.customStatus)).toEqual({ queueSize: 1, lockedBy: 'orch-a' });
  });

  it('answers the orchestration when the last entity of the set is locked', () => {
    const lockset = [{ name: 'account', key: 'a' }, { name: 'counter', key: 'k1' }];
    const { batch, result } = turn(emptySchedulerState(), [lock('orch-a', 'lock-1', lockset, 1)]);
    expect(batch).toBeUndefined();
    const answers = messagesTo(result, 'orch-a');
    expect(answers[0]?.targetExecutionId).toBe('orch-a-exec');
    expect(answers[0]?.event).toMatchObject({ name: 'lock-1', input: '{"result":"Lock Acquisition Completed"}' });
  });

  it('runs only the lock holder’s requests while locked and queues the others', () => {
    const locked = parseSchedulerState('{"exists":true,"state":"0","lockedBy":"orch-a","sorter":{}}');
    const { batch, result } = turn(locked, [signal('orch-b', 'b1'), call('orch-a', 'a1'), signal(undefined, 'client')]);
    expect(opNames(batch)).toEqual(['a1']);
    expect(result.state.queue.map((r) => r.op)).toEqual(['b1', 'client']);
    expect(result.moreWork).toBe(false);
  });

  it('lets queued requests run when the holder releases the lock', () => {
    const locked = turn(parseSchedulerState('{"lockedBy":"orch-a","sorter":{}}'), [signal('orch-b', 'b1')]).next;
    expect(locked.queue).toHaveLength(1);
    const { batch, result } = turn(locked, [call('orch-a', 'a-last'), release('orch-a', 'lock-1'), signal('orch-c', 'c1')]);
    expect(opNames(batch)).toEqual(['a-last', 'b1', 'c1']);
    expect(result.state.lockedBy).toBeUndefined();
  });

  it('ignores a release from an orchestration that does not hold the lock', () => {
    const locked = parseSchedulerState('{"lockedBy":"orch-a","queue":[{"op":"b1","signal":true,"id":"q1","parent":"orch-b"}],"sorter":{}}');
    const { batch, result } = turn(locked, [release('orch-b', 'lock-9')]);
    expect(batch).toBeUndefined();
    expect(result.state.lockedBy).toBe('orch-a');
  });

  it('ignores a re-delivered release of an earlier lock by the same holder', () => {
    const first = turn(emptySchedulerState(), [lock('orch-a', 'lock-1', [{ name: 'counter', key: 'k1' }])]).next;
    const unlocked = turn(first, [release('orch-a', 'lock-1')], NOW, 2).next;
    const relocked = turn(unlocked, [lock('orch-a', 'lock-2', [{ name: 'counter', key: 'k1' }])], NOW, 3).next;
    expect(relocked.lockId).toBe('lock-2');
    const { result } = turn(relocked, [release('orch-a', 'lock-1')], NOW, 4);
    expect(result.state.lockedBy).toBe('orch-a');
    expect(turn(result.state, [release('orch-a', 'lock-2')], NOW, 5).result.state.lockedBy).toBeUndefined();
  });

  it('frees an entity whose holder finished, once the engine sends its release', () => {
    // The holder completed without releasing; the engine releases its locks when it finishes (C.6 step 5).
    const stored = turn(parseSchedulerState('{"exists":true,"state":"1","lockedBy":"orch-done","sorter":{}}'), [call('orch-b', 'get', 'wait-1')]).next;
    expect(stored.queue.map((r) => r.id)).toEqual(['wait-1']);
    const { batch, result } = turn(stored, [release('orch-done', 'lock-7')], NOW, 2);
    expect(opNames(batch)).toEqual(['get']);
    expect(messagesTo(result, 'orch-b')[0]?.event).toMatchObject({ name: 'wait-1' });
    expect(result.deleted).toBe(false);
  });

  it('keeps a scheduled signal until it is due and reports when that is', () => {
    const due = '2026-01-01T00:05:00.0000000Z';
    const first = turn(emptySchedulerState(), [op({ op: 'later', signal: true, due }, `op@${due}`), signal(undefined, 'now')]);
    expect(opNames(first.batch)).toEqual(['now']);
    expect(first.result.nextDueAt).toBe('2026-01-01T00:05:00.000Z');
    expect(first.result.deleted).toBe(false);
    const early = turn(first.next, [], new Date('2026-01-01T00:04:59.999Z'), 2);
    expect(early.batch).toBeUndefined();
    const onTime = turn(early.next, [], new Date('2026-01-01T00:05:00.000Z'), 3);
    expect(opNames(onTime.batch)).toEqual(['later']);
    expect(onTime.result.nextDueAt).toBeUndefined();
  });

  it('drops a re-delivered request, even after the state was stored and reloaded', () => {
    const first = turn(emptySchedulerState(), [call('orch-a', 'add', 'dup-1')]);
    const again = turn(first.next, [call('orch-a', 'add', 'dup-1'), call('orch-b', 'add', 'dup-1')], NOW, 2);
    expect(opNames(again.batch)).toEqual(['add']);
    expect(again.plan.dropped).toEqual([{ messageId: 'm-dup-1', reason: 'duplicate', detail: 'dup-1' }]);
    expect(messagesTo(again.result, 'orch-a')).toHaveLength(0);
  });

  it('keeps a bounded record per sender', () => {
    const ids = ['a', 'b', 'c'];
    const { plan } = planEntityTurn(emptySchedulerState(), ids.map((id) => call('orch-a', 'x', id)), {
      instanceId: SELF,
      now: NOW,
      dedup: { idsPerSender: 2 },
    });
    expect(plan.state.received['orch-a']?.ids).toEqual(['b', 'c']);
  });

  it('forgets senders quiet for longer than the window before the newest activity', () => {
    const old = turn(emptySchedulerState(), [call('orch-old', 'x', 'o1')]).next;
    const later = new Date(NOW.getTime() + 31 * 60_000);
    const { plan } = planEntityTurn(old, [call('orch-new', 'x', 'n1')], { instanceId: SELF, now: later });
    expect(Object.keys(plan.state.received)).toEqual(['orch-new']);
  });

  it('bounds the batch and leaves the rest for the next turn', () => {
    const messages = Array.from({ length: 250 }, (_, i) => signal(undefined, `s${i}`));
    const first = turn(emptySchedulerState(), messages);
    expect(first.batch?.batch).toHaveLength(100);
    expect(first.result.moreWork).toBe(true);
    expect(first.next.queue).toHaveLength(150);
    const second = turn(first.next, [], NOW, 2);
    expect(opNames(second.batch)[0]).toBe('s100');
    const third = turn(second.next, [], NOW, 3);
    expect(third.batch?.batch).toHaveLength(50);
    expect(third.result.moreWork).toBe(false);
  });

  it('drops messages that are not entity requests', () => {
    const bad: InstanceMessage = { ...call('o', 'x'), event: { type: 'EventRaised', eventId: -1, isPlayed: false, timestamp: '', name: 'op', input: '{"op":1}' } };
    const other: InstanceMessage = { ...call('o', 'x'), event: { type: 'EventRaised', eventId: -1, isPlayed: false, timestamp: '', name: 'Approval', input: '1' } };
    const { batch, plan } = planEntityTurn(emptySchedulerState(), [bad, other], { instanceId: SELF, now: NOW });
    expect(batch).toBeUndefined();
    expect(plan.dropped.map((d) => d.reason)).toEqual(['invalid', 'not-an-entity-message']);
  });
});

describe('completeEntityTurn outcomes', () => {
  const start = parseSchedulerState('{"exists":true,"state":"10","sorter":{}}');

  it('answers every caller with an error and keeps the earlier state when the whole batch fails', () => {
    const { plan } = planEntityTurn(start, [call('orch-a', 'add', 'c1'), signal('orch-b', 'add', 1)], { instanceId: SELF, now: NOW });
    const result = completeEntityTurn(plan, { type: 'failed', error: { name: 'TypeError', message: 'boom' } }, { now: NOW, turn: 4 });
    expect(result.state.state).toBe('10');
    expect(result.work).toHaveLength(1);
    expect(messagesTo(result, 'orch-a')[0]?.event).toMatchObject({ name: 'c1', input: '{"result":"\\"boom\\"","exceptionType":"TypeError"}' });
    expect(result.failedOperations).toBe(2);
  });

  it('keeps state changed before an operation threw and answers it with exceptionType Error', () => {
    const { plan } = planEntityTurn(start, [call('orch-a', 'bad', 'c1'), call('orch-a', 'get', 'c2')], { instanceId: SELF, now: NOW });
    const outcome: EntityBatchOutcome = {
      type: 'completed',
      output: { results: [{ isError: true, result: '{}' }, { isError: false, result: '11' }], signals: [], entityExists: true, entityState: '11' },
    };
    const result = completeEntityTurn(plan, outcome, { now: NOW, turn: 5 });
    expect(result.state.state).toBe('11');
    expect(messagesTo(result, 'orch-a').map((m) => (m.event.type === 'EventRaised' ? m.event.input : ''))).toEqual([
      '{"result":"{}","exceptionType":"Error"}',
      '{"result":"11"}',
    ]);
  });

  it('sends signals to the lower-cased scheduler id with deterministic ids', () => {
    const { plan } = planEntityTurn(start, [signal(undefined, 'fan')], { instanceId: SELF, now: NOW });
    const outcome: EntityBatchOutcome = {
      type: 'completed',
      output: {
        results: [{ isError: false }],
        signals: [{ target: { name: 'Counter', key: 'K2' }, name: 'add', input: '' }, { target: { name: 'counter', key: 'K2' }, name: 'add', input: '3' }],
        entityExists: true,
        entityState: '10',
      },
    };
    const once = completeEntityTurn(plan, outcome, { now: NOW, turn: 6 });
    const twice = completeEntityTurn(plan, outcome, { now: NOW, turn: 6 });
    const sent = messagesTo(once, '@counter@K2');
    expect(sent.map((m) => m.messageId)).toEqual([`${SELF}|6|0`, `${SELF}|6|1`]);
    expect(twice.work).toEqual(once.work);
    const requests = sent.map((m) => (m.event.type === 'EventRaised' ? JSON.parse(m.event.input ?? '') : undefined));
    expect(requests[0]).not.toHaveProperty('input');
    expect(requests[1]).toMatchObject({ op: 'add', signal: true, input: '3', parent: SELF });
    expect(requests[0].id).not.toBe(requests[1].id);
  });

  it('deletes the scheduler when the entity destructed and nothing waits', () => {
    const { plan } = planEntityTurn(start, [signal(undefined, 'delete')], { instanceId: SELF, now: NOW });
    const result = completeEntityTurn(plan, { type: 'completed', output: { results: [{ isError: false }], signals: [], entityExists: false } }, { now: NOW, turn: 7 });
    expect(result.deleted).toBe(true);
    expect(result.instance).toMatchObject({ name: SELF, input: '{"sorter":{}}', customStatus: '{}', entityExists: false });
    expect(serializeSchedulerState(result.state)).toBe('{"sorter":{}}');
  });

  it('refuses to complete a batch without its outcome', () => {
    const { plan } = planEntityTurn(start, [signal(undefined, 'x')], { instanceId: SELF, now: NOW });
    expect(() => completeEntityTurn(plan, undefined, { now: NOW, turn: 8 })).toThrow(/no outcome/);
  });

  it('writes one batch of history: started, the scheduler state as input, completed', () => {
    const { plan } = planEntityTurn(start, [signal(undefined, 'x')], { instanceId: SELF, now: NOW });
    const result = completeEntityTurn(plan, echo(plan.state, plan.operations), { now: NOW, turn: 9 });
    const history = entityTurnHistory(SELF, result, { executionId: 'e'.repeat(32), now: NOW });
    expect(history.map((e) => e.type)).toEqual(['OrchestratorStarted', 'ExecutionStarted', 'OrchestratorCompleted']);
    expect(history[1]).toMatchObject({ name: SELF, instanceId: SELF, input: '{"exists":true,"state":"10","sorter":{}}' });
  });
});
