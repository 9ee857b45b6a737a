import { describe, expect, it } from 'vitest';
import { AosError, serializeError } from './aos-error.js';
import { LifecycleTransitionError, MailboxFullError } from './errors.js';
import { UnknownAgentsError } from './messaging-errors.js';

describe('aosErrorClass', () => {
  it('keeps each constructor argument as a field and as details, under the subclass name and code', () => {
    const err = new LifecycleTransitionError('a-1', 'sleeping', 'gone');
    expect(err).toBeInstanceOf(LifecycleTransitionError);
    expect(err).toBeInstanceOf(AosError);
    expect([err.agentId, err.from, err.to]).toEqual(['a-1', 'sleeping', 'gone']);
    expect({ name: err.name, code: err.code, kind: err.kind, retryable: err.retryable }).toEqual({ name: 'LifecycleTransitionError', code: 'LIFECYCLE_TRANSITION_INVALID', kind: 'conflict', retryable: false });
    expect(serializeError(err)).toEqual({ name: 'LifecycleTransitionError', code: 'LIFECYCLE_TRANSITION_INVALID', message: 'agent a-1 cannot go from sleeping to gone', details: { agentId: 'a-1', from: 'sleeping', to: 'gone' } });
  });

  it('marks a class retryable only when its declaration says so', () => {
    const full = new MailboxFullError('a-2', 10);
    expect(full.retryable).toBe(true);
    expect(full.message).toBe('the mailbox of agent a-2 is full (10 events)');
    expect(new UnknownAgentsError(['x', 'y']).retryable).toBe(false);
  });

  it('builds the message from the arguments in order', () => {
    const err = new UnknownAgentsError(['x', 'y']);
    expect(err.message).toBe('unknown agents: x, y');
    expect(err.details).toEqual({ agentIds: ['x', 'y'] });
  });
});
