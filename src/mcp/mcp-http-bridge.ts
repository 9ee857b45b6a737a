/**
 * The bridge between Azure Functions v4 HTTP (a buffered `HttpRequest`, an `HttpResponseInit`) and
 * the SDK's web-standard Streamable HTTP transport (`Request` in, `Response` out). Buffered on
 * purpose: without HTTP stream mode a Functions response is sent whole, so the server answers with
 * JSON (`enableJsonResponse`) rather than an SSE stream that would never flush.
 */
import type { HttpResponseInit } from '@azure/functions';

/** What the bridge reads of a Functions request (the real `HttpRequest` has all of it). */
export interface BufferedHttpRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  text(): Promise<string>;
}

/** JSON-RPC error codes this endpoint answers with besides the SDK's own. */
export const McpRpcErrorCode = {
  /** MCP's "resource not found", used for an unknown agent or goal/decision. */
  notFound: -32002,
  invalidParams: -32602,
  internal: -32603,
  /** Implementation-defined server error, as the SDK uses for HTTP-level refusals. */
  server: -32000,
} as const;

/** A web `Request` with the same URL, method, headers and body. */
export function toWebRequest(request: BufferedHttpRequest, body: string | undefined): Request {
  const headers = new Headers();
  request.headers.forEach((value, name) => headers.set(name, value));
  const hasBody = body !== undefined && request.method !== 'GET' && request.method !== 'HEAD';
  return new Request(request.url, { method: request.method, headers, ...(hasBody ? { body } : {}) });
}

/** The whole web `Response` as a Functions response (status, headers, text body; none for a null body). */
export async function fromWebResponse(response: Response): Promise<HttpResponseInit> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  const body = response.body === null ? undefined : await response.text();
  return { status: response.status, headers, ...(body === undefined || body === '' ? {} : { body }) };
}

/** The id of the JSON-RPC request in a body (single message or the first of a batch), or null. */
export function requestIdOf(body: string | undefined): string | number | null {
  if (!body) return null;
  try {
    const parsed: unknown = JSON.parse(body);
    const first: unknown = Array.isArray(parsed) ? parsed[0] : parsed;
    const id = first !== null && typeof first === 'object' ? (first as { id?: unknown }).id : undefined;
    return typeof id === 'string' || typeof id === 'number' ? id : null;
  } catch {
    return null;
  }
}

/** An HTTP answer whose body is a JSON-RPC error, so MCP clients report it as an MCP error. */
export function jsonRpcError(status: number, code: number, message: string, options: { id?: string | number | null; data?: unknown; headers?: Record<string, string> } = {}): HttpResponseInit {
  return {
    status,
    headers: { 'content-type': 'application/json', ...options.headers },
    jsonBody: { jsonrpc: '2.0', id: options.id ?? null, error: { code, message, ...(options.data === undefined ? {} : { data: options.data }) } },
  };
}
