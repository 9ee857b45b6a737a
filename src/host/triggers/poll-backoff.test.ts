import { describe, expect, it } from 'vitest';
import { nextPollDelay } from './poll-backoff.js';

const noJitter = () => 0.5;

describe('nextPollDelay', () => {
  it('polls again at once while messages come', () => {
    expect(nextPollDelay(30_000, true, 60_000, noJitter)).toBe(0);
  });

  it('doubles the wait on each empty poll from about 200 ms, up to the maximum', () => {
    const delays: number[] = [];
    let d = 0;
    for (let i = 0; i < 12; i++) delays.push((d = nextPollDelay(d, false, 2_000, noJitter)));
    expect(delays.slice(0, 5)).toEqual([200, 400, 800, 1600, 2000]);
    expect(delays.every((x) => x <= 2_000)).toBe(true);
  });

  it('randomises the wait by at most 20 percent', () => {
    expect(nextPollDelay(1_000, false, 60_000, () => 0)).toBe(1_600);
    expect(nextPollDelay(1_000, false, 60_000, () => 1)).toBe(2_400);
  });

  it('starts over after messages were found', () => {
    const afterMessages = nextPollDelay(60_000, true, 60_000, noJitter);
    expect(nextPollDelay(afterMessages, false, 60_000, noJitter)).toBe(200);
  });
});
