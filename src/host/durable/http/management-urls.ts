/**
 * The URLs the extension hands out: the `durableClient` binding's templates and the
 * management links of one instance (check-status responses).
 * @see durable-protocol.md E.1, F; extension HttpApiHandler.GetClientResponseLinks / GetInstanceCreationLinks
 */

/** Where the Durable HTTP API lives on the host. */
export const DURABLE_WEBHOOK_PATH = '/runtime/webhooks/durabletask';

/** The placeholder the JS library replaces with an instance id (`managementUrls.id`). */
export const INSTANCE_ID_PLACEHOLDER = 'INSTANCEID';

/** The connection name the extension reports when a binding names none. */
export const DEFAULT_CONNECTION_NAME = 'Storage';

/** `HttpManagementPayload`, in the extension's key order. */
export interface ManagementUrls {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
  terminatePostUri: string;
  rewindPostUri: string;
  purgeHistoryDeleteUri: string;
  restartPostUri: string;
  suspendPostUri: string;
  resumePostUri: string;
}

export interface CreationUrls {
  createNewInstancePostUri: string;
  createAndWaitOnNewInstancePostUri: string;
}

export interface ManagementUrlOptions {
  /** `http://host:port`, no trailing slash. */
  origin: string;
  /** The raw instance id (encoded here), or {@link INSTANCE_ID_PLACEHOLDER}. */
  instanceId: string;
  taskHub: string;
  connection: string;
}

/** The management links of one instance. */
export function managementUrls(o: ManagementUrlOptions): ManagementUrls {
  const instance = `${o.origin}${DURABLE_WEBHOOK_PATH}/instances/${encodeURIComponent(o.instanceId)}`;
  const query = `taskHub=${encodeURIComponent(o.taskHub)}&connection=${encodeURIComponent(o.connection)}`;
  return {
    id: o.instanceId,
    statusQueryGetUri: `${instance}?${query}`,
    sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
    terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
    rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
    purgeHistoryDeleteUri: `${instance}?${query}`,
    restartPostUri: `${instance}/restart?${query}`,
    suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
    resumePostUri: `${instance}/resume?reason={text}&${query}`,
  };
}

/**
 * The start templates. The extension appends only the webhook's own query (a system key in
 * Azure, nothing locally), so these end in `?` and `&` exactly as the extension's do.
 */
export function creationUrls(origin: string): CreationUrls {
  const prefix = `${origin}${DURABLE_WEBHOOK_PATH}/orchestrators/{functionName}[/{instanceId}]`;
  return {
    createNewInstancePostUri: `${prefix}?`,
    createAndWaitOnNewInstancePostUri: `${prefix}?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&`,
  };
}

/** The body of a check-status (HTTP 202) response. */
export interface CheckStatusBody {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
  terminatePostUri: string;
  purgeHistoryDeleteUri: string;
  restartPostUri: string;
  suspendPostUri: string;
  resumePostUri: string;
  rewindPostUri: string;
}

/**
 * The extension's check-status body plus `rewindPostUri`, which the JS library's own
 * `createCheckStatusResponse` includes; clients of either get every link they may look for.
 */
export function checkStatusBody(urls: ManagementUrls): CheckStatusBody {
  return {
    id: urls.id,
    statusQueryGetUri: urls.statusQueryGetUri,
    sendEventPostUri: urls.sendEventPostUri,
    terminatePostUri: urls.terminatePostUri,
    purgeHistoryDeleteUri: urls.purgeHistoryDeleteUri,
    restartPostUri: urls.restartPostUri,
    suspendPostUri: urls.suspendPostUri,
    resumePostUri: urls.resumePostUri,
    rewindPostUri: urls.rewindPostUri,
  };
}
