import { describe, expect, it } from 'vitest';
import { InstanceIdSchema, NewOrchestrationIdSchema, lookupInstanceIdProblem, newOrchestrationIdProblem } from './instance-id.js';

describe('newOrchestrationIdProblem', () => {
  it('accepts ordinary ids, including dashes, dots, colons and spaces', () => {
    for (const id of ['abc', 'order-42', 'a.b:c', 'with space', 'x'.repeat(256), 'ünïcode']) {
      expect(newOrchestrationIdProblem(id)).toBeUndefined();
    }
  });

  it.each([
    ['a/b', "'/'"],
    ['a\\b', "'\\'"],
    ['a#b', "'#'"],
    ['a?b', "'?'"],
    ['a^b', "'^'"],
    ['a\nb', 'U+000a'],
    ['a\u0000b', 'U+0000'],
    ['a\u0085b', 'U+0085'],
  ])('refuses %j and names the offending character', (id, shown) => {
    expect(newOrchestrationIdProblem(id)).toContain(shown);
  });

  it('refuses ids starting with @, which are reserved for entities', () => {
    expect(newOrchestrationIdProblem('@counter@k')).toMatch(/must not start with @/);
  });

  it('refuses empty ids and ids longer than 256 characters', () => {
    expect(newOrchestrationIdProblem('')).toMatch(/empty/);
    expect(newOrchestrationIdProblem('x'.repeat(257))).toMatch(/256 characters \(got 257\)/);
  });

  it('reports the problem as the zod issue message', () => {
    const parsed = NewOrchestrationIdSchema.safeParse('a/b');
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/must not contain/);
  });
});

describe('lookupInstanceIdProblem', () => {
  it('accepts entity scheduler ids and ids with ^', () => {
    expect(lookupInstanceIdProblem('@counter@k1')).toBeUndefined();
    expect(InstanceIdSchema.safeParse('a^b').success).toBe(true);
  });

  it('refuses empty, over-long and control-character ids', () => {
    expect(lookupInstanceIdProblem('')).toBeDefined();
    expect(lookupInstanceIdProblem('x'.repeat(257))).toBeDefined();
    expect(lookupInstanceIdProblem('a\tb')).toBeDefined();
  });
});
