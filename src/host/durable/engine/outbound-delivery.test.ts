import { describe, expect, it } from 'vitest';
import type { InstanceMessage } from '../core/work.js';
import { dropsRedelivery } from './outbound-delivery.js';

const T = '2024-01-01T00:00:00.000Z';
const raised = (target: string, sender: string | undefined, name = 'op'): InstanceMessage => ({
  messageId: `${sender ?? 'client'}|e|1`,
  targetInstanceId: target,
  event: { type: 'EventRaised', eventId: -1, isPlayed: false, timestamp: T, name, input: '{}' },
  ...(sender === undefined ? {} : { sender }),
});

describe('dropsRedelivery', () => {
  it('holds for what instances send to entities and for entity answers to orchestrations', () => {
    expect(dropsRedelivery(raised('@counter@k', 'orch-1'))).toBe(true);
    expect(dropsRedelivery(raised('@counter@k', '@other@x'))).toBe(true);
    expect(dropsRedelivery(raised('orch-1', '@counter@k', 'a-request-id'))).toBe(true);
  });

  it('does not hold for messages between orchestrations or without a sender', () => {
    // An orchestration applies every EventRaised it gets from another orchestration, so a re-sent
    // one would be applied twice: it waits for the sender's post-commit.
    expect(dropsRedelivery(raised('orch-2', 'orch-1', 'go'))).toBe(false);
    // The entity's own continue marker carries no sender.
    expect(dropsRedelivery(raised('@counter@k', undefined, 'aos-continue'))).toBe(false);
    const completion: InstanceMessage = { messageId: 'c', targetInstanceId: 'parent', sender: '@counter@k', event: { type: 'TaskCompleted', eventId: -1, isPlayed: false, timestamp: T, taskScheduledId: 1 } };
    expect(dropsRedelivery(completion)).toBe(false);
  });
});
