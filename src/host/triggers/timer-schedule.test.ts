import { describe, expect, it } from 'vitest';
import { InvalidScheduleError, parseSchedule, ScheduleKind } from './timer-schedule.js';

/** Local-time dates: NCRONTAB schedules run in the host's local time zone. */
const local = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => new Date(y, mo - 1, d, h, mi, s);

function nextN(expression: string, from: Date, n: number): Date[] {
  const schedule = parseSchedule(expression);
  const out: Date[] = [];
  let at = from;
  for (let i = 0; i < n; i++) {
    const next = schedule.next(at);
    if (!next) break;
    out.push(next);
    at = next;
  }
  return out;
}

describe('parseSchedule', () => {
  it('reads six fields with seconds first', () => {
    expect(nextN('*/15 * * * * *', local(2024, 3, 1, 10, 0, 0), 3)).toEqual([local(2024, 3, 1, 10, 0, 15), local(2024, 3, 1, 10, 0, 30), local(2024, 3, 1, 10, 0, 45)]);
    expect(nextN('0 30 9 * * *', local(2024, 3, 1, 10), 1)).toEqual([local(2024, 3, 2, 9, 30)]);
  });

  it('reads five fields as minute-precision with seconds 0, as the host does', () => {
    expect(nextN('*/5 * * * *', local(2024, 3, 1, 10, 1, 30), 2)).toEqual([local(2024, 3, 1, 10, 5), local(2024, 3, 1, 10, 10)]);
  });

  it('returns occurrences strictly after the base time', () => {
    expect(nextN('* * * * * *', local(2024, 3, 1, 10, 0, 0), 1)).toEqual([local(2024, 3, 1, 10, 0, 1)]);
  });

  it('takes day-of-week numbers 0-6 with Sunday as 0, and day and month names', () => {
    // 2024-03-01 is a Friday.
    expect(nextN('0 0 12 * * 0', local(2024, 3, 1), 1)).toEqual([local(2024, 3, 3, 12)]);
    expect(nextN('0 30 9 * * Mon-Fri', local(2024, 3, 1, 10), 2)).toEqual([local(2024, 3, 4, 9, 30), local(2024, 3, 5, 9, 30)]);
    expect(nextN('0 0 0 1 jan,JUL *', local(2024, 3, 1), 2)).toEqual([local(2024, 7, 1), local(2025, 1, 1)]);
    expect(nextN('0 0 8 * * Saturday', local(2024, 3, 1), 1)).toEqual([local(2024, 3, 2, 8)]);
  });

  it('requires both day fields to match, as NCRONTAB does', () => {
    // Friday the 13th.
    expect(nextN('0 0 0 13 * Fri', local(2024, 1, 1), 2)).toEqual([local(2024, 9, 13), local(2024, 12, 13)]);
  });

  it('reads a TimeSpan as a constant interval from the base time', () => {
    const schedule = parseSchedule('00:00:05');
    expect(schedule.kind).toBe(ScheduleKind.Constant);
    expect(schedule.next(local(2024, 3, 1, 10, 0, 0))).toEqual(local(2024, 3, 1, 10, 0, 5));
    expect(parseSchedule('1.00:00').next(local(2024, 3, 1))).toEqual(local(2024, 3, 2));
  });

  it.each([
    ['invalid', /expected 6 fields, found 1/],
    ['* * * * * * *', /expected 6 fields/],
    ['0 0 12 * * 7', /day-of-week 7 is outside 0-6/],
    ['60 * * * * *', /second 60 is outside 0-59/],
    ['0 0 0 L * *', /'L' is not allowed in the day field/],
    ['0 0 0 ? * MON', /not a valid day field/],
    ['0 0 0 * * Mo', /'Mo' is not a day-of-week name/],
    ['0 0 0 31 2 *', /never occurs/],
    ['*/0 * * * * *', /step 0/],
    ['00:00:00', /interval must be positive/],
  ])('rejects %s', (expression, reason) => {
    expect(() => parseSchedule(expression)).toThrow(InvalidScheduleError);
    expect(() => parseSchedule(expression)).toThrow(reason);
  });

  it('tells sub-minute schedules apart, as the host does before turning schedule monitoring off', () => {
    const now = local(2024, 3, 1, 10);
    expect(parseSchedule('* * * * * *').isSubMinute(now)).toBe(true);
    expect(parseSchedule('*/5 * * * * *').isSubMinute(now)).toBe(true);
    expect(parseSchedule('10,20,45 * * * * *').isSubMinute(now)).toBe(true);
    expect(parseSchedule('0 * * * * *').isSubMinute(now)).toBe(false);
    expect(parseSchedule('0 */5 * * * *').isSubMinute(now)).toBe(false);
    expect(parseSchedule('* 30 * * * *').isSubMinute(now)).toBe(false);
    expect(parseSchedule('00:00:15').isSubMinute(now)).toBe(true);
    expect(parseSchedule('01:00:00').isSubMinute(now)).toBe(false);
  });
});
