/**
 * Routes under `instances/`: status, list, purge, raise event, terminate, suspend, resume, rewind.
 * The engine reports unknown (404) and finished (410) instances through `DurableClientError`, so
 * the common path costs one engine call; the extension's answer order is kept where it shows.
 * @see durable-protocol.md E.3, F; extension HttpApiHandler.cs
 */
import { sendJson } from '../../http/json-response.js';
import type { OrchestrationStatusName } from '../core/history-event.js';
import { ClientErrorCode, DurableClientError, type InstanceQuery, type PurgeFilter } from '../engine/client-api.js';
import {
  ListInstancesQuerySchema,
  PurgeByFilterQuerySchema,
  ReasonQuerySchema,
  StatusQuerySchema,
  parseQuery,
} from '../wire/http-query.js';
import { statusPayload } from '../wire/http-status-payload.js';
import { badRequest, sendDurableError } from './durable-error-response.js';
import { type DurableRequest, jsonText, mediaTypeOf, readBodyText } from './durable-request.js';
import { isTerminal, sendStatus } from './status-response.js';

export const CONTINUATION_HEADER = 'x-ms-continuation-token';

/** Statuses a rewind answers 410 for (Failed is the one it acts on; running ones are the engine's call). */
const REWIND_GONE: readonly OrchestrationStatusName[] = ['Completed', 'Terminated', 'Canceled'];

/** `GET instances/{id}`: 404 with an empty body when unknown (the JS client expects no JSON there). */
export async function getInstanceStatus(r: DurableRequest, instanceId: string): Promise<void> {
  const q = parseQuery(StatusQuerySchema, r.url);
  const status = await r.client.getStatus(instanceId, { showHistory: q.showHistory, showHistoryOutput: q.showHistoryOutput, showInput: q.showInput });
  if (!status) return sendEmpty(r, 404);
  sendStatus(r, status, q);
}

/** `GET instances/`: one page; the continuation token travels in `x-ms-continuation-token` both ways. */
export async function listInstances(r: DurableRequest): Promise<void> {
  const q = parseQuery(ListInstancesQuerySchema, r.url);
  const query: InstanceQuery = { showInput: q.showInput };
  if (q.instanceIdPrefix !== undefined) query.instanceIdPrefix = q.instanceIdPrefix;
  if (q.createdTimeFrom) query.createdTimeFrom = q.createdTimeFrom;
  if (q.createdTimeTo) query.createdTimeTo = q.createdTimeTo;
  if (q.runtimeStatus && q.runtimeStatus.length > 0) query.runtimeStatus = q.runtimeStatus;
  if (q.top !== undefined) query.top = q.top;
  const token = continuationTokenOf(r);
  if (token !== undefined) query.continuationToken = token;
  const page = await r.client.listInstances(query);
  const body = page.instances.map((s) => statusPayload(s, { showHistory: false, showHistoryOutput: false, showInput: q.showInput }));
  sendJson(r.res, 200, body, page.continuationToken ? { [CONTINUATION_HEADER]: page.continuationToken } : {});
}

/** `DELETE instances/{id}`: 404 when nothing was there, else 200 `{instancesDeleted}`. */
export async function purgeInstance(r: DurableRequest, instanceId: string): Promise<void> {
  const deleted = await r.client.purge(instanceId);
  if (deleted === 0) return sendEmpty(r, 404);
  sendJson(r.res, 200, { instancesDeleted: deleted });
}

/** `DELETE instances/?createdTimeFrom=…`: the lower bound is required; 404 when nothing matched. */
export async function purgeInstancesBy(r: DurableRequest): Promise<void> {
  const q = parseQuery(PurgeByFilterQuerySchema, r.url);
  if (!q.createdTimeFrom) throw badRequest("Please provide value for 'createdTimeFrom' parameter.");
  const filter: PurgeFilter = { createdTimeFrom: q.createdTimeFrom, createdTimeTo: q.createdTimeTo ?? new Date() };
  if (q.runtimeStatus && q.runtimeStatus.length > 0) filter.runtimeStatus = q.runtimeStatus;
  const deleted = await r.client.purgeBy(filter);
  if (deleted === 0) return sendEmpty(r, 404);
  sendJson(r.res, 200, { instancesDeleted: deleted });
}

/**
 * `POST instances/{id}/raiseEvent/{name}`: the body must be `application/json` and valid JSON.
 * The extension looks the instance up first, so an unknown or finished instance answers 404/410
 * even when the body is bad; we look it up only when the body is bad, to keep the usual path cheap.
 */
export async function raiseEvent(r: DurableRequest, instanceId: string, eventName: string): Promise<void> {
  if (eventName === '') throw badRequest('an event name is required');
  const text = mediaTypeOf(r.req) === 'application/json' ? await readBodyText(r.req) : undefined;
  let input: string;
  try {
    if (mediaTypeOf(r.req) !== 'application/json') throw badRequest('Only application/json request content is supported');
    if (text === undefined) throw badRequest('Invalid JSON content: the request body is empty');
    input = jsonText(text);
  } catch (err) {
    const status = await r.client.getStatus(instanceId, { showInput: false });
    if (!status) throw new DurableClientError(ClientErrorCode.NotFound, `No instance with ID '${instanceId}' was found.`);
    if (isTerminal(status.runtimeStatus)) throw gone(instanceId, status.runtimeStatus);
    throw err;
  }
  await r.client.raiseEvent(instanceId, eventName, input);
  sendEmpty(r, 202);
}

export const InstanceOperation = {
  Terminate: 'terminate',
  Suspend: 'suspend',
  Resume: 'resume',
  Rewind: 'rewind',
} as const;
export type InstanceOperationName = (typeof InstanceOperation)[keyof typeof InstanceOperation];

/** `POST instances/{id}/{terminate|suspend|resume|rewind}?reason=`: 202, or 404/410/409 from the engine. */
export async function operateOnInstance(r: DurableRequest, instanceId: string, op: InstanceOperationName): Promise<void> {
  const { reason } = parseQuery(ReasonQuerySchema, r.url);
  switch (op) {
    case InstanceOperation.Terminate:
      await r.client.terminate(instanceId, reason);
      break;
    case InstanceOperation.Suspend:
      await r.client.suspend(instanceId, reason);
      break;
    case InstanceOperation.Resume:
      await r.client.resume(instanceId, reason);
      break;
    case InstanceOperation.Rewind:
      try {
        // As the extension: look first, so a finished instance is 410 whatever the engine says.
        const status = await r.client.getStatus(instanceId, { showInput: false });
        if (!status) throw new DurableClientError(ClientErrorCode.NotFound, `No instance with ID '${instanceId}' was found.`);
        if (REWIND_GONE.includes(status.runtimeStatus)) throw gone(instanceId, status.runtimeStatus);
        await r.client.rewind(instanceId, reason);
      } catch (err) {
        sendDurableError(r.res, err, r.log, { instanceId, operation: op }, 'text');
        return;
      }
      break;
  }
  sendEmpty(r, 202);
}

export function continuationTokenOf(r: DurableRequest): string | undefined {
  const value = r.req.headers[CONTINUATION_HEADER];
  const token = Array.isArray(value) ? value[0] : value;
  return token === undefined || token.trim() === '' ? undefined : token;
}

export function sendEmpty(r: DurableRequest, status: number): void {
  r.res.writeHead(status, { 'Content-Length': '0' });
  r.res.end();
}

function gone(instanceId: string, status: string): DurableClientError {
  return new DurableClientError(ClientErrorCode.Gone, `The instance '${instanceId}' is ${status}.`);
}
