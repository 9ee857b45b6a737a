/**
 * The binding data of one invocation: the names `{...}` expressions can use, built from what the
 * trigger sent, as the Functions host's triggers contribute them:
 * - every trigger metadata entry (queue: `QueueTrigger`, `Id`, `DequeueCount`, `InsertionTime`...;
 *   HTTP: route values, `Query`, `Headers`; activity: `instanceId`);
 * - the top-level properties of a JSON object payload (a queue message, an activity's input as the
 *   Durable extension does, an HTTP request body), below the metadata so the trigger's own names win;
 *   for HTTP, query values and route values (route wins) are above the body's properties;
 * - `sys`: `MethodName`, `UtcNow` (a date), `RandGuid` (one per invocation).
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-expressions-patterns#trigger-metadata
 */
import type { RegisteredFunction } from '../worker/function-registry.js';
import type { RpcHttpData, RpcTypedData } from '../worker/rpc-types.js';
import { readTypedData } from '../worker/typed-data.js';
import { BindingData, BindingGuid } from './binding-expressions.js';

export interface TriggerPayload {
  triggerData?: RpcTypedData;
  triggerMetadata?: Record<string, RpcTypedData>;
}

export function bindingDataFor(fn: Pick<RegisteredFunction, 'name'>, invocation: TriggerPayload, now: Date = new Date()): BindingData {
  const data = new BindingData();
  const trigger = invocation.triggerData;
  if (trigger?.http) {
    addObject(data, jsonObjectOf(httpBodyText(trigger.http)));
    for (const [k, v] of Object.entries(trigger.http.query ?? {})) data.set(k, v);
    for (const [k, v] of Object.entries(trigger.http.params ?? {})) data.set(k, v);
  } else if (trigger) {
    const value = readTypedData(trigger);
    addObject(data, typeof value === 'string' ? jsonObjectOf(value) : isObject(value) ? value : undefined);
  }
  for (const [k, v] of Object.entries(invocation.triggerMetadata ?? {})) {
    if (k.toLowerCase() === 'sys') continue;
    data.set(k, readTypedData(v));
  }
  const sys = new BindingData();
  sys.set('MethodName', fn.name);
  sys.set('UtcNow', now);
  sys.set('RandGuid', new BindingGuid());
  data.set('sys', sys);
  return data;
}

function addObject(data: BindingData, value: Record<string, unknown> | undefined): void {
  for (const [k, v] of Object.entries(value ?? {})) data.set(k, v);
}

function httpBodyText(http: RpcHttpData): string | undefined {
  const body = http.body;
  if (!body) return undefined;
  if (typeof body.string === 'string') return body.string;
  if (body.bytes) return Buffer.from(body.bytes).toString('utf8');
  return undefined;
}

function jsonObjectOf(text: string | undefined): Record<string, unknown> | undefined {
  const trimmed = text?.trim();
  if (!trimmed?.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}
