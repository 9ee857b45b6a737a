/**
 * The one place errors become HTTP responses (rule 13): an `AosError`'s kind picks the status and
 * the body is `{ error: { code, message, details? } }`. Unknown errors are logged with their stack
 * and answered with a bare 500. Handlers throw; they never build error responses. Routes register
 * through `clientHttp` / `appHttp`, which put every handler behind this mapping.
 */
import { app, type HttpMethod, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { AosError, ErrorKind } from '../domain/index.js';
import { redact, redactText } from '../services/secrets/index.js';

export const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  [ErrorKind.validation]: 400,
  [ErrorKind.unauthenticated]: 401,
  [ErrorKind.forbidden]: 403,
  [ErrorKind.policyDenied]: 403,
  [ErrorKind.notFound]: 404,
  [ErrorKind.conflict]: 409,
  [ErrorKind.tooLarge]: 413,
  [ErrorKind.rateLimited]: 429,
  [ErrorKind.internal]: 500,
  [ErrorKind.unavailable]: 503,
};

/** Seconds a client should wait before retrying a 429 or 503. */
const RETRY_AFTER_SECONDS = 5;

export interface ErrorLog {
  error(...args: unknown[]): void;
}

export function errorResponse(err: unknown, log?: ErrorLog): HttpResponseInit {
  if (err instanceof AosError) {
    const status = STATUS_BY_KIND[err.kind];
    // No secret leaves in a body or a log line, whatever a message or its details picked up.
    const message = redactText(err.message);
    if (status >= 500) log?.error('request failed', { code: err.code, message, stack: err.stack === undefined ? undefined : redactText(err.stack) });
    const headers: Record<string, string> = status === 429 || status === 503 ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {};
    if (status === 401) headers['www-authenticate'] = 'Bearer';
    return { status, headers, jsonBody: { error: { code: err.code, message, ...(err.details === undefined ? {} : { details: redact(err.details) }) } } };
  }
  log?.error('unexpected error', { message: redactText(err instanceof Error ? err.message : String(err)), stack: err instanceof Error && err.stack ? redactText(err.stack) : undefined });
  return { status: 500, jsonBody: { error: { code: 'INTERNAL', message: 'internal error' } } };
}

/** Wraps a handler so that whatever it throws is answered by `errorResponse`. */
export function withErrors<A extends unknown[]>(handler: (...args: A) => Promise<HttpResponseInit>, logOf: (...args: A) => ErrorLog | undefined): (...args: A) => Promise<HttpResponseInit> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (err) {
      return errorResponse(err, logOf(...args));
    }
  };
}

/**
 * Registers an HTTP function of the API that reaches agents through a durable client; whatever its
 * handler throws is answered by `errorResponse` and logged on the invocation context. The function
 * is `anonymous` to the Functions host: `http-guard.ts` decides who may call it.
 */
export function clientHttp(name: string, methods: HttpMethod[], route: string, handler: (request: HttpRequest, client: DurableClient, context: InvocationContext) => Promise<HttpResponseInit>): void {
  df.app.client.http(name, { methods, authLevel: 'anonymous', route, handler: withErrors(handler, (_request: HttpRequest, _client: DurableClient, context: InvocationContext) => context) });
}

/** `clientHttp` for an HTTP function that needs no durable client. */
export function appHttp(name: string, methods: HttpMethod[], route: string, handler: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>): void {
  app.http(name, { methods, authLevel: 'anonymous', route, handler: withErrors(handler, (_request: HttpRequest, context: InvocationContext) => context) });
}
