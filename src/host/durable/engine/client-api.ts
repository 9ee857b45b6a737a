/**
 * The operations a Durable client can ask of the engine. The HTTP API (`../http/`) and the
 * `durableClient` RPC speak HTTP and JSON; this interface speaks stored values (JSON text).
 */
import type { HistoryEvent, OrchestrationStatusName } from '../core/history-event.js';

export interface InstanceStatus {
  instanceId: string;
  name: string;
  version: string;
  runtimeStatus: OrchestrationStatusName;
  /** Stored JSON text (or a plain string such as a termination reason); undefined when none. */
  input?: string;
  output?: string;
  customStatus?: string;
  /** ISO-8601 UTC. */
  createdTime: string;
  lastUpdatedTime: string;
  completedTime?: string;
  executionId: string;
  parentInstanceId?: string;
}

export interface InstanceStatusWithHistory extends InstanceStatus {
  /** The current execution's history, oldest first (only when asked for). */
  history?: HistoryEvent[];
}

export interface InstanceQuery {
  createdTimeFrom?: Date;
  createdTimeTo?: Date;
  runtimeStatus?: OrchestrationStatusName[];
  instanceIdPrefix?: string;
  /** Page size. @default 100 */
  top?: number;
  continuationToken?: string;
  /** @default true */
  showInput?: boolean;
}

export interface InstancePage {
  instances: InstanceStatus[];
  /** Absent when this is the last page. */
  continuationToken?: string;
}

export interface PurgeFilter {
  createdTimeFrom: Date;
  createdTimeTo?: Date;
  runtimeStatus?: OrchestrationStatusName[];
}

export interface EntityRecord {
  /** Entity name as stored (lower-case). */
  name: string;
  key: string;
  exists: boolean;
  /** The entity state as JSON text, when it exists. */
  state?: string;
  lastOperationTime: string;
  lockedBy?: string;
  queueSize?: number;
}

export interface EntityQuery {
  /** Lower-cased entity name; all entities when absent. */
  name?: string;
  lastOperationTimeFrom?: Date;
  lastOperationTimeTo?: Date;
  top?: number;
  continuationToken?: string;
  fetchState?: boolean;
}

export interface EntityPage {
  entities: EntityRecord[];
  continuationToken?: string;
}

/** Why a client operation was refused; the HTTP layer maps `code` to the extension's status. */
export const ClientErrorCode = {
  /** 400: bad id, unknown function, bad argument. */
  BadRequest: 'BAD_REQUEST',
  /** 404: no such instance / entity. */
  NotFound: 'NOT_FOUND',
  /** 410: the instance is in a terminal state. */
  Gone: 'GONE',
  /** 409: an instance with this id is running (the extension answers a generic 500; we say why). */
  AlreadyExists: 'ALREADY_EXISTS',
  /** 412: precondition failed (e.g. purge of a running instance). */
  PreconditionFailed: 'PRECONDITION_FAILED',
  /** 409: wrong state for the operation (suspend a suspended instance, rewind a non-failed one). */
  InvalidState: 'INVALID_STATE',
  /** 501 */
  NotImplemented: 'NOT_IMPLEMENTED',
} as const;
export type ClientErrorCodeName = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

export class DurableClientError extends Error {
  override name = 'DurableClientError';
  constructor(
    readonly code: ClientErrorCodeName,
    message: string,
  ) {
    super(message);
  }
}

export interface DurableClientApi {
  readonly taskHubName: string;
  /** Registered orchestrator names (as registered; lookups are case-insensitive). */
  hasOrchestrator(name: string): boolean;
  hasEntity(name: string): boolean;

  /** Start an orchestration; `input` is JSON text. Existing non-terminal instance: AlreadyExists; terminal instances are overwritten. */
  startNew(name: string, options: { instanceId?: string; input?: string; version?: string }): Promise<{ instanceId: string }>;
  getStatus(instanceId: string, options?: { showHistory?: boolean; showHistoryOutput?: boolean; showInput?: boolean }): Promise<InstanceStatusWithHistory | undefined>;
  listInstances(query: InstanceQuery): Promise<InstancePage>;
  /** `input` is JSON text or undefined. NotFound / Gone. */
  raiseEvent(instanceId: string, eventName: string, input: string | undefined): Promise<void>;
  terminate(instanceId: string, reason?: string): Promise<void>;
  suspend(instanceId: string, reason?: string): Promise<void>;
  resume(instanceId: string, reason?: string): Promise<void>;
  rewind(instanceId: string, reason?: string): Promise<void>;
  /** Start the same orchestrator with the stored input; a new random id unless `restartWithNewInstanceId` is false. */
  restart(instanceId: string, options: { restartWithNewInstanceId: boolean }): Promise<{ instanceId: string }>;
  /** Returns the number of instances deleted (0 or 1). Running instance: PreconditionFailed. */
  purge(instanceId: string): Promise<number>;
  purgeBy(filter: PurgeFilter): Promise<number>;

  /** `input` is JSON text or undefined. Unknown entity function: BadRequest. */
  signalEntity(name: string, key: string, operation: string, input: string | undefined): Promise<void>;
  readEntity(name: string, key: string): Promise<EntityRecord | undefined>;
  listEntities(query: EntityQuery): Promise<EntityPage>;
}
