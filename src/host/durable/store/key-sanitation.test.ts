import { describe, expect, it } from 'vitest';
import {
  activityRowKey,
  escapePartitionKey,
  historyRowKey,
  messageRowKey,
  parseHistoryRowKey,
  prefixUpperBound,
  timerPartitionKey,
  timerRowKey,
  timerRowKeyInstance,
  unescapePartitionKey,
} from './key-sanitation.js';

describe('partition key sanitation', () => {
  it('escapes the characters DTFx KeySanitation escapes', () => {
    expect(escapePartitionKey('a^b/c\\d#e?f')).toBe('a^^b^0c^1d^2e^3f');
    expect(escapePartitionKey('\u0000\u001f\u007f\u009f')).toBe('^\u00c0^\u00df^\u013f^\u015f');
  });

  it('leaves ordinary ids and entity ids unchanged', () => {
    expect(escapePartitionKey('hello-001')).toBe('hello-001');
    expect(escapePartitionKey('@counter@k1:x|y')).toBe('@counter@k1:x|y');
  });

  it('unescapes what it escaped', () => {
    for (const id of ['^', '^^0', 'a/b', '\\#?', 'x\u0001y\u0085', 'plain', '^0^1']) expect(unescapePartitionKey(escapePartitionKey(id))).toBe(id);
  });

  it('produces keys without characters Azure Tables forbids', () => {
    expect(escapePartitionKey('a/b\\c#d?e\u0007')).not.toMatch(/[/\\#?\u0000-\u001f\u007f-\u009f]/);
  });
});

describe('history row keys', () => {
  it('are 16 upper-case hex digits', () => {
    expect(historyRowKey(0)).toBe('0000000000000000');
    expect(historyRowKey(10)).toBe('000000000000000A');
    expect(historyRowKey(255)).toBe('00000000000000FF');
  });

  it('sort in event order and before the sentinel', () => {
    const keys = [0, 9, 10, 15, 16, 255, 4096].map(historyRowKey);
    expect([...keys, 'sentinel'].sort()).toEqual([...keys, 'sentinel']);
  });

  it('parse back, and the sentinel does not parse', () => {
    expect(parseHistoryRowKey('000000000000000A')).toBe(10);
    expect(parseHistoryRowKey('sentinel')).toBeUndefined();
    expect(parseHistoryRowKey('000000000000000a')).toBeUndefined();
  });

  it('refuse negative or fractional indexes', () => {
    expect(() => historyRowKey(-1)).toThrow(RangeError);
    expect(() => historyRowKey(1.5)).toThrow(RangeError);
  });
});

describe('work and timer keys', () => {
  it('builds message keys from the event time and the escaped message id', () => {
    expect(messageRowKey('2025-05-01T10:00:00.000Z', 'a/b|e1|3')).toBe('m-1746093600000-a^0b|e1|3');
    expect(messageRowKey('1970-01-01T00:00:01.000Z', 'x')).toBe('m-0000000001000-x');
  });

  it('sorts message keys by enqueue time', () => {
    const early = messageRowKey('2001-01-01T00:00:00.000Z', 'z');
    const late = messageRowKey('2025-01-01T00:00:00.000Z', 'a');
    expect([late, early].sort()).toEqual([early, late]);
  });

  it('builds activity keys with an 8-digit task id', () => {
    expect(activityRowKey('abc', 42)).toBe('a-abc-00000042');
  });

  it('builds fixed-width timer partition keys that sort by fire time', () => {
    expect(timerPartitionKey('2025-05-01T10:00:30.91Z')).toBe('2025-05-01T10:00:30.910Z');
    const keys = ['2025-05-01T10:00:00Z', '2024-12-31T23:59:59.999Z'].map(timerPartitionKey);
    expect([...keys].sort()).toEqual([keys[1], keys[0]]);
  });

  it('recovers the instance of a timer key even when the id contains the separator', () => {
    const key = timerRowKey('a|b', 'exec', 7);
    expect(key).toBe('a|b|exec|7');
    expect(timerRowKeyInstance(key)).toBe('a|b');
    expect(timerRowKeyInstance(timerRowKey('a', 'exec', 7))).toBe('a');
  });

  it('computes the upper bound of a key prefix', () => {
    expect(prefixUpperBound('@counter@')).toBe('@counterA');
    expect('@counter@zzz' < prefixUpperBound('@counter@')).toBe(true);
  });
});
