import { describe, expect, it } from 'vitest';
import { UnseenWork } from './unseen-work.js';

describe('UnseenWork', () => {
  it('makes every cold load read Work until the start scan has finished', () => {
    const unseen = new UnseenWork();
    expect(unseen.mayHold('a')).toBe(true);
    unseen.scanned([]);
    expect(unseen.mayHold('a')).toBe(false);
  });

  it('keeps the instances the scan found until a load has read their partition', () => {
    const unseen = new UnseenWork();
    unseen.scanned(['a', 'b']);
    expect(unseen.mayHold('a')).toBe(true);
    expect(unseen.mayHold('c')).toBe(false);
    unseen.seen('a');
    expect(unseen.mayHold('a')).toBe(false);
    expect(unseen.mayHold('b')).toBe(true);
    expect(unseen.size).toBe(1);
  });

  it('suspects an instance whose turn failed until its partition is read again', () => {
    const unseen = new UnseenWork();
    unseen.scanned([]);
    unseen.suspect('x');
    expect(unseen.mayHold('x')).toBe(true);
    unseen.seen('x');
    expect(unseen.mayHold('x')).toBe(false);
  });
});
