import { describe, expect, it } from 'vitest';
import { messageRowKey } from '../store/key-sanitation.js';
import { EntityOutbox } from './entity-outbound.js';
import { emptySchedulerState, parseSchedulerState, serializeSchedulerState, type SchedulerState } from './entity-scheduler-state.js';
import { completeEntityTurn } from './entity-turn-complete.js';
import { planEntityTurn } from './entity-turn-plan.js';
import { lastRequestsByEntity, scheduleOp, type SchedulingContext } from './orchestration-scheduling.js';
import type { OpSpec } from './replay-tasks.js';
import type { InstanceMessage } from './work.js';

const NOW = new Date('2026-01-01T00:00:00.000Z');
const SELF = '@counter@k1';

/** Requests as an orchestration episode sends them (scheduleOp), numbered from `firstSeq`. */
function orchestrationRequests(count: number, options: { instanceId?: string; executionId?: string; firstSeq?: number; lastRequestTo?: Map<string, number>; every?: number; turn?: number } = {}): InstanceMessage[] {
  const ctx: SchedulingContext = {
    instanceId: options.instanceId ?? 'orch-a',
    executionId: options.executionId ?? 'exec-1',
    name: 'Sender',
    version: '',
    timestamp: NOW.toISOString(),
    lastRequestTo: options.lastRequestTo ?? new Map(),
    ...(options.turn !== undefined ? { turn: options.turn } : {}),
  };
  const messages: InstanceMessage[] = [];
  const every = options.every ?? 1;
  for (let i = 0; i < count; i++) {
    const spec: OpSpec = { kind: 'signal', target: SELF, operation: `op${i}`, input: i };
    const work = scheduleOp({ seq: (options.firstSeq ?? 0) + i * every, spec }, ctx).work;
    if (work.kind === 'message') messages.push(work.message);
  }
  return messages;
}

/** The order `<Hub>Work` lists message rows in: by row key, i.e. as text. */
const storageOrder = (messages: InstanceMessage[]): InstanceMessage[] =>
  [...messages].sort((a, b) => (messageRowKey(a.event.timestamp, a.messageId) < messageRowKey(b.event.timestamp, b.messageId) ? -1 : 1));

/** Runs turns until the queue is empty, storing the state as text in between; returns the operations run in order. */
function runAll(state: SchedulerState, messages: InstanceMessage[]): { ops: string[]; state: SchedulerState; duplicates: number } {
  const ops: string[] = [];
  let duplicates = 0;
  let current = state;
  let inbox = messages;
  for (let turn = 1; turn < 100; turn++) {
    const { batch, plan } = planEntityTurn(current, inbox, { instanceId: SELF, now: NOW });
    duplicates += plan.dropped.filter((d) => d.reason === 'duplicate').length;
    ops.push(...plan.operations.map((r) => r.op ?? ''));
    const outcome = batch ? { type: 'completed' as const, output: { results: plan.operations.map(() => ({ isError: false })), signals: [], entityExists: true, entityState: '0' } } : undefined;
    const result = completeEntityTurn(plan, outcome, { now: NOW, turn });
    current = parseSchedulerState(result.instance.input);
    inbox = [];
    if (!result.moreWork) break;
  }
  return { ops, state: current, duplicates };
}

describe('entity request de-duplication', () => {
  it('drops all 300 signals of one orchestration episode when they are delivered again after being applied', () => {
    const sent = orchestrationRequests(300);
    const first = runAll(emptySchedulerState(), storageOrder(sent));
    expect(first.ops).toHaveLength(300);
    const again = runAll(first.state, storageOrder(sent));
    expect(again.ops).toEqual([]);
    expect(again.duplicates).toBe(300);
    // The record is one stream with its chain head, not 300 ids.
    expect(first.state.sequences).toEqual([{ sender: 'orch-a', execution: 'exec-1', last: NOW.toISOString(), upTo: 299, above: [] }]);
  });

  it('applies the requests of one episode in the order sent although storage lists them as text', () => {
    const sent = orchestrationRequests(120);
    expect(storageOrder(sent).map((m) => m.messageId)).not.toEqual(sent.map((m) => m.messageId)); // `…|10` lists before `…|2`
    const { ops } = runAll(emptySchedulerState(), storageOrder(sent));
    expect(ops).toEqual(sent.map((_, i) => `op${i}`));
  });

  it('keeps other senders in their slots while ordering one stream', () => {
    const a = orchestrationRequests(12);
    const b = orchestrationRequests(2, { instanceId: 'orch-b' });
    const mixed = [a[10], b[0], a[2], b[1], a[1]].filter((m): m is InstanceMessage => m !== undefined);
    const { batch } = planEntityTurn(emptySchedulerState(), mixed, { instanceId: SELF, now: NOW });
    expect(batch?.batch.map((o) => o.name)).toEqual(['op1', 'op0', 'op2', 'op1', 'op10']);
  });

  it('takes requests that arrive out of order exactly once, waiting past a gap until it fills', () => {
    // Every other sequence number went elsewhere (activities): the chain links requests, not numbers.
    const sent = orchestrationRequests(6, { every: 2 });
    const [r0, r1, r2, r3, r4, r5] = sent as [InstanceMessage, InstanceMessage, InstanceMessage, InstanceMessage, InstanceMessage, InstanceMessage];
    const one = runAll(emptySchedulerState(), [r0, r1]);
    const two = runAll(one.state, [r4, r3]); // r2 is late
    expect(two.ops).toEqual(['op3', 'op4']);
    expect(two.state.sequences[0]).toMatchObject({ upTo: 2, above: [{ n: 6, prev: 4 }, { n: 8, prev: 6 }] });
    const three = runAll(two.state, [r3, r2, r4]);
    expect(three.ops).toEqual(['op2']);
    expect(three.duplicates).toBe(2);
    expect(three.state.sequences[0]).toMatchObject({ upTo: 8, above: [] });
    // Everything again, and the last one (never seen yet) twice in one read.
    const four = runAll(three.state, storageOrder([...sent, r5]));
    expect(four.ops).toEqual(['op5']);
    expect(four.duplicates).toBe(6);
  });

  it('numbers each request after the previous one the execution sent to the same entity, across episodes', () => {
    const history = orchestrationRequests(3, { every: 3 }).map((m, i) => ({
      type: 'EventSent' as const,
      eventId: i * 3,
      isPlayed: false,
      timestamp: NOW.toISOString(),
      instanceId: m.targetInstanceId,
      name: m.event.type === 'EventRaised' ? m.event.name : '',
      input: m.event.type === 'EventRaised' ? (m.event.input ?? '') : '',
    }));
    history.push({ type: 'EventSent', eventId: 9, isPlayed: false, timestamp: NOW.toISOString(), instanceId: SELF, name: 'release', input: '{}' });
    const last = lastRequestsByEntity(history);
    expect([...last]).toEqual([[SELF, 6]]);
    const next = orchestrationRequests(1, { firstSeq: 10, lastRequestTo: last })[0];
    expect(JSON.parse(next?.event.type === 'EventRaised' ? (next.event.input ?? '') : '').seq).toEqual({ n: 10, prev: 6 });
  });

  it('keeps executions of one orchestration apart (continue-as-new numbers from 0 again)', () => {
    const gen1 = orchestrationRequests(3, { executionId: 'gen-1' });
    const gen2 = orchestrationRequests(3, { executionId: 'gen-2' });
    const first = runAll(emptySchedulerState(), [...gen1, ...gen2]);
    expect(first.ops).toHaveLength(6);
    expect(runAll(first.state, [...gen2, ...gen1]).duplicates).toBe(6);
  });

  it('forgets the streams of older executions of an eternal orchestration once a later turn of it is received', () => {
    // A loop that continues as new after each call: one execution per generation, one turn each.
    let state = emptySchedulerState();
    const sent: InstanceMessage[] = [];
    for (let gen = 1; gen <= 50; gen++) {
      const request = orchestrationRequests(1, { executionId: `gen-${gen}`, turn: gen * 2 });
      sent.push(...request);
      const result = runAll(state, request);
      expect(result.ops).toHaveLength(1);
      state = result.state;
    }
    expect(state.sequences).toEqual([{ sender: 'orch-a', execution: 'gen-50', lastTurn: 100, last: NOW.toISOString(), upTo: 0, above: [] }]);
    // The last turn's outbox may be redone (its post-commit interrupted): still dropped.
    expect(runAll(state, sent.slice(-1)).duplicates).toBe(1);
  });

  it('keeps every execution whose requests came in the same sender turn (continue-as-new within one turn)', () => {
    const gen1 = orchestrationRequests(2, { executionId: 'gen-1', turn: 7 });
    const gen2 = orchestrationRequests(2, { executionId: 'gen-2', turn: 7 });
    const first = runAll(emptySchedulerState(), [...gen1, ...gen2]);
    expect(first.state.sequences.map((r) => r.execution)).toEqual(['gen-1', 'gen-2']);
    // The redo of that turn's outbox sends both again, in any order.
    expect(runAll(first.state, [...gen2, ...gen1]).duplicates).toBe(4);
  });

  it('drops a re-delivery of an older turn received in the same batch as a later turn, whatever the order', () => {
    const gen1 = orchestrationRequests(1, { executionId: 'gen-1', turn: 3 });
    const first = runAll(emptySchedulerState(), gen1);
    const gen2 = orchestrationRequests(1, { executionId: 'gen-2', turn: 4 });
    const second = runAll(first.state, [...gen2, ...gen1]);
    expect(second.ops).toHaveLength(1);
    expect(second.duplicates).toBe(1);
    expect(second.state.sequences.map((r) => r.execution)).toEqual(['gen-2']);
  });

  it('forgets nothing early for an instance whose turn numbers started again (purged and started anew)', () => {
    const old = runAll(emptySchedulerState(), orchestrationRequests(1, { executionId: 'old', turn: 500 })).state;
    const { plan } = planEntityTurn(old, orchestrationRequests(2, { executionId: 'new', turn: 1 }), { instanceId: SELF, now: new Date(NOW.getTime() + 1000) });
    expect(plan.state.sequences.map((r) => r.execution)).toEqual(['old', 'new']);
    const again = planEntityTurn(plan.state, orchestrationRequests(2, { executionId: 'new', turn: 1 }), { instanceId: SELF, now: new Date(NOW.getTime() + 2000) });
    expect(again.plan.operations).toHaveLength(0);
  });

  it('drops signals between entities delivered again, by sender turn and index', () => {
    const turnOf = (turn: number, count: number): InstanceMessage[] => {
      const outbox = new EntityOutbox('@forwarder@f1', turn, NOW);
      for (let i = 0; i < count; i++) outbox.signal({ target: { name: 'Counter', key: 'k1' }, name: `t${turn}-${i}`, input: '1' });
      return outbox.messages;
    };
    const t1 = turnOf(1, 150);
    const first = runAll(emptySchedulerState(), storageOrder(t1));
    expect(first.ops).toEqual(t1.map((_, i) => `t1-${i}`));
    expect(runAll(first.state, storageOrder(t1)).duplicates).toBe(150);
    const t2 = turnOf(2, 3);
    const second = runAll(first.state, [t2[2], t2[0]].filter((m): m is InstanceMessage => m !== undefined));
    expect(second.ops).toEqual(['t2-0', 't2-2']);
    const third = runAll(second.state, [...t1.slice(0, 5), ...t2]);
    expect(third.ops).toEqual(['t2-1']);
    expect(third.duplicates).toBe(7);
  });

  it('numbers a forwarded lock request in the forwarding entity’s stream', () => {
    const outbox = new EntityOutbox('@account@a', 4, NOW);
    outbox.signal({ target: { name: 'counter', key: 'k1' }, name: 'add', input: '1' });
    outbox.forwardLock({ id: 'lock-1', parent: 'orch-a', parentExecution: 'exec-1', lockset: [], pos: 0, seq: { n: 7, prev: 3 } }, SELF);
    const forwarded = outbox.messages[1];
    const request = JSON.parse(forwarded?.event.type === 'EventRaised' ? (forwarded.event.input ?? '') : '');
    expect(request).toMatchObject({ parent: 'orch-a', pos: 1, seq: { n: 1, prev: 0, from: '@account@a', turn: 4 } });
  });

  it('reads a state written before requests had sequence numbers and still drops its recorded ids', () => {
    const old = '{"exists":true,"state":"3","sorter":{"ReceivedRequestIds":{"orch-a":{"Last":"2026-01-01T00:00:00.000Z","Ids":["r1","r2"]}}}}';
    const state = parseSchedulerState(old);
    expect(state.received['orch-a']?.ids).toEqual(['r1', 'r2']);
    expect(state.sequences).toEqual([]);
    expect(serializeSchedulerState(state)).toBe(old);
    // A redone outbox of the older host: requests without `seq`, dropped by id.
    const legacy = (id: string): InstanceMessage => ({
      messageId: `orch-a|exec-0|${id}`,
      targetInstanceId: SELF,
      event: { type: 'EventRaised', eventId: -1, isPlayed: false, timestamp: NOW.toISOString(), name: 'op', input: JSON.stringify({ op: id, signal: true, id, parent: 'orch-a', parentExecution: 'exec-0' }) },
    });
    const result = runAll(state, [legacy('r1'), legacy('r3'), ...orchestrationRequests(2, { executionId: 'exec-1' })]);
    expect(result.ops).toEqual(['r3', 'op0', 'op1']);
    expect(result.duplicates).toBe(1);
  });

  it('stores and reads back the sequence record', () => {
    const two = runAll(emptySchedulerState(), [orchestrationRequests(3, { every: 2 })[2] as InstanceMessage]).state;
    const text = serializeSchedulerState(two);
    expect(JSON.parse(text).sorter.ReceivedSequences).toEqual([{ Sender: 'orch-a', Execution: 'exec-1', Last: NOW.toISOString(), UpTo: 4 }]);
    expect(parseSchedulerState(text)).toEqual(two);
    const turned = runAll(emptySchedulerState(), orchestrationRequests(1, { turn: 9 })).state;
    expect(JSON.parse(serializeSchedulerState(turned)).sorter.ReceivedSequences[0]).toMatchObject({ LastTurn: 9 });
    expect(parseSchedulerState(serializeSchedulerState(turned))).toEqual(turned);
  });

  it('forgets a stream quiet for longer than the window before the newest activity', () => {
    const old = runAll(emptySchedulerState(), orchestrationRequests(1, { instanceId: 'orch-old' })).state;
    const later = new Date(NOW.getTime() + 31 * 60_000);
    const { plan } = planEntityTurn(old, orchestrationRequests(1, { instanceId: 'orch-new' }), { instanceId: SELF, now: later });
    expect(plan.state.sequences.map((r) => r.sender)).toEqual(['orch-new']);
  });

  it('gives up a gap that does not fill while too many requests wait past it', () => {
    const sent = orchestrationRequests(6);
    const { plan } = planEntityTurn(emptySchedulerState(), [sent[0], ...sent.slice(2)].filter((m): m is InstanceMessage => m !== undefined), { instanceId: SELF, now: NOW, dedup: { maxAhead: 3 } });
    expect(plan.operations).toHaveLength(5);
    expect(plan.state.sequences[0]).toMatchObject({ upTo: 5, above: [] });
  });

  it('consumes a fired timer as a wake-up that runs the signals now due', () => {
    const due = '2026-01-01T00:05:00.000Z';
    const waiting = parseSchedulerState(JSON.stringify({ scheduled: [{ op: 'later', signal: true, id: 's1', due }], sorter: {} }));
    const fired: InstanceMessage = { messageId: 'w1', targetInstanceId: SELF, event: { type: 'TimerFired', eventId: -1, isPlayed: false, timestamp: due, timerId: 0, fireAt: due } };
    const { plan } = planEntityTurn(waiting, [fired], { instanceId: SELF, now: new Date(due) });
    expect(plan.operations.map((r) => r.op)).toEqual(['later']);
    expect(plan.dropped).toEqual([]);
  });
});
