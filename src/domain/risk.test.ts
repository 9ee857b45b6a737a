import { describe, expect, it } from 'vitest';
import { RiskTransitionError } from './governance-errors.js';
import { RiskCreateSchema, createRisk, riskLevel, riskScore, updateRisk } from './risk.js';

describe('risk registry rules', () => {
  it('maps likelihood x impact to levels at the documented thresholds', () => {
    expect(riskLevel(0, 1)).toBe('low');
    expect(riskLevel(0.39, 0.4)).toBe('low');
    expect(riskLevel(0.4, 0.4)).toBe('medium');
    expect(riskLevel(0.6, 0.6)).toBe('high');
    expect(riskLevel(0.8, 0.8)).toBe('critical');
    expect(riskLevel(1, 1)).toBe('critical');
    expect(riskScore(0.8, 0.8)).toBe(0.64);
  });

  it('moves open -> mitigating -> closed and records each transition', () => {
    const risk = createRisk('r1', RiskCreateSchema.parse({ title: 'Data leak', likelihood: 0.5, impact: 0.9 }), 't0');
    expect(risk).toMatchObject({ status: 'open', level: 'high', score: 0.45 });
    const mitigating = updateRisk(risk, { status: 'mitigating', by: 'alice', likelihood: 0.2 }, 't1');
    expect(mitigating).toMatchObject({ status: 'mitigating', level: 'medium' });
    const closed = updateRisk(mitigating, { status: 'closed', by: 'alice' }, 't2');
    expect(closed.history.map((h) => `${h.from}->${h.to}`)).toEqual(['open->mitigating', 'mitigating->closed']);
  });

  it('refuses an illegal transition', () => {
    const risk = createRisk('r1', RiskCreateSchema.parse({ title: 'x', likelihood: 0.1, impact: 0.1 }), 't0');
    expect(() => updateRisk(risk, { status: 'closed', by: 'bob' }, 't1')).toThrow(RiskTransitionError);
    const accepted = updateRisk(risk, { status: 'accepted', by: 'bob' }, 't1');
    expect(() => updateRisk(accepted, { status: 'mitigating', by: 'bob' }, 't2')).toThrow(RiskTransitionError);
  });

  it('links decisions without duplicates', () => {
    const risk = createRisk('r1', RiskCreateSchema.parse({ title: 'x', likelihood: 0.1, impact: 0.1, decisionIds: ['ceo/d1'] }), 't0');
    expect(updateRisk(risk, { linkDecisions: ['ceo/d1', 'ceo/d2'], by: 'bob' }, 't1').decisionIds).toEqual(['ceo/d1', 'ceo/d2']);
  });
});
