import { describe, expect, it } from 'vitest';
import type { Memory } from './agent-context.js';
import { clip, foldSummary, remember } from './agent-memory.js';

const empty: Memory = { recent: [], summary: '', total: 0, transcript: { container: 'c', prefix: 'a/' } };

describe('agent memory', () => {
  it('keeps the newest entries in recent and folds older ones into the summary', () => {
    let m = empty;
    for (let i = 0; i < 5; i += 1) m = remember(m, { at: `2025-01-01T00:00:0${i}.000Z`, kind: 'note', text: `note ${i}` }, { recent: 3 });
    expect(m.recent.map((e) => e.text)).toEqual(['note 2', 'note 3', 'note 4']);
    expect(m.summary.split('\n')).toEqual(['[2025-01-01T00:00 note] note 0', '[2025-01-01T00:00 note] note 1']);
    expect(m.total).toBe(5);
  });

  it('trims the summary from the front at a line boundary', () => {
    const s = foldSummary('old line one\nold line two', ['new line'], 20);
    expect(s).toBe('new line');
    expect(foldSummary('abc', ['def'], 100)).toBe('abc\ndef');
  });

  it('clips long text with an ellipsis and flattens whitespace', () => {
    expect(clip('a  b\n c', 10)).toBe('a b c');
    expect(clip('abcdefghij', 5)).toBe('abcd…');
  });
});
