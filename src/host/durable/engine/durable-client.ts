/**
 * The engine's client operations (start, status, events, terminate, entities, purge...), over the
 * task hub store. Every operation that is acknowledged has made its message durable (a Work row)
 * before it returns; the engine is then nudged in memory.
 */
import { randomUUID } from 'node:crypto';
import type { HistoryEvent, OrchestrationStatusName } from '../core/history-event.js';
import { entityInstanceId, EntityMessageName, parseEntityInstanceId, type RequestMessage } from '../core/entity-messages.js';
import { parseSchedulerState } from '../core/entity-scheduler-state.js';
import type { InstanceMessage } from '../core/work.js';
import type { TaskHubStore } from '../store/task-hub-store.js';
import type { MessageHandover } from './message-handover.js';
import type { StoredMessage } from '../wire/work-row.js';
import { TERMINAL_STATUSES, type InstanceRecord } from '../wire/instance-row.js';
import {
  ClientErrorCode,
  DurableClientError,
  type DurableClientApi,
  type EntityPage,
  type EntityQuery,
  type EntityRecord,
  type InstancePage,
  type InstanceQuery,
  type InstanceStatus,
  type InstanceStatusWithHistory,
  type PurgeFilter,
} from './client-api.js';

export interface DurableClientDeps {
  store: TaskHubStore;
  taskHubName: string;
  /** Canonical registered name for a case-insensitive lookup, or undefined. */
  orchestratorName(name: string): string | undefined;
  entityName(name: string): string | undefined;
  defaultVersion: string | undefined;
  /** Writes messages as Work rows and hands them to the engine's instances in memory. */
  handover?: ClientHandover;
  /**
   * A start inserted the instance's row (none existed): the engine may run its first turn without
   * reading storage (a wrong guess fails the first commit's sentinel insert and is retried).
   */
  created?(instanceId: string): void;
  /** Without `handover` (a client with no engine in its process): called once a message is written. */
  notify?(instanceId: string): void;
  now?: () => Date;
}

/** A new execution id: 32 lower-case hex digits, as DTFx's `Guid.ToString("N")`. */
export function newExecutionId(): string {
  return randomUUID().replace(/-/g, '');
}

export class DurableClient implements DurableClientApi {
  readonly taskHubName: string;
  readonly #now: () => Date;
  readonly #handover: ClientHandover;

  constructor(private readonly deps: DurableClientDeps) {
    this.taskHubName = deps.taskHubName;
    this.#now = deps.now ?? (() => new Date());
    this.#handover = deps.handover ?? storageOnly(deps.store, deps.notify);
  }

  hasOrchestrator(name: string): boolean {
    return this.deps.orchestratorName(name) !== undefined;
  }

  hasEntity(name: string): boolean {
    return this.deps.entityName(name) !== undefined;
  }

  async startNew(name: string, options: { instanceId?: string; input?: string; version?: string }): Promise<{ instanceId: string }> {
    const canonical = this.deps.orchestratorName(name);
    if (!canonical) throw new DurableClientError(ClientErrorCode.BadRequest, `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`);
    const instanceId = options.instanceId ?? randomUUID().replace(/-/g, '');
    // No read first: the row insert below decides (a refused start's message is dropped by the instance).
    const executionId = newExecutionId();
    const now = this.#now().toISOString();
    const version = options.version ?? this.deps.defaultVersion ?? '';
    const started: HistoryEvent = {
      type: 'ExecutionStarted',
      eventId: -1,
      isPlayed: false,
      timestamp: now,
      name: canonical,
      version,
      instanceId,
      executionId,
      ...(options.input === undefined ? {} : { input: options.input }),
    };
    // The message first: if we crash before the row, the instance still starts and its first
    // turn writes the row; the other way round would leave a Pending row nobody runs.
    const stored = await this.#handover.write([{ messageId: `start-${executionId}`, targetInstanceId: instanceId, event: started }]);
    let outcome: Awaited<ReturnType<TaskHubStore['createInstanceIfAbsentOrTerminal']>>;
    try {
      outcome = await this.deps.store.createInstanceIfAbsentOrTerminal({
        instanceId,
        name: canonical,
        version,
        runtimeStatus: 'Pending',
        input: options.input,
        createdTime: now,
        lastUpdatedTime: now,
        executionId,
      });
      if (outcome.outcome === 'created') this.deps.created?.(instanceId);
    } finally {
      // Also when refused: the instance's next turn drops the start (already started) and deletes its row.
      this.#handover.deliver(stored);
    }
    if (outcome.outcome === 'exists' && outcome.existing.executionId !== executionId) {
      throw new DurableClientError(ClientErrorCode.AlreadyExists, `An orchestration with instance id '${instanceId}' already exists and is ${outcome.existing.runtimeStatus}.`);
    }
    return { instanceId };
  }

  async getStatus(instanceId: string, options: { showHistory?: boolean; showHistoryOutput?: boolean; showInput?: boolean } = {}): Promise<InstanceStatusWithHistory | undefined> {
    if (options.showHistory) {
      const loaded = await this.deps.store.loadInstance(instanceId, { work: false });
      if (!loaded.instance) return undefined;
      return { ...toStatus(loaded.instance), history: loaded.history?.events ?? [] };
    }
    const row = await this.deps.store.readInstance(instanceId);
    return row ? toStatus(row) : undefined;
  }

  async listInstances(query: InstanceQuery): Promise<InstancePage> {
    const page = await this.deps.store.queryInstances(query);
    return { instances: page.instances.map(toStatus), continuationToken: page.continuationToken };
  }

  async raiseEvent(instanceId: string, eventName: string, input: string | undefined): Promise<void> {
    await this.#requireActive(instanceId);
    await this.#send(instanceId, { type: 'EventRaised', eventId: -1, isPlayed: false, timestamp: this.#now().toISOString(), name: eventName, ...(input === undefined ? {} : { input }) });
  }

  async terminate(instanceId: string, reason?: string): Promise<void> {
    await this.#requireActive(instanceId);
    await this.#send(instanceId, { type: 'ExecutionTerminated', eventId: -1, isPlayed: false, timestamp: this.#now().toISOString(), ...(reason === undefined ? {} : { input: reason }) });
  }

  async suspend(instanceId: string, reason?: string): Promise<void> {
    const row = await this.#requireActive(instanceId);
    if (row.runtimeStatus === 'Suspended') throw new DurableClientError(ClientErrorCode.InvalidState, `Instance '${instanceId}' is already suspended.`);
    await this.#send(instanceId, { type: 'ExecutionSuspended', eventId: -1, isPlayed: false, timestamp: this.#now().toISOString(), ...(reason === undefined ? {} : { reason }) });
  }

  async resume(instanceId: string, reason?: string): Promise<void> {
    const row = await this.#requireActive(instanceId);
    if (row.runtimeStatus !== 'Suspended') throw new DurableClientError(ClientErrorCode.InvalidState, `Instance '${instanceId}' is not suspended (it is ${row.runtimeStatus}).`);
    await this.#send(instanceId, { type: 'ExecutionResumed', eventId: -1, isPlayed: false, timestamp: this.#now().toISOString(), ...(reason === undefined ? {} : { reason }) });
  }

  /** B.15: the instance's next turn rewrites its failed execution and runs it again (core/orchestration-rewind.ts). */
  async rewind(instanceId: string, reason?: string): Promise<void> {
    const row = await this.deps.store.readInstance(instanceId);
    if (!row) throw new DurableClientError(ClientErrorCode.NotFound, `No instance with ID '${instanceId}' found.`);
    if (row.runtimeStatus !== 'Failed') throw new DurableClientError(ClientErrorCode.InvalidState, `Instance '${instanceId}' is ${row.runtimeStatus}; only failed instances can be rewound.`);
    await this.#send(instanceId, { type: 'ExecutionRewound', eventId: -1, isPlayed: false, timestamp: this.#now().toISOString(), ...(reason === undefined ? {} : { reason }) });
  }

  async restart(instanceId: string, options: { restartWithNewInstanceId: boolean }): Promise<{ instanceId: string }> {
    const row = await this.deps.store.readInstance(instanceId);
    if (!row) throw new DurableClientError(ClientErrorCode.BadRequest, `No instance with ID '${instanceId}' found.`);
    return this.startNew(row.name, { instanceId: options.restartWithNewInstanceId ? undefined : instanceId, input: row.input, version: row.version });
  }

  async purge(instanceId: string): Promise<number> {
    const row = await this.deps.store.readInstance(instanceId);
    if (!row) return 0;
    if (!TERMINAL_STATUSES.includes(row.runtimeStatus) && !parseEntityInstanceId(instanceId)) {
      throw new DurableClientError(ClientErrorCode.PreconditionFailed, `Instance '${instanceId}' is ${row.runtimeStatus}; only completed, failed or terminated instances can be purged.`);
    }
    return this.deps.store.purgeInstance(instanceId);
  }

  async purgeBy(filter: PurgeFilter): Promise<number> {
    const statuses: OrchestrationStatusName[] = (filter.runtimeStatus ?? [...TERMINAL_STATUSES]).filter((s) => TERMINAL_STATUSES.includes(s));
    if (statuses.length === 0) return 0;
    return this.deps.store.purgeBy({ ...filter, runtimeStatus: statuses });
  }

  async signalEntity(name: string, key: string, operation: string, input: string | undefined): Promise<void> {
    const canonical = this.deps.entityName(name);
    if (!canonical) throw new DurableClientError(ClientErrorCode.BadRequest, `The function '${name}' doesn't exist, is disabled, or is not an entity function.`);
    const targetInstanceId = entityInstanceId({ name, key });
    const request: RequestMessage = { op: operation, signal: true, id: randomUUID(), ...(input === undefined ? {} : { input }) };
    await this.#send(targetInstanceId, {
      type: 'EventRaised',
      eventId: -1,
      isPlayed: false,
      timestamp: this.#now().toISOString(),
      name: EntityMessageName.Request,
      input: JSON.stringify(request),
    });
  }

  async readEntity(name: string, key: string): Promise<EntityRecord | undefined> {
    const instanceId = entityInstanceId({ name, key });
    const row = await this.deps.store.readInstance(instanceId);
    if (!row) return undefined;
    const state = parseSchedulerState(row.input);
    if (!state.exists) return undefined;
    return {
      name: name.toLowerCase(),
      key,
      exists: true,
      state: state.state,
      lastOperationTime: row.lastUpdatedTime,
      lockedBy: state.lockedBy,
      queueSize: state.queue.length,
    };
  }

  listEntities(query: EntityQuery): Promise<EntityPage> {
    return this.deps.store.queryEntities(query);
  }

  async #requireActive(instanceId: string): Promise<InstanceRecord> {
    const row = await this.deps.store.readInstance(instanceId);
    if (!row) throw new DurableClientError(ClientErrorCode.NotFound, `No instance with ID '${instanceId}' found.`);
    if (TERMINAL_STATUSES.includes(row.runtimeStatus)) {
      throw new DurableClientError(ClientErrorCode.Gone, `Instance '${instanceId}' is in the ${row.runtimeStatus} state.`);
    }
    return row;
  }

  async #send(targetInstanceId: string, event: HistoryEvent): Promise<void> {
    const message: InstanceMessage = { messageId: randomUUID(), targetInstanceId, event };
    await this.#handover.send([message]);
  }
}

type ClientHandover = Pick<MessageHandover, 'write' | 'deliver' | 'send'>;

/** A client with no engine in its process: the messages wait in storage for recovery or a notification. */
function storageOnly(store: TaskHubStore, notify: ((instanceId: string) => void) | undefined): ClientHandover {
  const write = async (messages: readonly InstanceMessage[]): Promise<StoredMessage[]> => {
    const keys = await store.putMessages(messages);
    return messages.map((m, i) => ({ ...m, rowKey: keys[i] as string }));
  };
  const deliver = (stored: readonly StoredMessage[]): void => {
    for (const id of new Set(stored.map((s) => s.targetInstanceId))) notify?.(id);
  };
  return {
    write,
    deliver,
    send: async (messages) => {
      const stored = await write(messages);
      deliver(stored);
      return stored;
    },
  };
}

function toStatus(row: InstanceRecord): InstanceStatus {
  return {
    instanceId: row.instanceId,
    name: row.name,
    version: row.version,
    runtimeStatus: row.runtimeStatus,
    input: row.input,
    output: row.output,
    customStatus: row.customStatus,
    createdTime: row.createdTime,
    lastUpdatedTime: row.lastUpdatedTime,
    completedTime: row.completedTime,
    executionId: row.executionId,
  };
}
