/**
 * Request bodies of the Durable HTTP API. Every body is JSON text that becomes an engine value
 * (an orchestration input, event data, an entity operation input) as normalised JSON text.
 * @see durable-protocol.md F
 */
import { z } from 'zod';

/** A JSON document, normalised (`JSON.stringify(JSON.parse(text))`), as the extension re-serialises it. */
export const JsonBodySchema = z.string().transform((text, ctx) => {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `Invalid JSON content: ${err instanceof Error ? err.message : String(err)}` });
    return z.NEVER;
  }
});

/** A body sent with a content type other than JSON: passed on as a JSON string (entity signals). */
export const TextBodySchema = z.string().transform((text) => JSON.stringify(text));

/** The first issue's message, for the 400 answer. */
export function bodyProblem(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'invalid request body';
}
