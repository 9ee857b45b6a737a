/**
 * The one place where a failure of a Durable HTTP API request becomes a status and a body.
 * Bodies carry the extension's `Message` key (ASP.NET `CreateErrorResponse`) and the house
 * `error: {code, message}` shape; the JS client looks only at the status.
 */
import type { ServerResponse } from 'node:http';
import type { Logger } from '../../log/logger.js';
import { sendJson } from '../../http/json-response.js';
import { BodyTooLargeError } from '../../http/read-body.js';
import { ClientErrorCode, type ClientErrorCodeName, DurableClientError } from '../engine/client-api.js';
import { QueryParameterError } from '../wire/http-query.js';

/** ASP.NET's answer to an unhandled exception, which the extension gives for wrong-state operations. */
const GENERIC_MESSAGE = 'Something went wrong while processing your request';

/** The HTTP status for a client error code. */
export function statusForClientError(code: ClientErrorCodeName): number {
  switch (code) {
    case ClientErrorCode.BadRequest:
      return 400;
    case ClientErrorCode.NotFound:
      return 404;
    case ClientErrorCode.Gone:
      return 410;
    case ClientErrorCode.AlreadyExists:
      return 409;
    // The extension lets the wrong-state exception escape to a generic 500 (suspend a suspended
    // instance, resume a running one); its own Node e2e suite expects exactly that.
    case ClientErrorCode.InvalidState:
      return 500;
    case ClientErrorCode.PreconditionFailed:
      return 412;
    case ClientErrorCode.NotImplemented:
      return 501;
    default:
      return 500;
  }
}

/** The JSON error body. */
export function errorBody(code: string, message: string): { Message: string; error: { code: string; message: string } } {
  return { Message: message, error: { code, message } };
}

/**
 * Answer `err`; unknown errors are logged with their stack and answered with a generic 500.
 * `text` bodies are for the one route whose JS caller shows the body as the error message
 * (`rewind`: `new Error(response.data || default)`), where a JSON object would read
 * "[object Object]"; a 404 there stays empty, as the extension's, so the library's own
 * "No instance with ID" message shows.
 */
export function sendDurableError(res: ServerResponse, err: unknown, log: Logger, meta: Record<string, unknown> = {}, format: 'json' | 'text' = 'json'): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof DurableClientError) {
    const status = statusForClientError(err.code);
    if (format === 'json') sendJson(res, status, err.code === ClientErrorCode.InvalidState ? { ...errorBody(err.code, err.message), Message: GENERIC_MESSAGE } : errorBody(err.code, err.message));
    else sendText(res, status, status === 404 ? '' : err.message);
    return;
  }
  if (err instanceof QueryParameterError) {
    sendJson(res, 400, errorBody(ClientErrorCode.BadRequest, err.message));
    return;
  }
  if (err instanceof BodyTooLargeError) {
    sendJson(res, 413, errorBody('PAYLOAD_TOO_LARGE', err.message));
    return;
  }
  log.log('error', 'durable http api request failed', { ...meta, error: err instanceof Error ? err.stack : String(err) });
  sendJson(res, 500, errorBody('INTERNAL', GENERIC_MESSAGE));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Shorthand for a refusal the HTTP layer itself decides (bad id, bad body, unknown function). */
export function badRequest(message: string): DurableClientError {
  return new DurableClientError(ClientErrorCode.BadRequest, message);
}
