/**
 * The part of .NET custom date format strings that binding expressions use (`{DateTime:yyyy/MM/dd}`,
 * `{sys.utcnow:HH-mm}`), for UTC dates as the host's `DateTime.UtcNow` gives them:
 * `yyyy yy MM M dd d HH H hh h mm m ss s f..fffffff tt K z zz zzz`, `'quoted'` and `\x` literals,
 * and the one-letter standard formats `o`/`O`, `s` and `u`. Other characters are copied.
 */

const STANDARD: Record<string, string> = {
  o: "yyyy-MM-dd'T'HH:mm:ss.fffffffK",
  O: "yyyy-MM-dd'T'HH:mm:ss.fffffffK",
  s: "yyyy-MM-dd'T'HH:mm:ss",
  u: "yyyy-MM-dd HH:mm:ss'Z'",
};

export function formatNetDateCustom(date: Date, format: string): string {
  const pattern = STANDARD[format] ?? format;
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern.charAt(i);
    if (ch === "'" || ch === '"') {
      const end = pattern.indexOf(ch, i + 1);
      const stop = end === -1 ? pattern.length : end;
      out += pattern.slice(i + 1, stop);
      i = stop + 1;
      continue;
    }
    if (ch === '\\') {
      out += pattern.charAt(i + 1);
      i += 2;
      continue;
    }
    let run = 1;
    while (pattern.charAt(i + run) === ch) run++;
    out += field(date, ch, run) ?? ch.repeat(run);
    i += run;
  }
  return out;
}

function field(d: Date, ch: string, run: number): string | undefined {
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  switch (ch) {
    case 'y':
      return run <= 2 ? pad(d.getUTCFullYear() % 100, run) : pad(d.getUTCFullYear(), run);
    case 'M':
      return pad(d.getUTCMonth() + 1, Math.min(run, 2));
    case 'd':
      return pad(d.getUTCDate(), Math.min(run, 2));
    case 'H':
      return pad(d.getUTCHours(), Math.min(run, 2));
    case 'h':
      return pad(d.getUTCHours() % 12 || 12, Math.min(run, 2));
    case 'm':
      return pad(d.getUTCMinutes(), Math.min(run, 2));
    case 's':
      return pad(d.getUTCSeconds(), Math.min(run, 2));
    case 'f':
      // JavaScript dates stop at milliseconds; the finer digits are zeros.
      return (pad(d.getUTCMilliseconds(), 3) + '0000').slice(0, Math.min(run, 7));
    case 't':
      return (d.getUTCHours() < 12 ? 'AM' : 'PM').slice(0, Math.min(run, 2));
    case 'K':
      return 'Z'.repeat(run);
    case 'z':
      return run === 1 ? '+0' : run === 2 ? '+00' : '+00:00';
    default:
      return undefined;
  }
}
