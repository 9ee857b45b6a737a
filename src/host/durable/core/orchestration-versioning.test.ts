import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from './history-event.js';
import { checkVersion, compareVersions, VERSION_MISMATCH_MESSAGE, versionVerdict, type VersioningSettings } from './orchestration-versioning.js';

describe('compareVersions', () => {
  it('treats empty and blank versions as equal and older than any version', () => {
    expect(compareVersions('', undefined)).toBe(0);
    expect(compareVersions('  ', '')).toBe(0);
    expect(compareVersions('', '1.0')).toBe(-1);
    expect(compareVersions('v1', '')).toBe(1);
  });

  it('compares System.Version strings part by part, a missing part older than zero', () => {
    expect(compareVersions('1.0', '2.0')).toBe(-1);
    expect(compareVersions('1.10', '1.9')).toBe(1);
    expect(compareVersions('2.0.0', '2.0.0')).toBe(0);
    expect(compareVersions('1.0', '1.0.0')).toBe(-1);
    expect(compareVersions('1.2.3.4', '1.2.3')).toBe(1);
    expect(compareVersions(' 1 . 2 ', '1.2')).toBe(0);
  });

  it('falls back to ordinal case-insensitive text for anything else', () => {
    expect(compareVersions('V1-release', 'v1-RELEASE')).toBe(0);
    expect(compareVersions('10', '9')).toBe(-1);
    expect(compareVersions('2025-01-01', '2024-12-31')).toBe(1);
    expect(compareVersions('1.0', 'v2')).toBe(-1);
    expect(compareVersions('1.0.0.0.0', '1.0')).toBe(1);
  });
});

describe('versionVerdict', () => {
  const settings = (over: Partial<VersioningSettings>): VersioningSettings => ({ defaultVersion: '2.0', versionMatchStrategy: 'CurrentOrOlder', versionFailureStrategy: 'Reject', ...over });

  it('runs everything when no defaultVersion is configured or the strategy is None', () => {
    expect(versionVerdict('9.0', settings({ defaultVersion: undefined }))).toBe('run');
    expect(versionVerdict('9.0', settings({ defaultVersion: '' }))).toBe('run');
    expect(versionVerdict('9.0', settings({ versionMatchStrategy: 'None' }))).toBe('run');
  });

  it('runs the current and older versions under CurrentOrOlder and rejects newer ones', () => {
    expect(versionVerdict('2.0', settings({}))).toBe('run');
    expect(versionVerdict('1.0', settings({}))).toBe('run');
    expect(versionVerdict('', settings({}))).toBe('run');
    expect(versionVerdict('2.1', settings({}))).toBe('reject');
  });

  it('runs only the same version under Strict and fails others under Fail', () => {
    expect(versionVerdict('2.0', settings({ versionMatchStrategy: 'Strict', versionFailureStrategy: 'Fail' }))).toBe('run');
    expect(versionVerdict('1.0', settings({ versionMatchStrategy: 'Strict', versionFailureStrategy: 'Fail' }))).toBe('fail');
    expect(versionVerdict('', settings({ versionMatchStrategy: 'Strict' }))).toBe('reject');
  });
});

describe('checkVersion', () => {
  const base = { eventId: -1, isPlayed: false };
  const history: HistoryEvent[] = [
    { ...base, type: 'OrchestratorStarted', timestamp: '2024-01-01T00:00:05.000Z' },
    {
      ...base,
      type: 'ExecutionStarted',
      timestamp: '2024-01-01T00:00:00.000Z',
      name: 'Child',
      version: '1.0',
      instanceId: 'c',
      executionId: 'e',
      parent: { name: 'Parent', version: '1.0', taskScheduleId: 3, instanceId: 'p', executionId: 'pe' },
    },
  ];

  it('fails the execution with the DTFx failure and notifies the parent', () => {
    const check = checkVersion(history, { defaultVersion: '2.0', versionMatchStrategy: 'Strict', versionFailureStrategy: 'Fail' }, new Date('2024-01-01T00:00:06.000Z'));
    if (check.verdict !== 'fail') throw new Error(`expected fail, got ${check.verdict}`);
    expect(check.decision.runtimeStatus).toBe('Failed');
    expect(check.decision.output).toBe(VERSION_MISMATCH_MESSAGE);
    expect(check.decision.appended[0]).toMatchObject({
      type: 'ExecutionCompleted',
      orchestrationStatus: 'Failed',
      timestamp: '2024-01-01T00:00:05.000Z',
      failureDetails: { errorType: 'VersionMismatch', errorMessage: VERSION_MISMATCH_MESSAGE, isNonRetriable: true },
    });
    expect(check.decision.work).toMatchObject([{ kind: 'message', message: { targetInstanceId: 'p', targetExecutionId: 'pe', event: { type: 'SubOrchestrationInstanceFailed', taskScheduledId: 3, reason: VERSION_MISMATCH_MESSAGE } } }]);
  });

  it('rejects with the instance version, and runs a history that has no start yet', () => {
    expect(checkVersion(history, { defaultVersion: '0.9', versionMatchStrategy: 'CurrentOrOlder', versionFailureStrategy: 'Reject' }, new Date())).toEqual({ verdict: 'reject', version: '1.0' });
    expect(checkVersion(history.slice(0, 1), { defaultVersion: '0.9', versionMatchStrategy: 'Strict', versionFailureStrategy: 'Fail' }, new Date())).toEqual({ verdict: 'run' });
  });
});
