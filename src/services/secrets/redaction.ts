/**
 * Redaction before anything leaves the process as text (logs, error bodies, span attributes):
 * values under secret-like keys, credentials embedded in strings (keys in connection strings,
 * bearer tokens, JWTs, `code=` / `sig=` in URLs), and every value a secret provider handed out.
 */
export const REDACTED = '[redacted]';

/** Keys whose values are secrets whatever they hold; `tokensIn`, `partitionKey`, a step `key` and an error `code` are not. */
const SECRET_KEY = /(secret|password|passwd|api[-_]?key|access[-_]?key|account[-_]?key|connection[-_]?string|credential|authorization|cookie|[-_]key$|(^|[-_])token$|[a-z]Token$|^sig$)/i;

const SECRET_TEXT: readonly [RegExp, string][] = [
  [/(AccountKey|SharedAccessKey|SharedAccessSignature|ApiKey|Password)=([^;\s"']+)/gi, `$1=${REDACTED}`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [/([?&](?:code|sig|api-key|key)=)[^&#\s"']+/gi, `$1${REDACTED}`],
];

const known = new Set<string>();

/** Remembers a secret value so that it is scrubbed wherever it appears. Short values are ignored: they would scrub ordinary words. */
export function registerSecretValue(value: string): void {
  if (value.length >= 8) known.add(value);
  // A list of keys (`role:key,key2`) registers each key too.
  for (const part of value.split(/[,;\s]+/)) {
    const key = part.includes(':') ? part.slice(part.indexOf(':') + 1) : part;
    if (key.length >= 8) known.add(key);
  }
}

export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_TEXT) out = out.replace(pattern, replacement);
  for (const value of known) if (out.includes(value)) out = out.split(value).join(REDACTED);
  return out;
}

/** A redacted copy of any JSON-like value (cycles and depth are bounded, functions dropped). */
export function redact<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[truncated]' as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redact(v, depth + 1)) as T;
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) } as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'function') continue;
    out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null && v !== '' ? REDACTED : redact(v, depth + 1);
  }
  return out as T;
}
