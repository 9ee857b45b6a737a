/**
 * The task hub in Azure Storage: the DTFx layout DfMon reads (`<Hub>Instances`, `<Hub>History`,
 * queues, `-largemessages`, `-leases/taskhub.json`) plus the engine's `<Hub>Work` and `<Hub>Timers`.
 * The one object the engine talks to for everything durable.
 * @see taskhub-layout.md; docs/design/durable-engine.md
 */
import { odata } from '@azure/data-tables';
import type { InstanceMessage } from '../core/work.js';
import type { EntityPage, EntityQuery, InstanceQuery, PurgeFilter } from '../engine/client-api.js';
import type { Logger } from '../../log/logger.js';
import type { InstanceFields, InstanceRecord } from '../wire/instance-row.js';
import type { TimerRecord } from '../wire/work-row.js';
import { statusOf } from './errors.js';
import { HistoryStore, type CommitTurnRequest, type LoadedHistory } from './history-store.js';
import { InstanceStore, type CreateOutcome, type InstanceRecordPage } from './instance-store.js';
import { escapePartitionKey } from './key-sanitation.js';
import { LargeValues } from './large-values.js';
import { RequestCounter, createTaskHubClients, type TaskHubClients } from './storage-clients.js';
import { deleteRows, listAll } from './table-ops.js';
import { taskHubNames, type TaskHubNames } from './taskhub-names.js';
import { TimerStore } from './timer-store.js';
import { WorkStore, type InstanceWork, type WorkChanges } from './work-store.js';

export interface TaskHubStoreOptions {
  /** Storage account connection string (Azurite or Azure). */
  connectionString: string;
  /** Alphanumeric, starts with a letter, 3-45 chars, not `DurableTask`. */
  hubName: string;
  /** Number of control queues, 1-16. Use 4 (DTFx's default) so a DfMon-created `taskhub.json` agrees. @default 4 */
  partitionCount?: number;
  log: Logger;
}

/** What {@link TaskHubStore.loadInstance} found; each part is undefined/empty when absent. */
export interface LoadedInstance {
  /** Current execution's history and sentinel; undefined before the first commit. */
  history: LoadedHistory | undefined;
  /** The Instances row; undefined before the first write. */
  instance: InstanceRecord | undefined;
  work: InstanceWork;
}

const PURGE_CONCURRENCY = 4;

export class TaskHubStore {
  readonly names: TaskHubNames;
  readonly #counter: RequestCounter;
  readonly #clients: TaskHubClients;
  readonly #large: LargeValues;
  readonly #history: HistoryStore;
  readonly #instances: InstanceStore;
  readonly #work: WorkStore;
  readonly #timers: TimerStore;
  readonly #log: Logger;

  private constructor(options: TaskHubStoreOptions) {
    this.names = taskHubNames(options.hubName, options.partitionCount ?? 4);
    this.#counter = new RequestCounter();
    this.#clients = createTaskHubClients(options.connectionString, this.names, this.#counter);
    this.#large = new LargeValues(this.#clients.largeMessages, this.#counter);
    this.#history = new HistoryStore(this.#clients.history, this.#large);
    this.#instances = new InstanceStore(this.#clients.instances, this.#large, this.names.hub);
    this.#work = new WorkStore(this.#clients.work, this.#large);
    this.#timers = new TimerStore(this.#clients.timers);
    this.#log = options.log.child({ taskHub: this.names.hub });
  }

  /**
   * Validate the hub name and create whatever of the hub is missing: the four tables, the control
   * and work-item queues, the large-message container and `<hub>-leases/taskhub.json`.
   * @throws InvalidHubNameError for a bad hub name.
   */
  static async open(options: TaskHubStoreOptions): Promise<TaskHubStore> {
    const store = new TaskHubStore(options);
    await store.#ensureResources();
    store.#log.log('info', 'task hub ready', { partitionCount: store.names.controlQueues.length });
    return store;
  }

  /** Storage requests made so far (tables counted on the wire, retries included; blob and queue calls one each). */
  get requestCount(): number {
    return this.#counter.count;
  }

  /** The same requests by kind (`History.query:12;Work.batch:3;...`), for the diagnostics line and the benchmarks. */
  get requestKinds(): string {
    return this.#counter.kindsText();
  }

  /**
   * History (current execution), sentinel, Instances row and Work partition, read in parallel.
   * `work: false` skips the Work partition (a query; the engine knows when it holds nothing unseen).
   */
  async loadInstance(instanceId: string, options: { work?: boolean } = {}): Promise<LoadedInstance> {
    const [history, instance, work] = await Promise.all([
      this.#history.read(instanceId),
      this.#instances.read(instanceId),
      options.work === false ? { messages: [], activities: [] } : this.#work.read(instanceId),
    ]);
    return { history, instance, work };
  }

  /**
   * Commit a turn: event rows at X16(startIndex + i) and the sentinel, in one entity-group
   * transaction (more, in order, only past 99 rows). Returns the sentinel's new ETag.
   * @throws ConcurrencyError when `sentinelEtag` is stale (or undefined while a sentinel exists).
   */
  commitTurn(request: CommitTurnRequest): Promise<string> {
    return this.#history.commit(request);
  }

  /** Merge the Instances row (Replace with `mode: 'Replace'`). CustomStatus is written as `"null"` when undefined. */
  writeInstance(fields: InstanceFields, mode: 'Merge' | 'Replace' = 'Merge'): Promise<void> {
    return this.#instances.write(fields, mode);
  }

  /** Client start: insert; replace a terminal row (Generation + 1); report `exists` for a non-terminal one. */
  createInstanceIfAbsentOrTerminal(fields: Omit<InstanceFields, 'generation'>): Promise<CreateOutcome> {
    return this.#instances.createIfAbsentOrTerminal(fields);
  }

  readInstance(instanceId: string): Promise<InstanceRecord | undefined> {
    return this.#instances.read(instanceId);
  }

  /** Orchestrations only (entity rows excluded); `top` defaults to 100. */
  queryInstances(query: InstanceQuery): Promise<InstanceRecordPage> {
    return this.#instances.query(query);
  }

  /** Entity rows; entities that do not exist (deleted or never had state) only with `includeDeleted`. */
  queryEntities(query: EntityQuery, options: { includeDeleted?: boolean } = {}): Promise<EntityPage> {
    return this.#instances.queryEntities(query, options);
  }

  /**
   * Delete everything of one instance: History and Work partitions, its timers, its large-message
   * blobs, and last the Instances row (so an interrupted purge can be repeated). Returns 1 when
   * the Instances row existed, else 0.
   */
  async purgeInstance(instanceId: string): Promise<number> {
    const partitionKey = escapePartitionKey(instanceId);
    const historyKeys = await listAll(this.#clients.history, { queryOptions: { filter: odata`PartitionKey eq ${partitionKey}`, select: ['RowKey'] } });
    await Promise.all([
      deleteRows(this.#clients.history, partitionKey, historyKeys.map((r) => r.rowKey ?? '')),
      this.#work.deletePartition(instanceId),
      this.#timers.deleteForInstance(instanceId),
      this.#large.deletePrefix(`${partitionKey}/`),
    ]);
    const existed = await this.#instances.delete(instanceId);
    this.#log.log('debug', 'instance purged', { instanceId, existed });
    return existed ? 1 : 0;
  }

  /** Purge every instance (orchestrations and entities) created in the range with one of the statuses. Returns how many were deleted. */
  async purgeBy(filter: PurgeFilter): Promise<number> {
    const ids = await this.#instances.listIds(filter);
    let deleted = 0;
    for (let i = 0; i < ids.length; i += PURGE_CONCURRENCY) {
      const counts = await Promise.all(ids.slice(i, i + PURGE_CONCURRENCY).map((id) => this.purgeInstance(id)));
      deleted += counts.reduce((a, b) => a + b, 0);
    }
    return deleted;
  }

  /** Deliver messages as Work rows (idempotent by message id and event time). Returns their row keys in input order. */
  putMessages(messages: readonly InstanceMessage[]): Promise<string[]> {
    return this.#work.putMessages(messages);
  }

  /** Insert scheduled activities and delete consumed rows of one Work partition (one transaction per 100 operations; repeatable). */
  applyWork(instanceId: string, changes: WorkChanges): Promise<void> {
    return this.#work.apply(instanceId, changes);
  }

  /**
   * Delete consumed rows of one Work partition with its next transaction (or shortly); nothing
   * waits. Only for rows the instance drops as a re-delivery should one survive a crash.
   */
  deleteWorkLater(instanceId: string, rowKeys: readonly string[]): void {
    this.#work.deleteLater(instanceId, rowKeys);
  }

  /** Every instance with in-flight work and its row keys (a keys-only scan of `<Hub>Work`). */
  listWorkPartitions(): Promise<{ instanceId: string; rowKeys: string[] }[]> {
    return this.#work.listPartitions();
  }

  readWork(instanceId: string): Promise<InstanceWork> {
    return this.#work.read(instanceId);
  }

  putTimers(timers: readonly TimerRecord[]): Promise<void> {
    return this.#timers.put(timers);
  }

  deleteTimers(timers: readonly TimerRecord[]): Promise<void> {
    return this.#timers.delete(timers);
  }

  /** The earliest timer (the first row of `<Hub>Timers`). */
  nextTimer(): Promise<TimerRecord | undefined> {
    return this.#timers.next();
  }

  /** Up to `limit` timers due at `now`, earliest first. */
  dueTimers(now: Date, limit: number): Promise<TimerRecord[]> {
    return this.#timers.due(now, limit);
  }

  async #ensureResources(): Promise<void> {
    const { instances, history, work, timers, queues, largeMessages, blobs } = this.#clients;
    const count = <T>(p: Promise<T>): Promise<T> => (this.#counter.add(1, 'setup'), p);
    await Promise.all([
      // createTable tolerates an existing table.
      instances.createTable(),
      history.createTable(),
      work.createTable(),
      timers.createTable(),
      ...[...this.names.controlQueues, this.names.workItemQueue].map((name) => count(queues.getQueueClient(name).createIfNotExists())),
      count(largeMessages.createIfNotExists()),
      this.#ensureTaskHubJson(blobs, count),
    ]);
  }

  /** `taskhub.json` as DTFx's blob partition manager writes it; an existing one (ours or DfMon's) is kept. */
  async #ensureTaskHubJson(blobs: TaskHubClients['blobs'], count: <T>(p: Promise<T>) => Promise<T>): Promise<void> {
    const container = blobs.getContainerClient(this.names.leasesContainer);
    await count(container.createIfNotExists());
    const body = JSON.stringify({ TaskHubName: this.names.hub, CreatedAt: new Date().toISOString(), PartitionCount: this.names.controlQueues.length });
    try {
      await count(container.getBlockBlobClient('taskhub.json').upload(body, Buffer.byteLength(body), { conditions: { ifNoneMatch: '*' }, blobHTTPHeaders: { blobContentType: 'application/json' } }));
    } catch (err) {
      if (statusOf(err) !== 409 && statusOf(err) !== 412) throw err;
    }
  }
}
