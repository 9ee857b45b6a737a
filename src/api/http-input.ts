/** Reading HTTP inputs through zod: path parameters, JSON bodies with a size limit, query values. */
import type { HttpRequest } from '@azure/functions';
import type { z } from 'zod';
import { AgentIdSchema, EventTooLargeError, ValidationError, type AgentId } from '../domain/index.js';

/** `raw` through `schema`; a failure is a 400 naming `what`. */
function parseInput<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw ValidationError.fromZod(what, parsed.error);
  return parsed.data;
}

/** The route parameter `name` (as in `agents/{id}`) through `schema`; `what` names it in the 400. */
export function pathParam<S extends z.ZodType>(request: HttpRequest, name: string, schema: S, what: string): z.output<S> {
  return parseInput(schema, request.params[name], what);
}

/** The agent id in the route parameter `name`. @default name 'id' */
export function agentIdParam(request: HttpRequest, name = 'id'): AgentId {
  return pathParam(request, name, AgentIdSchema, 'agent id');
}

/** The body as text, refusing one over `maxBytes` (by Content-Length first, then by what arrived). */
export async function bodyText(request: HttpRequest, maxBytes?: number): Promise<string> {
  const declared = Number(request.headers.get('content-length'));
  if (maxBytes !== undefined && Number.isFinite(declared) && declared > maxBytes) throw new EventTooLargeError(declared, maxBytes);
  const text = await request.text();
  const bytes = Buffer.byteLength(text, 'utf8');
  if (maxBytes !== undefined && bytes > maxBytes) throw new EventTooLargeError(bytes, maxBytes);
  return text;
}

/** Parses a JSON body with a schema; an empty body parses as `{}` (for optional bodies). */
export async function jsonBody<S extends z.ZodType>(request: HttpRequest, schema: S, what: string, maxBytes?: number): Promise<z.output<S>> {
  const text = await bodyText(request, maxBytes);
  let raw: unknown = {};
  if (text.trim() !== '') {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new ValidationError(`the ${what} is not valid JSON`);
    }
  }
  return parseInput(schema, raw, what);
}

export function queryValue<S extends z.ZodType>(request: HttpRequest, name: string, schema: S): z.output<S> {
  return parseInput(schema, request.query.get(name) ?? undefined, `query parameter ${name}`);
}
