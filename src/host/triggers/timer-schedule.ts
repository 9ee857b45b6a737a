/**
 * Timer trigger schedules as the Functions host accepts them: NCRONTAB expressions
 * (`{second} {minute} {hour} {day} {month} {day-of-week}`, or five fields without seconds) and
 * TimeSpan intervals (`hh:mm:ss`). croner computes the occurrences; this module only holds it
 * to what NCRONTAB allows, so an app that runs here is not rejected by Azure.
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#ncrontab-expressions
 * @see https://github.com/atifaziz/NCrontab/wiki/Crontab-Expression
 */
import { Cron } from 'croner';
import { parseTimeSpan } from './timespan.js';

export const ScheduleKind = { Cron: 'cron', Constant: 'constant' } as const;
export type ScheduleKind = (typeof ScheduleKind)[keyof typeof ScheduleKind];

export interface TimerSchedule {
  readonly kind: ScheduleKind;
  /** The expression as written (after `%Setting%` resolution). */
  readonly expression: string;
  /** The first occurrence strictly after `after` (NCRONTAB's `GetNextOccurrence`); undefined if none. */
  next(after: Date): Date | undefined;
  /**
   * True when occurrences come more often than once a minute. The host turns schedule
   * monitoring off for such schedules, since persisting every run would cost more than it saves.
   */
  isSubMinute(now: Date): boolean;
}

export class InvalidScheduleError extends Error {
  override name = 'InvalidScheduleError';
  constructor(
    readonly expression: string,
    reason: string,
  ) {
    super(`the schedule expression '${expression}' is not a valid NCRONTAB expression or TimeSpan (${reason})`);
  }
}

interface FieldRule {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

// NCRONTAB ranges: day-of-week is 0-6 with Sunday = 0 (croner would also take 7; Azure would not).
const FIELDS: readonly FieldRule[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 0, max: 6, names: WEEKDAYS },
];

const ELEMENT = /^(?:\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/;

/** Parse a schedule the way the host does: a cron expression first, else a TimeSpan. */
export function parseSchedule(expression: string): TimerSchedule {
  const fields = expression.trim().split(/\s+/);
  // As the host's CronSchedule.HasSeconds: anything but five fields is read with seconds.
  if (fields.length === 5 || fields.length === 6 || !looksLikeTimeSpan(expression)) {
    return cronSchedule(expression, fields.length === 5 ? ['0', ...fields] : fields);
  }
  return constantSchedule(expression);
}

function looksLikeTimeSpan(expression: string): boolean {
  return parseTimeSpan(expression) !== undefined;
}

function cronSchedule(expression: string, fields: string[]): TimerSchedule {
  if (fields.length !== 6) throw new InvalidScheduleError(expression, `expected 6 fields, found ${fields.length}`);
  const normalised = fields.map((field, i) => normaliseField(expression, field, FIELDS[i] as FieldRule));
  let cron: Cron;
  try {
    // domAndDow: NCRONTAB requires both day fields to match, unlike Vixie cron's OR.
    cron = new Cron(normalised.join(' '), { mode: '6-part', domAndDow: true, sloppyRanges: true });
  } catch (err) {
    throw new InvalidScheduleError(expression, err instanceof Error ? err.message : String(err));
  }
  const probe = cron.nextRun(new Date());
  if (!probe) throw new InvalidScheduleError(expression, 'it never occurs');
  const minuteAndAboveWild = normalised.slice(1).every((f) => f === '*');
  return {
    kind: ScheduleKind.Cron,
    expression,
    next: (after) => cron.nextRun(after) ?? undefined,
    isSubMinute(now) {
      // The host's rule: only `X * * * * *` can repeat within a minute; count the next minute's runs.
      if (!minuteAndAboveWild) return false;
      return cron.nextRuns(2, now).filter((d) => d.getTime() <= now.getTime() + 60_000).length > 1;
    },
  };
}

/** Names become numbers; anything outside NCRONTAB's grammar (`?`, `L`, `W`, `#`) is rejected. */
function normaliseField(expression: string, field: string, rule: FieldRule): string {
  const withNumbers = field.replace(/[A-Za-z]+/g, (word) => {
    const index = rule.names?.findIndex((n) => word.length >= 3 && n.toLowerCase().startsWith(word.toLowerCase()) && (word.length === 3 || word.length === n.length)) ?? -1;
    if (index < 0) {
      throw new InvalidScheduleError(expression, rule.names ? `'${word}' is not a ${rule.name} name` : `'${word}' is not allowed in the ${rule.name} field`);
    }
    return String(index + rule.min);
  });
  for (const element of withNumbers.split(',')) {
    const m = ELEMENT.exec(element);
    if (!m) throw new InvalidScheduleError(expression, `'${field}' is not a valid ${rule.name} field`);
    const [, from, to, step] = m;
    for (const v of [from, to]) {
      if (v !== undefined && (Number(v) < rule.min || Number(v) > rule.max)) {
        throw new InvalidScheduleError(expression, `${rule.name} ${v} is outside ${rule.min}-${rule.max}`);
      }
    }
    if (step !== undefined && Number(step) === 0) throw new InvalidScheduleError(expression, `step 0 in the ${rule.name} field`);
  }
  return withNumbers;
}

function constantSchedule(expression: string): TimerSchedule {
  const intervalMs = parseTimeSpan(expression);
  if (intervalMs === undefined || intervalMs <= 0) throw new InvalidScheduleError(expression, 'the interval must be positive');
  return {
    kind: ScheduleKind.Constant,
    expression,
    // The host's ConstantSchedule: the next occurrence is always one interval after the base time.
    next: (after) => new Date(after.getTime() + intervalMs),
    isSubMinute: () => intervalMs < 60_000,
  };
}
