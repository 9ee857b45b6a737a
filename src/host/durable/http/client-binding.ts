/**
 * The `durableClient` input binding: the JSON the extension gives a function so that the
 * JS `DurableClient` can reach the Durable HTTP API (every call goes to `rpcBaseUrl`).
 * @see durable-protocol.md E.1; extension BindingHelper.DurableOrchestrationClientToString
 */
import type { InputBindingContext, InputBindingProvider } from '../../worker/binding-extensions.js';
import type { RpcTypedData } from '../../worker/rpc-types.js';
import {
  type CreationUrls,
  DEFAULT_CONNECTION_NAME,
  DURABLE_WEBHOOK_PATH,
  INSTANCE_ID_PLACEHOLDER,
  type ManagementUrls,
  creationUrls,
  managementUrls,
} from './management-urls.js';

/** Binding type names the library accepts (`isDurableClientInput`); `orchestrationClient` is the v1 name. */
export const DURABLE_CLIENT_BINDING_TYPES = ['durableClient', 'orchestrationClient'] as const;

export interface DurableClientPayloadOptions {
  taskHubName: string;
  /** The host's base URL, e.g. `http://127.0.0.1:7071` (a trailing slash is ignored). */
  baseUrl: string;
  /** The binding's connection name; null in the payload and `Storage` in the URLs when absent. */
  connectionName?: string | undefined;
}

/** `OrchestrationClientInputData` as the extension serialises it. */
export interface DurableClientPayload {
  taskHubName: string;
  connectionName: string | null;
  creationUrls: CreationUrls;
  managementUrls: ManagementUrls;
  baseUrl: string;
  requiredQueryStringParameters: string;
  rpcBaseUrl: string;
  httpBaseUrl: null;
}

export function durableClientPayload(o: DurableClientPayloadOptions): DurableClientPayload {
  const origin = o.baseUrl.replace(/\/+$/, '');
  return {
    taskHubName: o.taskHubName,
    connectionName: o.connectionName ?? null,
    creationUrls: creationUrls(origin),
    managementUrls: managementUrls({
      origin,
      instanceId: INSTANCE_ID_PLACEHOLDER,
      taskHub: o.taskHubName,
      connection: o.connectionName ?? DEFAULT_CONNECTION_NAME,
    }),
    baseUrl: `${origin}${DURABLE_WEBHOOK_PATH}`,
    // No system key locally; the JS only needs it when there is no rpcBaseUrl.
    requiredQueryStringParameters: '',
    // Must end with '/': the JS resolves `new URL('instances/…', rpcBaseUrl)` (durable-protocol I.14).
    rpcBaseUrl: `${origin}${DURABLE_WEBHOOK_PATH}/`,
    httpBaseUrl: null,
  };
}

export interface DurableClientProviderOptions {
  taskHubName: string;
  baseUrl: string;
  /** The connection name used when a binding names none. */
  connectionName?: string;
}

/**
 * An input provider for `BindingExtensions.addInput('durableClient' | 'orchestrationClient', …)`.
 * A binding's own `taskHub` / `connectionName` properties (function.json style) win.
 */
export function durableClientProvider(o: DurableClientProviderOptions): InputBindingProvider {
  return (ctx: InputBindingContext): RpcTypedData => {
    const taskHub = nonEmptyString(ctx.binding.taskHub) ?? o.taskHubName;
    const connectionName = nonEmptyString(ctx.binding.connectionName) ?? o.connectionName;
    return { string: JSON.stringify(durableClientPayload({ taskHubName: taskHub, baseUrl: o.baseUrl, connectionName })) };
  };
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
