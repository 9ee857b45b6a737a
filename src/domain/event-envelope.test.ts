import { describe, expect, it } from 'vitest';
import { AgentIdSchema, agentEntityInstanceId, agentIdOfLoopInstance, agentLoopInstanceId } from './agent-id.js';
import { EventEnvelopeInputSchema, completeEnvelope, envelopeBytes } from './event-envelope.js';

describe('event envelope', () => {
  it('fills id and time when missing and keeps given ones', () => {
    const deps = { now: () => new Date('2025-02-03T04:05:06.000Z'), newId: () => 'generated' };
    const input = EventEnvelopeInputSchema.parse({ type: 'order.created', source: 'shop' });
    expect(completeEnvelope(input, deps)).toEqual({ id: 'generated', time: '2025-02-03T04:05:06.000Z', type: 'order.created', source: 'shop', data: null });
    const given = EventEnvelopeInputSchema.parse({ id: 'e1', time: '2024-01-01T00:00:00Z', type: 't', source: 's', data: { a: 1 } });
    expect(completeEnvelope(given, deps)).toMatchObject({ id: 'e1', time: '2024-01-01T00:00:00Z', data: { a: 1 } });
  });

  it('rejects an envelope without type or source, or with a bad time', () => {
    expect(EventEnvelopeInputSchema.safeParse({ source: 's' }).success).toBe(false);
    expect(EventEnvelopeInputSchema.safeParse({ type: 't' }).success).toBe(false);
    expect(EventEnvelopeInputSchema.safeParse({ type: 't', source: 's', time: 'yesterday' }).success).toBe(false);
  });

  it('measures the UTF-8 size of the JSON', () => {
    expect(envelopeBytes({ a: 'é' })).toBe(10);
  });
});

describe('agent ids', () => {
  it('accepts lower-case letters, digits and dashes of 2 to 63 characters', () => {
    for (const ok of ['ab', 'ceo', 'agent-7', 'a'.repeat(63)]) expect(AgentIdSchema.safeParse(ok).success).toBe(true);
    for (const bad of ['a', 'A1', 'with_underscore', '-lead', 'trail-', 'a'.repeat(64), 'has space', 'x:1']) expect(AgentIdSchema.safeParse(bad).success).toBe(false);
  });

  it('derives the entity and loop instance ids', () => {
    expect(agentEntityInstanceId('ceo')).toBe('@agent@ceo');
    expect(agentLoopInstanceId('ceo')).toBe('agent-ceo');
    expect(agentIdOfLoopInstance('agent-ceo')).toBe('ceo');
    expect(agentIdOfLoopInstance('other-ceo')).toBeUndefined();
  });
});
