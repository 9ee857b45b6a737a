/** One request to the Durable HTTP API: what every route handler is given, and body reading. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../log/logger.js';
import { readBody } from '../../http/read-body.js';
import type { DurableClientApi } from '../engine/client-api.js';
import { JsonBodySchema, TextBodySchema, bodyProblem } from '../wire/http-body.js';
import { badRequest } from './durable-error-response.js';
import type { WaitClock } from './wait-clock.js';

export interface DurableRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  client: DurableClientApi;
  log: Logger;
  clock: WaitClock;
  /** The task hub links in responses name (the request's `taskHub`, else the engine's). */
  taskHub: string;
  /** The connection links in responses name. */
  connection: string;
}

/**
 * The request body as text, or undefined when there is none. `Content-Length: 0` means none
 * without reading (the extension's check); a chunked body that turns out empty or blank is
 * none as well, as Json.NET reads blank text as null.
 */
export async function readBodyText(req: IncomingMessage): Promise<string | undefined> {
  if (req.headers['content-length'] === '0') return undefined;
  const text = (await readBody(req)).toString('utf8').replace(/^\uFEFF/, '');
  return text.trim() === '' ? undefined : text;
}

/** The media type of the request (`application/json` from `application/json; charset=utf-8`). */
export function mediaTypeOf(req: IncomingMessage): string | undefined {
  const value = req.headers['content-type'];
  if (value === undefined) return undefined;
  return value.split(';')[0]?.trim().toLowerCase() || undefined;
}

/** Parse `text` as JSON and return it normalised; 400 with the parser's message otherwise. */
export function jsonText(text: string): string {
  const parsed = JsonBodySchema.safeParse(text);
  if (!parsed.success) throw badRequest(bodyProblem(parsed.error));
  return parsed.data;
}

/** A non-JSON body as the JSON string the engine stores. */
export function textAsJson(text: string): string {
  return TextBodySchema.parse(text);
}
