/**
 * A timer's schedule status (Last, Next, LastUpdated) and the host's rules for it: the past-due
 * check at start-up and the update after each run. Pure; the blob I/O is in schedule-monitor.ts.
 * @see https://github.com/Azure/azure-webjobs-sdk-extensions/blob/dev/src/WebJobs.Extensions/Extensions/Timers/Scheduling/ScheduleMonitor.cs
 */
import { z } from 'zod';
import { formatNetDate, parseNetDate } from './net-date.js';
import type { TimerSchedule } from './timer-schedule.js';

export interface ScheduleStatus {
  /** The last occurrence that ran (or was accounted for); undefined before the first run. */
  last: Date | undefined;
  /** The occurrence the timer waits for; undefined when the schedule never occurs again. */
  next: Date | undefined;
  /** When `next` was last computed; undefined if never. */
  lastUpdated: Date | undefined;
}

const NetDateSchema = z.string().transform((text, ctx) => {
  try {
    return parseNetDate(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: `'${text}' is not a date` });
    return z.NEVER;
  }
});

/** The status blob as the host's StorageScheduleMonitor writes it (Newtonsoft, PascalCase). */
export const ScheduleStatusWireSchema = z
  .object({ Last: NetDateSchema, Next: NetDateSchema, LastUpdated: NetDateSchema })
  .loose()
  .transform((w): ScheduleStatus => ({ last: w.Last, next: w.Next, lastUpdated: w.LastUpdated }));

export type ScheduleStatusWire = { Last: string; Next: string; LastUpdated: string };

export function toStatusWire(status: ScheduleStatus): ScheduleStatusWire {
  return { Last: formatNetDate(status.last), Next: formatNetDate(status.next), LastUpdated: formatNetDate(status.lastUpdated) };
}

export interface PastDueCheck {
  status: ScheduleStatus;
  /** How long ago the missed occurrence was due; 0 when nothing was missed. */
  pastDueMs: number;
  /** True when `status` differs from what is stored and must be written back. */
  changed: boolean;
}

/**
 * The host's start-up check: a stored `Next` in the past means an occurrence was missed while no
 * host ran, so the timer runs once now with `IsPastDue`. A `Next` that no longer follows from
 * `Last` means the schedule was edited; then the status is recomputed and nothing is past due.
 */
export function checkPastDue(schedule: TimerSchedule, stored: ScheduleStatus | undefined, now: Date): PastDueCheck {
  if (!stored) {
    // A new timer records its first Next at once, so an occurrence missed before the first run still counts.
    return { status: { last: undefined, next: schedule.next(now), lastUpdated: now }, pastDueMs: 0, changed: true };
  }
  const base = stored.last ?? stored.lastUpdated ?? now;
  let expected = schedule.next(base);
  let status = stored;
  let changed = false;
  if (!sameTime(stored.next, expected)) {
    let lastUpdated = base;
    if (expected && now.getTime() > expected.getTime()) {
      expected = schedule.next(now);
      lastUpdated = now;
    }
    status = { last: undefined, next: expected, lastUpdated };
    changed = true;
  }
  const pastDueMs = status.next && now.getTime() > status.next.getTime() ? now.getTime() - status.next.getTime() : 0;
  return { status, pastDueMs, changed };
}

export const RunReason = { Schedule: 'schedule', PastDue: 'pastDue', Startup: 'runOnStartup' } as const;
export type RunReason = (typeof RunReason)[keyof typeof RunReason];

/**
 * The status after a run that started at `invocationTime` and ended at `now`. As in the host, a
 * scheduled run that fired a little early counts as its scheduled time, so Next never repeats.
 * Unlike a naive timer, occurrences that came while the run was still running are skipped (a
 * timer never overlaps itself): `Last` moves to the latest of them, which keeps `Next` equal to
 * `next(Last)`, the invariant the start-up check uses to tell a missed occurrence from an edit.
 */
export function statusAfterRun(schedule: TimerSchedule, current: ScheduleStatus, invocationTime: Date, reason: RunReason, now: Date): ScheduleStatus {
  let last = invocationTime;
  if (reason === RunReason.Schedule && current.next && current.next.getTime() > invocationTime.getTime()) last = current.next;
  let next = schedule.next(last);
  for (let guard = 0; next && next.getTime() <= now.getTime(); guard++) {
    if (guard >= 100_000) {
      next = schedule.next(now);
      break;
    }
    last = next;
    next = schedule.next(next);
  }
  return { last, next, lastUpdated: last };
}

function sameTime(a: Date | undefined, b: Date | undefined): boolean {
  return (a?.getTime() ?? -1) === (b?.getTime() ?? -1);
}
