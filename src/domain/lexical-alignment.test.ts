import { describe, expect, it } from 'vitest';
import type { Purpose } from './agent-context.js';
import { chooseOption, evaluateAlignment, overlap, stem, terms } from './lexical-alignment.js';

const ceo: Purpose = {
  statement: 'Strategic oversight and company growth',
  scope: 'Strategic planning, major decisions',
  successCriteria: ['Revenue growth', 'Team expansion'],
};

describe('lexical alignment', () => {
  it('tokenizes into lower-case stemmed terms without stop words', () => {
    expect(terms('The Planning of Growing companies, and THE decisions!')).toEqual(['plan', 'grow', 'company', 'decision']);
    expect(terms('')).toEqual([]);
    expect(terms('Ünïcode café 2025')).toEqual(['ünïcode', 'café', '2025']);
  });

  it('stems only when at least three characters remain', () => {
    expect(stem('growing')).toBe('grow');
    expect(stem('bed')).toBe('bed');
    expect(stem('companies')).toBe('company');
    expect(stem('glass')).toBe('glass');
    expect(stem('planning')).toBe(stem('plans'));
  });

  it('scores an unrelated action zero and says why', () => {
    const r = evaluateAlignment('paint the fence blue', ceo);
    expect(r).toEqual({ method: 'lexical', score: 0, matched: [], reasons: ['no terms in common with the purpose, scope or success criteria'] });
  });

  it('scores an action that repeats the purpose statement higher than one touching it once', () => {
    const strong = evaluateAlignment('strategic oversight of company growth', ceo);
    const weak = evaluateAlignment('hire a designer for company events', ceo);
    expect(strong.score).toBeGreaterThan(weak.score);
    expect(strong.score).toBeGreaterThan(0);
    expect(strong.score).toBeLessThanOrEqual(1);
  });

  it('names the matching terms per purpose part as reasons', () => {
    const r = evaluateAlignment('Plan revenue growth for the next quarter', ceo);
    expect(r.matched).toEqual(['growth', 'plan', 'revenue']);
    expect(r.reasons).toEqual(['matches purpose statement on: growth', 'matches scope on: plan', 'matches success criterion "Revenue growth" on: growth, revenue']);
  });

  it('gives the same score for the same input every time', () => {
    const a = evaluateAlignment('expand the team for strategic planning', ceo);
    const b = evaluateAlignment('expand the team for strategic planning', ceo);
    expect(a).toEqual(b);
  });

  it('gives 1 when the action equals a purpose with only a statement', () => {
    expect(evaluateAlignment('keep systems up', { statement: 'Keep systems up', scope: '', successCriteria: [] }).score).toBe(1);
  });

  it('scores 0 against an empty purpose', () => {
    expect(evaluateAlignment('anything', { statement: '', scope: '', successCriteria: [] }).score).toBe(0);
  });

  it('chooses the option most aligned with the purpose', () => {
    const r = chooseOption(['Throw a party', 'Invest in revenue growth', 'Reorganize the archive'], ceo);
    expect(r.choice).toBe('Invest in revenue growth');
    expect(r.index).toBe(1);
    expect(r.scores).toHaveLength(3);
    expect(r.scores[0]).toBe(0);
  });

  it('breaks ties in favour of the earlier option', () => {
    expect(chooseOption(['lunch', 'dinner'], ceo).index).toBe(0);
  });

  it('refuses to choose among no options', () => {
    expect(() => chooseOption([], ceo)).toThrow(RangeError);
  });

  it('measures overlap as cosine over term sets', () => {
    expect(overlap(new Set(['a', 'b']), new Set(['b', 'c', 'd', 'e']))).toEqual({ score: 1 / Math.sqrt(8), shared: ['b'] });
    expect(overlap(new Set(), new Set(['a']))).toEqual({ score: 0, shared: [] });
  });
});
