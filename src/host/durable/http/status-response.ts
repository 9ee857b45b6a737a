/**
 * Responses about one instance: its status (`GET instances/{id}`), the check-status 202 that
 * follows a start, and the wait-for-completion answer (`timeout` + `pollingInterval`).
 * @see durable-protocol.md E.2, F; extension HttpApiHandler.HandleGetStatusRequestAsync,
 *   WaitForCompletionOrCreateCheckStatusResponseAsync, CreateCheckStatusResponseMessage
 */
import { sendJson } from '../../http/json-response.js';
import type { OrchestrationStatusName } from '../core/history-event.js';
import type { InstanceStatusWithHistory } from '../engine/client-api.js';
import type { StatusQuery } from '../wire/http-query.js';
import { statusPayload } from '../wire/http-status-payload.js';
import { parseStoredJson } from '../wire/http-stored-json.js';
import { badRequest } from './durable-error-response.js';
import type { DurableRequest } from './durable-request.js';
import { checkStatusBody, managementUrls } from './management-urls.js';

const RUNNING: readonly OrchestrationStatusName[] = ['Running', 'Pending', 'ContinuedAsNew', 'Suspended'];
const TERMINAL: readonly OrchestrationStatusName[] = ['Completed', 'Failed', 'Terminated', 'Canceled'];

export function isTerminal(status: OrchestrationStatusName): boolean {
  return TERMINAL.includes(status);
}

/** 202 + Location (this URL) + Retry-After: 5 while running; 200 once done (Failed: 500 when asked). */
export function sendStatus(r: DurableRequest, status: InstanceStatusWithHistory, q: StatusQuery): void {
  const body = statusPayload(status, q);
  if (RUNNING.includes(status.runtimeStatus)) {
    sendJson(r.res, 202, body, { Location: r.url.href, 'Retry-After': '5' });
    return;
  }
  const code = status.runtimeStatus === 'Failed' && q.returnInternalServerErrorOnFailure ? 500 : 200;
  sendJson(r.res, code, body);
}

/** 202 with the instance's management links, built on the origin the request came to. */
export function sendCheckStatus(r: DurableRequest, instanceId: string): void {
  const urls = managementUrls({ origin: r.url.origin, instanceId, taskHub: r.taskHub, connection: r.connection });
  sendJson(r.res, 202, checkStatusBody(urls), { Location: urls.statusQueryGetUri, 'Retry-After': '10' });
}

export interface WaitOptions {
  /** Seconds. */
  timeout?: number | undefined;
  /** Seconds. */
  pollingInterval?: number | undefined;
}

/**
 * After a start or restart: without both `timeout` and `pollingInterval`, the check-status 202.
 * With them, poll until the instance is done or the time is up: Completed answers 200 with the
 * output, Failed/Terminated/Canceled 200 with the status, anything else the check-status 202.
 */
export async function sendStartedResponse(r: DurableRequest, instanceId: string, wait: WaitOptions): Promise<void> {
  if (wait.timeout === undefined || wait.pollingInterval === undefined) {
    sendCheckStatus(r, instanceId);
    return;
  }
  if (wait.pollingInterval > wait.timeout) {
    throw badRequest(`Total timeout ${wait.timeout} should be bigger than retry timeout ${wait.pollingInterval}`);
  }
  const timeoutMs = wait.timeout * 1000;
  const intervalMs = wait.pollingInterval * 1000;
  const start = r.clock.now();
  let status: InstanceStatusWithHistory | undefined;
  for (;;) {
    status = await r.client.getStatus(instanceId, { showInput: true });
    if (status && isTerminal(status.runtimeStatus)) break;
    const elapsed = r.clock.now() - start;
    if (elapsed >= timeoutMs) break;
    // A zero interval would spin; poll at least every 10 ms.
    await r.clock.sleep(Math.max(10, Math.min(intervalMs, timeoutMs - elapsed)));
  }
  if (status?.runtimeStatus === 'Completed') {
    sendJson(r.res, 200, parseStoredJson(status.output));
  } else if (status && isTerminal(status.runtimeStatus)) {
    sendJson(r.res, 200, statusPayload(status, { showHistory: false, showHistoryOutput: false, showInput: true }));
  } else {
    sendCheckStatus(r, instanceId);
  }
}
