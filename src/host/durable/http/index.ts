/** The Durable HTTP API (`/runtime/webhooks/durabletask/`) and the `durableClient` binding payload. */
export { createDurableHttpApi, DURABLE_HTTP_API_PREFIX, type DurableHttpApiOptions } from './durable-http-api.js';
export {
  durableClientPayload,
  durableClientProvider,
  DURABLE_CLIENT_BINDING_TYPES,
  type DurableClientPayload,
  type DurableClientPayloadOptions,
  type DurableClientProviderOptions,
} from './client-binding.js';
export { statusForClientError } from './durable-error-response.js';
export { newOrchestrationIdProblem, lookupInstanceIdProblem, MAX_INSTANCE_ID_LENGTH, NewOrchestrationIdSchema, InstanceIdSchema } from './instance-id.js';
export { DURABLE_WEBHOOK_PATH, managementUrls, type ManagementUrls, type CheckStatusBody } from './management-urls.js';
export { systemWaitClock, type WaitClock } from './wait-clock.js';
