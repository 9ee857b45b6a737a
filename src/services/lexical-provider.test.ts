import { describe, expect, it } from 'vitest';
import type { DecideInput } from '../domain/index.js';
import { LEXICAL_MODEL, LexicalProvider } from './lexical-provider.js';

const agent: DecideInput['agent'] = {
  id: 'ceo',
  name: 'Chief Executive',
  role: 'leadership',
  purpose: { statement: 'Strategic oversight and company growth', scope: 'Strategic planning, major decisions', successCriteria: ['Revenue growth'] },
  goals: [{ id: 'g1', description: 'Expand the sales team', progress: 0.2 }],
  memorySummary: '',
};

function input(data: unknown, type = 'note'): DecideInput {
  return { agent, event: { id: 'e1', type, source: 'test', time: '2025-01-01T00:00:00.000Z', data } };
}

describe('LexicalProvider', () => {
  const provider = new LexicalProvider();

  it('handles an event that overlaps the purpose and labels the answer lexical', async () => {
    const i = input({ text: 'Quarterly planning for revenue growth' });
    const answer = await provider.run(provider.prepare(i), i);
    expect(answer.action).toBe('handle:note');
    expect(answer.provider).toBe('lexical');
    expect(answer.model).toBe(LEXICAL_MODEL);
    expect(answer.rationale).toMatch(/not a language model/);
    expect(answer.alignment.score).toBeGreaterThan(0.1);
    expect(answer.alignment.reasons.join(' ')).toMatch(/growth/);
  });

  it('defers an event with nothing in common with the purpose', async () => {
    const i = input('the cafeteria menu changes on friday');
    const answer = await provider.run(provider.prepare(i), i);
    expect(answer.action).toBe('defer:note');
    expect(answer.alignment.score).toBe(0);
  });

  it('chooses among the options of an event by alignment', async () => {
    const i = input({ options: ['Repaint the lobby', 'Grow the sales team for revenue growth'] }, 'decision.requested');
    const answer = await provider.run(provider.prepare(i), i);
    expect(answer.action).toBe('Grow the sales team for revenue growth');
    expect(answer.rationale).toMatch(/"Repaint the lobby" 0\.00/);
  });

  it('counts the active goals as success criteria', async () => {
    const i = input('expand sales');
    const answer = await provider.run(provider.prepare(i), i);
    expect(answer.alignment.reasons.join(' ')).toMatch(/Expand the sales team/);
  });

  it('prepares the same request for the same input, so it can be cached', () => {
    expect(provider.prepare(input('x'))).toEqual(provider.prepare(input('x')));
    expect(provider.prepare(input('x')).prompt).not.toBe(provider.prepare(input('y')).prompt);
  });

  it('counts words as tokens', async () => {
    const i = input('growth');
    const answer = await provider.run(provider.prepare(i), i);
    expect(answer.tokensIn).toBeGreaterThan(5);
    expect(answer.tokensOut).toBe(1);
  });
});
