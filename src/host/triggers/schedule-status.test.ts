import { describe, expect, it } from 'vitest';
import { checkPastDue, RunReason, ScheduleStatusWireSchema, statusAfterRun, toStatusWire } from './schedule-status.js';
import { parseSchedule } from './timer-schedule.js';

const hourly = parseSchedule('0 0 * * * *');
const local = (h: number, mi = 0, s = 0) => new Date(2024, 2, 1, h, mi, s);

describe('checkPastDue', () => {
  it('records the first Next of a new timer without running it', () => {
    const check = checkPastDue(hourly, undefined, local(10, 30));
    expect(check).toEqual({ status: { last: undefined, next: local(11), lastUpdated: local(10, 30) }, pastDueMs: 0, changed: true });
  });

  it('finds an occurrence missed while no host ran', () => {
    const stored = { last: local(8), next: local(9), lastUpdated: local(8) };
    const check = checkPastDue(hourly, stored, local(10, 30));
    expect(check.pastDueMs).toBe(90 * 60_000);
    expect(check.changed).toBe(false);
    expect(check.status).toBe(stored);
  });

  it('is not past due while Next is still ahead', () => {
    const check = checkPastDue(hourly, { last: local(10), next: local(11), lastUpdated: local(10) }, local(10, 30));
    expect(check.pastDueMs).toBe(0);
  });

  it('treats a Next that does not follow from Last as a schedule edit, not a missed run', () => {
    const stored = { last: local(8), next: local(8, 30), lastUpdated: local(8) };
    const check = checkPastDue(hourly, stored, local(10, 30));
    expect(check).toEqual({ status: { last: undefined, next: local(11), lastUpdated: local(10, 30) }, pastDueMs: 0, changed: true });
  });
});

describe('statusAfterRun', () => {
  it('counts a scheduled run that fired early as its scheduled time', () => {
    const status = statusAfterRun(hourly, { last: local(9), next: local(10), lastUpdated: local(9) }, local(9, 59, 59), RunReason.Schedule, local(10, 0, 1));
    expect(status).toEqual({ last: local(10), next: local(11), lastUpdated: local(10) });
  });

  it('skips occurrences that came while the run was still running', () => {
    const status = statusAfterRun(hourly, { last: local(9), next: local(10), lastUpdated: local(9) }, local(10), RunReason.Schedule, local(12, 15));
    expect(status).toEqual({ last: local(12), next: local(13), lastUpdated: local(12) });
  });

  it('records a past-due run at the time it ran', () => {
    const status = statusAfterRun(hourly, { last: local(8), next: local(9), lastUpdated: local(8) }, local(10, 30), RunReason.PastDue, local(10, 30, 2));
    expect(status).toEqual({ last: local(10, 30), next: local(11), lastUpdated: local(10, 30) });
  });
});

describe('ScheduleStatusWireSchema', () => {
  it('reads what it writes, with the host\'s DateTime.MinValue for "never"', () => {
    const status = { last: undefined, next: local(11), lastUpdated: new Date(2024, 2, 1, 10, 30, 0, 250) };
    const wire = toStatusWire(status);
    expect(wire.Last).toBe('0001-01-01T00:00:00');
    expect(wire.Next).toMatch(/^2024-03-01T11:00:00[+-]\d\d:\d\d$/);
    expect(wire.LastUpdated).toMatch(/^2024-03-01T10:30:00\.25[+-]\d\d:\d\d$/);
    expect(ScheduleStatusWireSchema.parse(JSON.parse(JSON.stringify(wire)))).toEqual(status);
  });

  it('reads a status written by the Functions host', () => {
    const parsed = ScheduleStatusWireSchema.parse({ Last: '2016-10-04T10:15:00.0000000+00:00', Next: '2016-10-04T10:20:00+00:00', LastUpdated: '2016-10-04T10:15:00.1234567+00:00' });
    expect(parsed.last?.toISOString()).toBe('2016-10-04T10:15:00.000Z');
    expect(parsed.next?.toISOString()).toBe('2016-10-04T10:20:00.000Z');
  });
});
