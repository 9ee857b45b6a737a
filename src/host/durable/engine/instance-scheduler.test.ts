import { describe, expect, it } from 'vitest';
import type { InstanceMessage } from '../core/work.js';
import { InstanceScheduler, type TurnRequest } from './instance-scheduler.js';

function msg(id: string, target = 'a'): InstanceMessage {
  return { messageId: id, targetInstanceId: target, event: { type: 'EventRaised', name: id, eventId: -1, isPlayed: false, timestamp: '2026-01-01T00:00:00Z' } };
}

describe('InstanceScheduler', () => {
  it('runs one turn at a time per instance and batches messages that arrive meanwhile', async () => {
    const turns: TurnRequest[] = [];
    let release: () => void = () => {};
    let first = true;
    const scheduler = new InstanceScheduler(
      async (req) => {
        turns.push(req);
        if (first) {
          first = false;
          await new Promise<void>((r) => (release = r));
        }
      },
      4,
      () => {},
    );
    scheduler.notify('a', [msg('1')]);
    scheduler.notify('a', [msg('2')]);
    scheduler.notify('a', [msg('3')], true);
    expect(turns).toHaveLength(1);
    release();
    await scheduler.idle();
    expect(turns.map((t) => t.messages.map((m) => m.messageId))).toEqual([['1'], ['2', '3']]);
    expect(turns[1]?.checkStorage).toBe(true);
  });

  it('caps the number of instances running at once', async () => {
    let running = 0;
    let peak = 0;
    const scheduler = new InstanceScheduler(
      async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setImmediate(r));
        running--;
      },
      2,
      () => {},
    );
    for (const id of ['a', 'b', 'c', 'd', 'e']) scheduler.notify(id, [msg('x', id)]);
    await scheduler.idle();
    expect(peak).toBe(2);
  });

  it('reports a failed turn and keeps serving other instances', async () => {
    const failures: string[] = [];
    const done: string[] = [];
    const scheduler = new InstanceScheduler(
      async (req) => {
        if (req.instanceId === 'bad') throw new Error('boom');
        done.push(req.instanceId);
      },
      1,
      (id) => failures.push(id),
    );
    scheduler.notify('bad');
    scheduler.notify('good');
    await scheduler.idle();
    expect(failures).toEqual(['bad']);
    expect(done).toEqual(['good']);
  });

  it('keeps no slot for an instance whose turn ended with nothing waiting, after a success or a failure', async () => {
    let release: () => void = () => {};
    let slowTurns = 0;
    const scheduler = new InstanceScheduler(
      async (req) => {
        if (req.instanceId === 'bad') throw new Error('boom');
        if (req.instanceId === 'slow' && slowTurns++ === 0) await new Promise<void>((r) => (release = r));
      },
      4,
      () => {},
    );
    for (const id of ['a', 'b', 'bad', 'slow']) scheduler.notify(id, [msg('x', id)]);
    expect(scheduler.slotCount).toBe(4);
    // A message for the busy instance waits in its slot for the next turn.
    await new Promise((r) => setImmediate(r));
    scheduler.notify('slow', [msg('y', 'slow')]);
    expect(scheduler.slotCount).toBe(1);
    release();
    await scheduler.idle();
    expect(slowTurns).toBe(2);
    expect(scheduler.slotCount).toBe(0);
  });
});
