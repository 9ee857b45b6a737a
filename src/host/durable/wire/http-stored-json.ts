/** Stored JSON text as the Durable HTTP API shows it (input, output, custom status, results). */

/**
 * `DurableClient.ParseToJToken`: stored text parsed as JSON; text that is not JSON (a
 * termination reason) is returned as a string; absent is null; blank is the empty string.
 */
export function parseStoredJson(text: string | undefined | null): unknown {
  if (text === undefined || text === null) return null;
  const trimmed = text.trim();
  if (trimmed === '') return '';
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return trimmed;
  }
}
