/**
 * Routes under `entities/`: list, read state, signal (POST `?op=`, DELETE = op `delete`).
 * Entity names are case-insensitive (the extension lower-cases them); the key `$` stands for the
 * empty key, which cannot be written in a URL path.
 * @see durable-protocol.md F; extension HttpApiHandler.HandleGetEntityRequestAsync, HandlePostEntityOperationRequestAsync
 */
import { z } from 'zod';
import { sendJson } from '../../http/json-response.js';
import type { EntityQuery } from '../engine/client-api.js';
import { ListEntitiesQuerySchema, SignalQuerySchema, parseQuery } from '../wire/http-query.js';
import { entityStatusPayload } from '../wire/http-status-payload.js';
import { parseStoredJson } from '../wire/http-stored-json.js';
import { badRequest } from './durable-error-response.js';
import { type DurableRequest, jsonText, mediaTypeOf, readBodyText, textAsJson } from './durable-request.js';
import { CONTINUATION_HEADER, continuationTokenOf, sendEmpty } from './instance-routes.js';

const EMPTY_KEY_SYMBOL = '$';

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** An entity name from the path, as stored (lower case); `@` would make the scheduler id `@name@key` ambiguous. */
export const EntityNameSchema = z
  .string()
  .min(1, 'an entity name is required')
  .refine((s) => !s.includes('@') && !CONTROL_CHARACTER.test(s), 'entity names must not contain @ or control characters')
  .transform((s) => s.toLowerCase());

export function entityNameOf(segment: string): string {
  const parsed = EntityNameSchema.safeParse(segment);
  if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? 'invalid entity name');
  return parsed.data;
}

export function entityKeyOf(segment: string | undefined): string {
  return segment === undefined || segment === EMPTY_KEY_SYMBOL ? '' : segment;
}

/** `GET entities/[{name}]`: one page, continuation in `x-ms-continuation-token`. */
export async function listEntities(r: DurableRequest, name: string | undefined): Promise<void> {
  const q = parseQuery(ListEntitiesQuerySchema, r.url);
  const query: EntityQuery = { fetchState: q.fetchState };
  if (name !== undefined) query.name = name;
  if (q.lastOperationTimeFrom) query.lastOperationTimeFrom = q.lastOperationTimeFrom;
  if (q.lastOperationTimeTo) query.lastOperationTimeTo = q.lastOperationTimeTo;
  if (q.top !== undefined) query.top = q.top;
  const token = continuationTokenOf(r);
  if (token !== undefined) query.continuationToken = token;
  const page = await r.client.listEntities(query);
  const body = page.entities.filter((e) => e.exists).map((e) => entityStatusPayload(e, q.fetchState));
  sendJson(r.res, 200, body, page.continuationToken ? { [CONTINUATION_HEADER]: page.continuationToken } : {});
}

/** `GET entities/{name}/{key}`: 200 with the state as JSON, 404 when the entity has none. */
export async function readEntity(r: DurableRequest, name: string, key: string): Promise<void> {
  requireEntity(r, name);
  const record = await r.client.readEntity(name, key);
  // The extension's EntityExists is "has serialized state".
  if (!record || !record.exists || record.state === undefined) return sendEmpty(r, 404);
  sendJson(r.res, 200, parseStoredJson(record.state));
}

/**
 * `POST entities/{name}/{key}?op=` / `DELETE entities/{name}/{key}`: an empty body signals
 * without input; `application/json` bodies must parse; other bodies are passed as a string.
 */
export async function signalEntity(r: DurableRequest, name: string, key: string, isDelete: boolean): Promise<void> {
  const operation = isDelete ? 'delete' : parseQuery(SignalQuerySchema, r.url).op;
  requireEntity(r, name);
  const text = await readBodyText(r.req);
  let input: string | undefined;
  if (text !== undefined) input = mediaTypeOf(r.req) === 'application/json' ? jsonText(text) : textAsJson(text);
  await r.client.signalEntity(name, key, operation, input);
  sendEmpty(r, 202);
}

function requireEntity(r: DurableRequest, name: string): void {
  if (!r.client.hasEntity(name)) throw badRequest(`The function '${name}' doesn't exist, is disabled, or is not an entity function.`);
}
