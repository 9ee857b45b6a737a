/**
 * One HTTP-triggered invocation, in either of the two modes of `@azure/functions` v4:
 * classic (the request travels as `RpcHttpData`, the response comes back as `returnValue.http`)
 * and stream mode (`app.setup({ enableHttpStream: true })`: the raw request is forwarded to the
 * library's own proxy server, which writes the user's response on that connection).
 * @see https://github.com/Azure/azure-functions-nodejs-library/blob/v4.x/src/http/httpProxy.ts
 */
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from '../log/logger.js';
import type { FunctionRunner } from '../worker/function-runner.js';
import type { RegisteredFunction } from '../worker/function-registry.js';
import type { InvokeResult } from '../worker/invoker.js';
import type { RpcHttpCookie, RpcHttpData, RpcTypedData } from '../worker/rpc-types.js';
import { childTraceContext } from '../worker/trace-context.js';
import { readTypedData } from '../worker/typed-data.js';
import { sendError } from './json-response.js';
import { BodyTooLargeError, readBody } from './read-body.js';

export interface HttpInvocationInput {
  fn: RegisteredFunction;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  routeParams: Record<string, string>;
  /** Set when the app enabled HTTP streams: the library's proxy base URL. */
  streamProxyUri: string | undefined;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'trailers', 'transfer-encoding', 'upgrade']);

export async function handleHttpInvocation(input: HttpInvocationInput, runner: FunctionRunner, log: Logger): Promise<void> {
  if (input.streamProxyUri) return handleStream(input, runner, log);
  return handleClassic(input, runner, log);
}

/** Request headers as the worker receives them: one string per name, repeated values joined. */
export function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    headers[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return headers;
}

/** Query values, a repeated name joined with commas as ASP.NET's `StringValues` does. */
export function flattenQuery(url: URL): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key).join(',');
  return query;
}

/** The host merges query values into the binding data; route values win over query values. */
function bindingParams(url: URL, routeParams: Record<string, string>): Record<string, string> {
  return { ...flattenQuery(url), ...routeParams };
}

/** The invocation continues the caller's W3C trace, as the host's ASP.NET Activity does. */
function traceContextOf(req: IncomingMessage): ReturnType<typeof childTraceContext> {
  const header = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  return childTraceContext(header('traceparent'), header('tracestate'));
}

function triggerMetadata(headers: Record<string, string>, query: Record<string, string>, params: Record<string, string>): Record<string, RpcTypedData> {
  const meta: Record<string, RpcTypedData> = {};
  for (const [k, v] of Object.entries(params)) meta[k] = { string: v };
  meta.Headers = { json: JSON.stringify(headers) };
  meta.Query = { json: JSON.stringify(query) };
  return meta;
}

async function handleClassic(input: HttpInvocationInput, runner: FunctionRunner, log: Logger): Promise<void> {
  const { fn, req, res, url } = input;
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (err) {
    if (err instanceof BodyTooLargeError) return sendError(res, 413, 'PAYLOAD_TOO_LARGE', err.message);
    throw err;
  }
  const headers = flattenHeaders(req);
  const query = flattenQuery(url);
  const params = bindingParams(url, input.routeParams);
  const rpc: RpcHttpData = {
    method: req.method ?? 'GET',
    url: url.href,
    headers,
    query,
    params,
    body: body.length > 0 ? { bytes: body } : undefined,
  };
  let returned: RpcTypedData | null | undefined;
  try {
    const response = await runner.run(fn, { triggerData: { http: rpc }, triggerMetadata: triggerMetadata(headers, query, params), traceContext: traceContextOf(req) });
    returned = response.returnValue;
  } catch (err) {
    return answerFailure(res, fn, err, log);
  }
  writeRpcResponse(res, returned?.http ?? undefined, returned);
}

function writeRpcResponse(res: ServerResponse, rpc: RpcHttpData | undefined, returned: RpcTypedData | null | undefined): void {
  if (!rpc) {
    const value = readTypedData(returned ?? undefined);
    if (value === undefined || value === null) return answerNothing(res);
    // A plain value on the $return binding is sent as the body, as the Functions host does.
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    res.writeHead(200, { 'Content-Type': typeof value === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8' });
    res.end(text);
    return;
  }
  const status = Number(rpc.statusCode ?? 200) || 200;
  for (const [k, v] of Object.entries(rpc.headers ?? {})) {
    if (!HOP_BY_HOP.has(k.toLowerCase())) res.setHeader(k, v);
  }
  const cookies = (rpc.cookies ?? []).map(serializeCookie);
  if (cookies.length > 0) res.setHeader('Set-Cookie', cookies);
  const bodyValue = rpc.body ? readTypedData(rpc.body) : undefined;
  const bodyBytes = Buffer.isBuffer(bodyValue) ? bodyValue : bodyValue === undefined || bodyValue === null ? Buffer.alloc(0) : Buffer.from(String(bodyValue));
  res.setHeader('Content-Length', bodyBytes.length);
  res.writeHead(status);
  res.end(bodyBytes);
}

/**
 * A handler that returned nothing. The Functions host binds no `$return` value then and answers
 * `200 OK` with an empty body (FunctionInvocationMiddleware's fallback `OkResult`), not 204.
 * @see https://github.com/Azure/azure-functions-host/blob/dev/src/WebJobs.Script.WebHost/Middleware/FunctionInvocationMiddleware.cs
 */
function answerNothing(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Length': 0 });
  res.end();
}

/**
 * A cookie as ASP.NET Core's `SetCookieHeaderValue` writes it for the Functions host: lower-case
 * attributes in its order, and `path=/` when the app set no path (the default of `CookieOptions`).
 */
export function serializeCookie(c: RpcHttpCookie): string {
  const parts = [`${c.name ?? ''}=${c.value ?? ''}`];
  const seconds = c.expires?.value?.seconds;
  if (seconds !== undefined && seconds !== null) parts.push(`expires=${new Date(Number(seconds) * 1000).toUTCString()}`);
  if (c.maxAge?.value !== undefined && c.maxAge.value !== null) parts.push(`max-age=${Math.trunc(c.maxAge.value)}`);
  if (c.domain?.value) parts.push(`domain=${c.domain.value}`);
  parts.push(`path=${c.path?.value || '/'}`);
  if (c.secure?.value) parts.push('secure');
  const sameSite = c.sameSite;
  if (sameSite === 'lax' || sameSite === 1) parts.push('samesite=lax');
  else if (sameSite === 'strict' || sameSite === 2) parts.push('samesite=strict');
  else if (sameSite === 'explicitNone' || sameSite === 3) parts.push('samesite=none');
  if (c.httpOnly?.value) parts.push('httponly');
  return parts.join('; ');
}

async function handleStream(input: HttpInvocationInput, runner: FunctionRunner, log: Logger): Promise<void> {
  const { fn, req, res, url } = input;
  const invocationId = randomUUID();
  const headers = flattenHeaders(req);
  const query = flattenQuery(url);
  const params = bindingParams(url, input.routeParams);
  const target = new URL(`${url.pathname}${url.search}`, input.streamProxyUri);
  const forwardHeaders: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) forwardHeaders[k] = v;
  forwardHeaders['x-ms-invocation-id'] = invocationId;
  forwardHeaders['x-forwarded-host'] = req.headers.host ?? url.host;
  forwardHeaders['x-forwarded-proto'] = 'http';

  // The library answers on its proxy connection from inside getResponse, so the response can
  // start (and stream) while the invocation is still running; errors after we gave up are expected.
  let abandoned = false;
  const proxyReq = http.request(target, { method: req.method, headers: forwardHeaders });
  const proxied = new Promise<void>((resolve) => {
    proxyReq.on('response', (proxyRes) => {
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(proxyRes.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
      res.writeHead(proxyRes.statusCode ?? 200, out);
      proxyRes.pipe(res);
      proxyRes.on('end', resolve);
      proxyRes.on('error', () => {
        res.destroy();
        resolve();
      });
    });
    proxyReq.on('error', (err) => {
      if (abandoned) return resolve();
      log.log('error', 'http stream proxy request failed', { functionName: fn.name, error: err.message });
      if (!res.headersSent) sendError(res, 502, 'STREAM_PROXY_FAILED', `the function's HTTP stream failed: ${err.message}`);
      else res.destroy();
      resolve();
    });
  });
  req.pipe(proxyReq);
  // A client that goes away mid-stream ends the proxied exchange too.
  res.on('close', () => {
    if (!res.writableFinished) {
      abandoned = true;
      proxyReq.destroy();
    }
  });

  let result: InvokeResult;
  try {
    result = await runner.run(fn, {
      invocationId,
      triggerData: { http: { method: req.method ?? 'GET', url: url.href, headers, query, params } },
      triggerMetadata: triggerMetadata(headers, query, params),
      traceContext: traceContextOf(req),
    });
  } catch (err) {
    abandoned = true;
    proxyReq.destroy();
    answerFailure(res, fn, err, log);
    return;
  }
  if (result.resultIsEmpty) {
    // Nothing was returned, so the library never answers on its proxy: answer as classic mode does.
    abandoned = true;
    proxyReq.destroy();
    if (!res.headersSent) answerNothing(res);
    return;
  }
  await proxied;
}

function answerFailure(res: ServerResponse, fn: RegisteredFunction, err: unknown, log: Logger): void {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  log.log('error', 'function failed', {
    functionName: fn.name,
    error: cause instanceof Error ? cause.message : String(cause),
    stack: cause instanceof Error ? cause.stack : undefined,
  });
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendError(res, 500, 'FUNCTION_FAILED', `Exception while executing function: Functions.${fn.name}`, {
    message: cause instanceof Error ? cause.message : String(cause),
  });
}
