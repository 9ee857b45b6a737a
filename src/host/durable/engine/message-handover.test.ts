import { describe, expect, it } from 'vitest';
import type { InstanceMessage } from '../core/work.js';
import { messageRowKey } from '../store/key-sanitation.js';
import type { StoredMessage } from '../wire/work-row.js';
import { MessageHandover } from './message-handover.js';

const AT = '2026-01-01T00:00:00.000Z';

function msg(id: string, target = 'a'): InstanceMessage {
  return { messageId: id, targetInstanceId: target, event: { type: 'EventRaised', name: id, eventId: -1, isPlayed: false, timestamp: AT } };
}

/** A store whose write waits until the test lets it finish, recording what was claimed meanwhile. */
function gatedStore() {
  let finish: (err?: Error) => void = () => {};
  const putMessages = (messages: readonly InstanceMessage[]) =>
    new Promise<string[]>((resolve, reject) => {
      finish = (err) => (err ? reject(err) : resolve(messages.map((m) => messageRowKey(m.event.timestamp, m.messageId))));
    });
  return { store: { putMessages }, finish: (err?: Error) => finish(err) };
}

describe('MessageHandover', () => {
  it('claims a row before its write, hands it over after, and storage owns it again once released', async () => {
    const { store, finish } = gatedStore();
    const handed: [string, StoredMessage[]][] = [];
    const handover = new MessageHandover(store, (id, messages) => handed.push([id, messages]));
    const rowOfA = { ...msg('1'), rowKey: messageRowKey(AT, '1') };

    const sending = handover.send([msg('1'), msg('2', 'b'), msg('3')]);
    expect(handover.isClaimed('a', rowOfA)).toBe(true);
    expect(handed).toEqual([]);
    finish();
    await sending;

    expect(handed.map(([id, m]) => [id, m.map((x) => x.rowKey)])).toEqual([
      ['a', [messageRowKey(AT, '1'), messageRowKey(AT, '3')]],
      ['b', [messageRowKey(AT, '2')]],
    ]);
    expect(handover.isClaimed('a', rowOfA)).toBe(true);
    handover.release('a', handed[0]?.[1] ?? []);
    handover.release('b', handed[1]?.[1] ?? []);
    expect(handover.isClaimed('a', rowOfA)).toBe(false);
    expect(handover.size).toBe(0);
  });

  it('releases the claims of a write that failed and hands nothing over', async () => {
    const { store, finish } = gatedStore();
    const handed: string[] = [];
    const handover = new MessageHandover(store, (id) => handed.push(id));
    const sending = handover.send([msg('1')]);
    finish(new Error('storage down'));
    await expect(sending).rejects.toThrow('storage down');
    expect(handover.size).toBe(0);
    expect(handed).toEqual([]);
  });

  it('keeps a row claimed while a second copy with the same key is still in memory', async () => {
    const { store, finish } = gatedStore();
    const handed: StoredMessage[][] = [];
    const handover = new MessageHandover(store, (_id, messages) => handed.push(messages));
    for (let i = 0; i < 2; i++) {
      const sending = handover.send([msg('same')]);
      finish();
      await sending;
    }
    const [first, second] = handed;
    handover.release('a', first ?? []);
    expect(handover.isClaimed('a', { ...msg('same'), rowKey: messageRowKey(AT, 'same') })).toBe(true);
    handover.release('a', second ?? []);
    expect(handover.size).toBe(0);
  });
});
