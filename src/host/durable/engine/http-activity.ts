/**
 * `BuiltIn::HttpActivity`: the request behind `context.df.callHttp`, performed by the host as
 * the extension does, with the result shape the JS library reads.
 * @see durable-protocol.md B.12; azure-functions-durable-extension TaskHttpActivityShim.cs
 */
import { z } from 'zod';

export const HTTP_ACTIVITY_NAME = 'BuiltIn::HttpActivity';

const DurableHttpRequestSchema = z
  .object({
    method: z.string().default('GET'),
    uri: z.string().url(),
    content: z.string().nullish(),
    headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])).nullish(),
    tokenSource: z.unknown().optional(),
    asynchronousPatternEnabled: z.boolean().optional(),
    timeout: z.unknown().optional(),
  })
  .loose();

export interface DurableHttpResponse {
  statusCode: number;
  headers: Record<string, string | string[]>;
  content: string;
}

export class HttpActivityError extends Error {
  override name = 'HttpActivityError';
}

/** Perform the request described by the activity input (JSON text of a DurableHttpRequest). */
export async function performHttpActivity(inputJson: string | undefined, fetchImpl: typeof fetch = fetch): Promise<DurableHttpResponse> {
  const parsed = DurableHttpRequestSchema.safeParse(inputJson === undefined ? undefined : JSON.parse(inputJson));
  if (!parsed.success) throw new HttpActivityError(`invalid callHttp request: ${parsed.error.issues[0]?.message ?? 'bad input'}`);
  const request = parsed.data;
  if (request.tokenSource) {
    throw new HttpActivityError('callHttp with a managed identity token source needs Azure; the local host has no managed identity');
  }
  const headers = new Headers();
  for (const [k, v] of Object.entries(request.headers ?? {})) {
    for (const value of Array.isArray(v) ? v : [v]) headers.append(k, value);
  }
  const hasBody = request.content !== undefined && request.content !== null && !['GET', 'HEAD'].includes(request.method.toUpperCase());
  if (hasBody && !headers.has('content-type')) headers.set('Content-Type', 'text/plain');
  let res: Response;
  try {
    res = await fetchImpl(request.uri, { method: request.method.toUpperCase(), headers, body: hasBody ? (request.content as string) : undefined, redirect: 'manual' });
  } catch (err) {
    // undici says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, ...) is in its cause.
    throw new HttpActivityError(networkErrorText(request.method.toUpperCase(), request.uri, err), { cause: err });
  }
  const outHeaders: Record<string, string | string[]> = {};
  res.headers.forEach((value, key) => {
    const name = canonicalHeaderName(key);
    const existing = outHeaders[name];
    outHeaders[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  });
  return { statusCode: res.status, headers: outHeaders, content: await res.text() };
}

/** `retry-after` -> `Retry-After`, the casing .NET's HttpClient reports, which users may read by exact name. */
function canonicalHeaderName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, ch: string) => dash + ch.toUpperCase());
}

/** `GET http://host/x failed: connect ECONNREFUSED 127.0.0.1:1`, the message the orchestrator sees. */
function networkErrorText(method: string, uri: string, err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  const detail = cause instanceof Error ? cause.message : err instanceof Error ? err.message : String(err);
  return `${method} ${uri} failed: ${detail}`;
}
