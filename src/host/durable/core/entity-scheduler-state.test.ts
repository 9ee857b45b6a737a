import { describe, expect, it } from 'vitest';
import {
  SchedulerStateFormatError,
  emptySchedulerState,
  entityStatusJson,
  isSchedulerIdle,
  parseSchedulerState,
  serializeSchedulerState,
} from './entity-scheduler-state.js';

describe('scheduler state', () => {
  it('reads a missing or null input as a new entity', () => {
    for (const input of [undefined, null, '', 'null']) {
      expect(parseSchedulerState(input)).toEqual(emptySchedulerState());
    }
  });

  it('writes a new entity as an empty sorter only, as DF 2.x does', () => {
    expect(serializeSchedulerState(emptySchedulerState())).toBe('{"sorter":{}}');
  });

  it('round-trips the DF 2.x layout byte for byte', () => {
    const stored = '{"exists":true,"state":"{\\"value\\":5}","sorter":{}}';
    expect(serializeSchedulerState(parseSchedulerState(stored))).toBe(stored);
  });

  it('round-trips a queue, a lock holder, scheduled signals and the de-duplication record', () => {
    const stored = JSON.stringify({
      exists: true,
      state: '7',
      queue: [{ op: 'add', signal: true, input: '1', id: 'r1', parent: 'orch-b' }],
      lockedBy: 'orch-a',
      scheduled: [{ op: 'ping', signal: true, id: 'r2', due: '2030-01-01T00:00:00.000Z' }],
      sorter: { ReceivedRequestIds: { 'orch-b': { Last: '2026-01-01T00:00:00.000Z', Ids: ['r1'] } } },
    });
    const state = parseSchedulerState(stored);
    expect(state.queue).toHaveLength(1);
    expect(state.lockedBy).toBe('orch-a');
    expect(state.received['orch-b']?.ids).toEqual(['r1']);
    expect(serializeSchedulerState(state)).toBe(stored);
  });

  it('keeps sorter fields written by the extension', () => {
    const stored = '{"exists":true,"state":"1","sorter":{"ReceiveHorizon":"2024-03-18T17:44:50Z","LastSentToInstance":{"@a@b":"2024-03-18T17:44:50Z"}}}';
    expect(JSON.parse(serializeSchedulerState(parseSchedulerState(stored)))).toEqual(JSON.parse(stored));
  });

  it('rejects text that is not a scheduler state', () => {
    expect(() => parseSchedulerState('{not json')).toThrow(SchedulerStateFormatError);
    expect(() => parseSchedulerState('{"queue":5}')).toThrow(SchedulerStateFormatError);
  });

  it('describes the entity in the status JSON with defaults omitted', () => {
    const state = parseSchedulerState(
      JSON.stringify({ exists: true, state: '1', queue: [{ op: 'a', id: 'x' }, { op: 'b', id: 'y' }], lockedBy: 'orch-1' }),
    );
    expect(entityStatusJson(state)).toBe('{"entityExists":true,"queueSize":2,"lockedBy":"orch-1"}');
    expect(entityStatusJson(emptySchedulerState())).toBe('{}');
  });

  it('is idle only with no entity, queue, lock or scheduled signal', () => {
    expect(isSchedulerIdle(emptySchedulerState())).toBe(true);
    expect(isSchedulerIdle(parseSchedulerState('{"exists":true,"sorter":{}}'))).toBe(false);
    expect(isSchedulerIdle(parseSchedulerState('{"lockedBy":"o","sorter":{}}'))).toBe(false);
  });
});
