import { describe, expect, it } from 'vitest';
import { PolicyInvalidError } from './governance-errors.js';
import { evaluatePolicies, validatePolicy } from './policy-evaluate.js';
import { PolicyDocumentSchema, type PolicyDocumentInput, type PolicyFactsInput } from './policy-schema.js';

const policy = (doc: PolicyDocumentInput) => PolicyDocumentSchema.parse(doc);
const facts = (over: Partial<PolicyFactsInput> = {}): PolicyFactsInput => ({
  stage: 'inference',
  agent: { id: 'cfo', name: 'CFO', role: 'finance', policies: ['finance'] },
  event: { id: 'e1', type: 'wire-transfer', source: 'bank', data: { amount: 5000 } },
  time: '2025-01-01T00:00:00.000Z',
  ...over,
});

const finance = policy({
  id: 'finance',
  rules: [
    { id: 'big-wires', when: 'event.type == "wire-transfer" && event.data.amount > 10000', effect: 'deny', reason: 'wires over 10k are forbidden' },
    { id: 'wires', when: 'event.type == "wire-transfer"', effect: 'require-approval', reason: 'wires need a human', approval: { timeoutSeconds: 60, onTimeout: 'escalate' } },
  ],
});

describe('policy evaluation', () => {
  it('allows when no rule matches', () => {
    expect(evaluatePolicies([finance], facts({ event: { type: 'memo', data: 'hello' } }))).toEqual({ type: 'allow', matched: [] });
  });

  it('requires approval with the rule timeout and on-timeout action', () => {
    expect(evaluatePolicies([finance], facts())).toEqual({ type: 'require-approval', policyId: 'finance', ruleId: 'wires', reason: 'wires need a human', timeoutSeconds: 60, onTimeout: 'escalate', matched: ['finance/wires'] });
  });

  it('lets deny win over require-approval', () => {
    const v = evaluatePolicies([finance], facts({ event: { type: 'wire-transfer', data: { amount: 20000 } } }));
    expect(v).toMatchObject({ type: 'deny', ruleId: 'big-wires', reason: 'wires over 10k are forbidden', matched: ['finance/big-wires', 'finance/wires'] });
  });

  it('ignores listed policies the agent does not list, and disabled ones', () => {
    expect(evaluatePolicies([finance], facts({ agent: { id: 'x', name: 'X', role: '', policies: [] } })).type).toBe('allow');
    expect(evaluatePolicies([{ ...finance, enabled: false }], facts()).type).toBe('allow');
  });

  it('applies global policies to every agent', () => {
    const global = policy({ id: 'no-secrets', scope: 'global', rules: [{ id: 'r', when: 'stage == "memory-write" && action.action.contains("secret")', effect: 'deny', reason: 'no secrets in memory' }] });
    const f = facts({ stage: 'memory-write', agent: { id: 'x', name: 'X', role: '', policies: [] }, action: { action: 'store secret' } });
    expect(evaluatePolicies([global], f)).toMatchObject({ type: 'deny', policyId: 'no-secrets' });
  });

  it('only looks at rules for the step stage', () => {
    const messages = policy({ id: 'quiet', scope: 'global', rules: [{ id: 'r', stages: ['message'], effect: 'deny', reason: 'no messages' }] });
    expect(evaluatePolicies([messages], facts()).type).toBe('allow');
    expect(evaluatePolicies([messages], facts({ stage: 'message' })).type).toBe('deny');
  });

  it('lets has() guard optional data, also on an event without data', () => {
    const guarded = policy({ id: 'guarded', scope: 'global', rules: [{ id: 'r', when: 'has(event.data.secret)', effect: 'deny', reason: 'no secrets' }] });
    expect(evaluatePolicies([guarded], facts({ event: { id: 'e', type: 't', source: 's' } })).type).toBe('allow');
    expect(evaluatePolicies([guarded], facts({ event: { type: 't', data: 'text' } })).type).toBe('allow');
    expect(evaluatePolicies([guarded], facts({ event: { type: 't', data: { secret: 'x' } } })).type).toBe('deny');
  });

  it('denies when a condition cannot be evaluated (fail closed)', () => {
    const strict = policy({ id: 'strict', scope: 'global', rules: [{ id: 'r', when: 'event.data.missing > 1', effect: 'allow', reason: 'fine' }] });
    expect(evaluatePolicies([strict], facts())).toMatchObject({ type: 'deny', reason: expect.stringContaining('failed to evaluate') });
  });

  it('refuses a policy whose condition does not parse', () => {
    expect(() => validatePolicy(policy({ id: 'broken', rules: [{ id: 'r', when: 'event.type ==', effect: 'deny', reason: 'x' }] }))).toThrow(PolicyInvalidError);
    expect(() => validatePolicy(finance)).not.toThrow();
  });
});
