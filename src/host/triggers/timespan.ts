/**
 * .NET `TimeSpan` strings as the Functions host reads them in host.json and timer schedules
 * (`TimeSpan.TryParse`, invariant culture): `d`, `hh:mm`, `hh:mm:ss`, `d.hh:mm:ss.fffffff`.
 * @see https://learn.microsoft.com/dotnet/standard/base-types/standard-timespan-format-strings
 */

const CLOCK = /^\s*(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?\s*$/;
const DAYS = /^\s*(-)?(\d+)\s*$/;

const MS_PER = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/** Milliseconds of a TimeSpan string, or undefined when .NET would not parse it either. */
export function parseTimeSpan(text: string): number | undefined {
  const days = DAYS.exec(text);
  if (days) return sign(days[1]) * Number(days[2]) * MS_PER.day;
  const m = CLOCK.exec(text);
  if (!m) return undefined;
  const [, minus, d, hh, mm, ss, fraction] = m;
  const hours = Number(hh);
  const minutes = Number(mm);
  const seconds = Number(ss ?? 0);
  // .NET rejects out-of-range components rather than carrying them over.
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
  const fractionMs = fraction ? Number(`0.${fraction}`) * 1000 : 0;
  const total = Number(d ?? 0) * MS_PER.day + hours * MS_PER.hour + minutes * MS_PER.minute + seconds * MS_PER.second + fractionMs;
  return sign(minus) * total;
}

function sign(minus: string | undefined): 1 | -1 {
  return minus ? -1 : 1;
}

/**
 * A host.json duration: a TimeSpan string (`"00:00:02"`) or a number of milliseconds.
 * Returns undefined for text that is not a TimeSpan.
 */
export function durationMs(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  return parseTimeSpan(value);
}
