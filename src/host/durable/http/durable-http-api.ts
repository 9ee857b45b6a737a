/**
 * The Durable Functions HTTP API under `/runtime/webhooks/durabletask/`: the public management
 * routes and, since the `durableClient` binding's `rpcBaseUrl` points here too, every call of
 * the JS `DurableClient`. Speaks the extension's statuses and JSON; the engine is reached only
 * through `DurableClientApi`, with values already validated.
 * @see durable-protocol.md E, F; extension HttpApiHandler.HandleRequestAsync
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SystemRouteHandler } from '../../http/http-front.js';
import { sendJson } from '../../http/json-response.js';
import type { Logger } from '../../log/logger.js';
import type { DurableClientApi } from '../engine/client-api.js';
import { HubQuerySchema, parseQuery } from '../wire/http-query.js';
import { badRequest, errorBody, sendDurableError } from './durable-error-response.js';
import type { DurableRequest } from './durable-request.js';
import { entityKeyOf, entityNameOf, listEntities, readEntity, signalEntity } from './entity-routes.js';
import { InstanceIdSchema } from './instance-id.js';
import {
  InstanceOperation,
  type InstanceOperationName,
  getInstanceStatus,
  listInstances,
  operateOnInstance,
  purgeInstance,
  purgeInstancesBy,
  raiseEvent,
} from './instance-routes.js';
import { DEFAULT_CONNECTION_NAME, DURABLE_WEBHOOK_PATH } from './management-urls.js';
import { restartInstance, startOrchestration } from './orchestration-routes.js';
import { type WaitClock, systemWaitClock } from './wait-clock.js';

/** The prefix to give `HttpFront.addSystemRoute`. */
export const DURABLE_HTTP_API_PREFIX = `${DURABLE_WEBHOOK_PATH}/`;

export interface DurableHttpApiOptions {
  client: DurableClientApi;
  /**
   * The host's base URL (`http://127.0.0.1:7071`). Links in responses use the origin the request
   * came to, as the extension does; this one only when the request named no Host.
   */
  baseUrl: string;
  log: Logger;
  /** @default the system clock */
  clock?: WaitClock;
}

type Route = (r: DurableRequest) => Promise<void>;

/** A matched route, or the methods the path allows when the method is wrong. */
type Match = { kind: 'route'; run: Route } | { kind: 'method'; allowed: string[] } | { kind: 'none' };

const OPERATIONS = new Map<string, InstanceOperationName>(Object.values(InstanceOperation).map((op) => [op.toLowerCase(), op]));

export function createDurableHttpApi(options: DurableHttpApiOptions): SystemRouteHandler {
  const log = options.log.child({ category: 'durable-http' });
  const clock = options.clock ?? systemWaitClock;
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const meta = { method, path: url.pathname };
    if (req.headers.host === undefined) url = new URL(`${url.pathname}${url.search}`, options.baseUrl);
    try {
      const segments = segmentsOf(url);
      const match = matchRoute(method, segments);
      if (match.kind === 'none') {
        sendJson(res, 404, errorBody('NOT_FOUND', `no Durable HTTP API route serves ${method} ${url.pathname}`));
        return true;
      }
      if (match.kind === 'method') {
        sendJson(res, 405, errorBody('METHOD_NOT_ALLOWED', `${method} is not allowed on ${url.pathname}`), { Allow: match.allowed.join(', ') });
        return true;
      }
      const hub = parseQuery(HubQuerySchema, url);
      // One host serves one task hub; asking for another must not silently act on this one.
      if (hub.taskHub !== undefined && hub.taskHub.trim() !== '' && hub.taskHub.toLowerCase() !== options.client.taskHubName.toLowerCase()) {
        throw badRequest(`this host serves the task hub '${options.client.taskHubName}', not '${hub.taskHub}'`);
      }
      const r: DurableRequest = {
        req,
        res,
        url,
        client: options.client,
        log,
        clock,
        taskHub: options.client.taskHubName,
        connection: hub.connection?.trim() ? hub.connection : DEFAULT_CONNECTION_NAME,
      };
      await match.run(r);
    } catch (err) {
      sendDurableError(res, err, log, meta);
    }
    return true;
  };
}

/** Path segments after the prefix, decoded; leading and trailing slashes ignored as the extension trims them. */
function segmentsOf(url: URL): string[] {
  const rest = url.pathname.slice(DURABLE_WEBHOOK_PATH.length).replace(/^\/+|\/+$/g, '');
  if (rest === '') return [];
  return rest.split('/').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw badRequest(`the path segment '${s}' is not valid percent-encoding`);
    }
  });
}

function matchRoute(method: string, segments: string[]): Match {
  const [head, ...rest] = segments;
  switch (head?.toLowerCase()) {
    case 'orchestrators':
      return orchestratorRoutes(method, rest);
    case 'instances':
      return instanceRoutes(method, rest);
    case 'entities':
      return entityRoutes(method, rest);
    default:
      return { kind: 'none' };
  }
}

function only(method: string, allowed: string[], run: Route): Match {
  return allowed.includes(method) ? { kind: 'route', run } : { kind: 'method', allowed };
}

function orchestratorRoutes(method: string, rest: string[]): Match {
  const [name, instanceId, ...extra] = rest;
  if (name === undefined || name === '' || extra.length > 0) return { kind: 'none' };
  return only(method, ['POST'], (r) => startOrchestration(r, name, instanceId));
}

function instanceRoutes(method: string, rest: string[]): Match {
  const [rawId, op, eventName, ...extra] = rest;
  if (extra.length > 0) return { kind: 'none' };
  if (rawId === undefined) {
    return only(method, ['GET', 'DELETE'], (r) => (method === 'GET' ? listInstances(r) : purgeInstancesBy(r)));
  }
  const withId = (run: (r: DurableRequest, id: string) => Promise<void>): Route => (r) => run(r, instanceIdOf(rawId));
  if (op === undefined) {
    return only(method, ['GET', 'DELETE'], withId((r, id) => (method === 'GET' ? getInstanceStatus(r, id) : purgeInstance(r, id))));
  }
  const opName = op.toLowerCase();
  if (opName === 'raiseevent') {
    if (eventName === undefined) return { kind: 'none' };
    return only(method, ['POST'], withId((r, id) => raiseEvent(r, id, eventName)));
  }
  if (eventName !== undefined) return { kind: 'none' };
  if (opName === 'restart') return only(method, ['POST'], withId(restartInstance));
  const operation = OPERATIONS.get(opName);
  if (operation === undefined) return { kind: 'none' };
  return only(method, ['POST'], withId((r, id) => operateOnInstance(r, id, operation)));
}

function entityRoutes(method: string, rest: string[]): Match {
  const [rawName, rawKey, ...extra] = rest;
  if (extra.length > 0) return { kind: 'none' };
  if (rawName === undefined) return only(method, ['GET'], (r) => listEntities(r, undefined));
  if (rawKey === undefined && method === 'GET') return { kind: 'route', run: (r) => listEntities(r, entityNameOf(rawName)) };
  return only(method, ['GET', 'POST', 'DELETE'], (r) => {
    const name = entityNameOf(rawName);
    const key = entityKeyOf(rawKey);
    return method === 'GET' ? readEntity(r, name, key) : signalEntity(r, name, key, method === 'DELETE');
  });
}

function instanceIdOf(raw: string): string {
  const parsed = InstanceIdSchema.safeParse(raw);
  if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? 'invalid instance id');
  return parsed.data;
}
