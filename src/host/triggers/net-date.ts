/**
 * Dates as the Functions host writes them with Newtonsoft.Json (ISO 8601, seconds fraction only
 * when non-zero, offset as `+hh:mm`), so timer status blobs and trigger data look like Azure's.
 */

/** `DateTime.MinValue`, which the host writes for a schedule status that has no `Last` yet. */
export const NET_NEVER = '0001-01-01T00:00:00';

/** Format `date` in local time (`utc: false`, as the timer host does) or in UTC with `+00:00`. */
export function formatNetDate(date: Date | undefined, options: { utc?: boolean } = {}): string {
  if (!date) return NET_NEVER;
  const offsetMinutes = options.utc ? 0 : -date.getTimezoneOffset();
  const shifted = new Date(date.getTime() + offsetMinutes * 60_000);
  const iso = shifted.toISOString(); // yyyy-mm-ddThh:mm:ss.fffZ, in the shifted zone
  const fraction = iso.slice(20, 23).replace(/0+$/, '');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return `${iso.slice(0, 19)}${fraction ? `.${fraction}` : ''}${offset}`;
}

/** Parse a date the host wrote; `DateTime.MinValue` (any offset or none) means "never". */
export function parseNetDate(text: string): Date | undefined {
  if (text.startsWith('0001-01-01')) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new RangeError(`'${text}' is not a date`);
  return date;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
