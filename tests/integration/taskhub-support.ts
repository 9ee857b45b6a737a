/** Shared setup for the task hub store integration tests: a store on the run's Azurite and small history builders. */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import type { HistoryEvent } from '../../src/host/durable/core/history-event.js';
import { silentLogger } from '../../src/host/log/logger.js';
import { TaskHubStore } from '../../src/host/durable/store/index.js';

export const connectionString = (): string => inject('storageConnectionString');

export function openStore(hubName: string, partitionCount = 4): Promise<TaskHubStore> {
  return TaskHubStore.open({ connectionString: connectionString(), hubName, partitionCount, log: silentLogger });
}

export const newExecutionId = (): string => randomUUID().replaceAll('-', '');

/** A clock that moves 10 ms per call, so event times are distinct and ordered. */
export function ticker(start = Date.parse('2025-05-01T10:00:00.000Z')): () => string {
  let now = start;
  return () => new Date((now += 10)).toISOString();
}

/** The first episode of `HelloCities`: started, scheduled SayHello("Tokyo"). */
export function firstTurn(instanceId: string, executionId: string, at: () => string, input = '"Tokyo"'): HistoryEvent[] {
  return [
    { type: 'OrchestratorStarted', eventId: -1, isPlayed: false, timestamp: at() },
    { type: 'ExecutionStarted', eventId: -1, isPlayed: true, timestamp: at(), name: 'HelloCities', version: '', input, instanceId, executionId, generation: 0 },
    { type: 'TaskScheduled', eventId: 0, isPlayed: false, timestamp: at(), name: 'SayHello', version: '', input: '["Tokyo"]' },
    { type: 'OrchestratorCompleted', eventId: -1, isPlayed: false, timestamp: at() },
  ];
}

/** The second episode: SayHello completed, a timer created, then a final result. */
export function secondTurn(at: () => string, result = '"Hello Tokyo!"'): HistoryEvent[] {
  const fireAt = new Date(Date.parse(at()) + 30_000).toISOString();
  return [
    { type: 'OrchestratorStarted', eventId: -1, isPlayed: false, timestamp: at() },
    { type: 'TaskCompleted', eventId: -1, isPlayed: true, timestamp: at(), taskScheduledId: 0, result },
    { type: 'TimerCreated', eventId: 1, isPlayed: false, timestamp: at(), fireAt },
    { type: 'OrchestratorCompleted', eventId: -1, isPlayed: false, timestamp: at() },
  ];
}

/** The third episode: the timer fired, an event arrived, the orchestration completed. */
export function finalTurn(at: () => string, fireAt: string, result = '"Hello Tokyo!"'): HistoryEvent[] {
  return [
    { type: 'OrchestratorStarted', eventId: -1, isPlayed: false, timestamp: at() },
    { type: 'TimerFired', eventId: -1, isPlayed: true, timestamp: at(), timerId: 1, fireAt },
    { type: 'EventRaised', eventId: -1, isPlayed: true, timestamp: at(), name: 'Approval', input: 'true' },
    { type: 'ExecutionCompleted', eventId: 2, isPlayed: false, timestamp: at(), orchestrationStatus: 'Completed', result },
    { type: 'OrchestratorCompleted', eventId: -1, isPlayed: false, timestamp: at() },
  ];
}
