import { describe, expect, it } from 'vitest';
import { timerFiredMessage } from './timer-fired.js';

const NOW = new Date('2026-01-01T00:00:10.000Z');

describe('timerFiredMessage', () => {
  it('addresses an orchestration timer to the execution that created it', () => {
    const message = timerFiredMessage({ instanceId: 'orch-1', executionId: 'e1', timerId: 3, fireAt: '2026-01-01T00:00:05.000Z' }, NOW);
    expect(message).toEqual({
      messageId: 'orch-1|e1|3|fired',
      targetInstanceId: 'orch-1',
      targetExecutionId: 'e1',
      event: { type: 'TimerFired', eventId: -1, isPlayed: false, timestamp: NOW.toISOString(), timerId: 3, fireAt: '2026-01-01T00:00:05.000Z' },
    });
  });

  it('addresses an entity timer to the entity, whatever execution set it, with the fire time in its id', () => {
    const early = timerFiredMessage({ instanceId: '@counter@k', executionId: 'turn-exec', timerId: 7, fireAt: '2026-01-01T00:00:05.000Z' }, NOW);
    const late = timerFiredMessage({ instanceId: '@counter@k', executionId: 'turn-exec', timerId: 7, fireAt: '2026-01-01T00:00:06.000Z' }, NOW);
    expect(early.targetExecutionId).toBeUndefined();
    expect(early.targetInstanceId).toBe('@counter@k');
    expect(early.messageId).not.toBe(late.messageId);
  });
});
