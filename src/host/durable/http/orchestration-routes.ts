/**
 * Routes that create orchestration instances: `POST orchestrators/{name}[/{id}]` and
 * `POST instances/{id}/restart`.
 * @see durable-protocol.md F; extension HttpApiHandler.HandleStartOrchestratorRequestAsync, HandleRestartInstanceRequestAsync
 */
import { ClientErrorCode, DurableClientError } from '../engine/client-api.js';
import { RestartQuerySchema, StartQuerySchema, parseQuery } from '../wire/http-query.js';
import { badRequest } from './durable-error-response.js';
import { type DurableRequest, jsonText, readBodyText } from './durable-request.js';
import { NewOrchestrationIdSchema } from './instance-id.js';
import { sendStartedResponse } from './status-response.js';

export async function startOrchestration(r: DurableRequest, functionName: string, instanceId: string | undefined): Promise<void> {
  const query = parseQuery(StartQuerySchema, r.url);
  if (instanceId !== undefined) {
    const checked = NewOrchestrationIdSchema.safeParse(instanceId);
    if (!checked.success) throw badRequest(checked.error.issues[0]?.message ?? 'invalid instance id');
  }
  if (!r.client.hasOrchestrator(functionName)) {
    throw badRequest(`The function '${functionName}' doesn't exist, is disabled, or is not an orchestrator function.`);
  }
  const text = await readBodyText(r.req);
  const input = text === undefined ? undefined : jsonText(text);
  const started = await r.client.startNew(functionName, {
    ...(instanceId !== undefined ? { instanceId } : {}),
    ...(input !== undefined ? { input } : {}),
    ...(query.version !== undefined ? { version: query.version } : {}),
  });
  r.log.log('debug', 'orchestration started over http', { functionName, instanceId: started.instanceId });
  await sendStartedResponse(r, started.instanceId, query);
}

export async function restartInstance(r: DurableRequest, instanceId: string): Promise<void> {
  const query = parseQuery(RestartQuerySchema, r.url);
  let restarted: { instanceId: string };
  try {
    restarted = await r.client.restart(instanceId, { restartWithNewInstanceId: query.restartWithNewInstanceId ?? true });
  } catch (err) {
    // The extension answers an unknown id here with 400, not 404.
    if (err instanceof DurableClientError && err.code === ClientErrorCode.NotFound) {
      throw badRequest(`InstanceId does not match a valid orchestration instance: ${err.message}`);
    }
    throw err;
  }
  await sendStartedResponse(r, restarted.instanceId, query);
}
