import { describe, expect, it } from 'vitest';
import { durationMs, parseTimeSpan } from './timespan.js';

describe('parseTimeSpan', () => {
  it.each([
    ['00:00:02', 2_000],
    ['00:01', 60_000],
    ['01:30:00', 5_400_000],
    ['1.00:00', 86_400_000],
    ['2', 2 * 86_400_000],
    ['00:00:00.5', 500],
    ['-00:00:01', -1_000],
  ])('reads %s', (text, ms) => {
    expect(parseTimeSpan(text)).toBe(ms);
  });

  it.each(['', 'abc', '24:00:00', '00:60:00', '1:2:3:4', '00:00:02s'])('rejects %j', (text) => {
    expect(parseTimeSpan(text)).toBeUndefined();
  });

  it('takes host.json numbers as milliseconds', () => {
    expect(durationMs(1500)).toBe(1500);
    expect(durationMs('00:00:02')).toBe(2000);
  });
});
