/**
 * The durable engine: turns of orchestrations and entities, in-process activities, durable
 * timers and recovery after a crash, over the task hub store. It plays the Durable extension's
 * part for an app loaded by the local host.
 */
import { isEntityInstanceId } from '../core/entity-messages.js';
import type { InstanceMessage } from '../core/work.js';
import type { TaskHubStore } from '../store/task-hub-store.js';
import type { StoredMessage, TimerRecord } from '../wire/work-row.js';
import type { FunctionRegistry, RegisteredFunction } from '../../worker/function-registry.js';
import type { FunctionRunner } from '../../worker/function-runner.js';
import type { Logger } from '../../log/logger.js';
import { ActivityRunner } from './activity-runner.js';
import { DurableClient } from './durable-client.js';
import type { DurableSettings } from './durable-settings.js';
import type { EngineContext } from './engine-context.js';
import { runEntityTurn } from './entity-turn-runner.js';
import { HotInstances } from './hot-instances.js';
import { InstanceScheduler, type TurnRequest } from './instance-scheduler.js';
import { InstanceRowWriter } from './instance-row-writer.js';
import { MessageHandover } from './message-handover.js';
import { runOrchestrationTurn } from './orchestration-turn-runner.js';
import { recoveryOrder } from './recovery-order.js';
import { timerFiredMessage } from './timer-fired.js';
import { TimerService, type DueTimer } from './timer-service.js';
import { UnseenWork } from './unseen-work.js';

export interface DurableEngineOptions {
  store: TaskHubStore;
  registry: FunctionRegistry;
  runner: FunctionRunner;
  settings: DurableSettings;
  log: Logger;
  now?: () => Date;
  /** Hot instances kept in memory. @default 2000 */
  cacheCapacity?: number;
}

type TriggerType = 'orchestrationTrigger' | 'activityTrigger' | 'entityTrigger';

export interface EngineRuntimeCounts {
  /** Orchestrations and entities cached between turns. */
  hotInstances: number;
  runningTurns: number;
  /** Instances with a turn running or waiting in the scheduler. */
  scheduledInstances: number;
  /** `setTimeout`s armed for durable timers (0 or 1). */
  pendingTimersInMemory: number;
  /** Instances with a Work row whose copy travels in memory (message hand-over claims). */
  claimedInstances: number;
  /** Instances with an Instances row waiting or in flight in the row writer. */
  pendingInstanceRows: number;
}

export class DurableEngine {
  readonly client: DurableClient;
  readonly #ctx: EngineContext;
  readonly #scheduler: InstanceScheduler;
  readonly #timers: TimerService;
  readonly #activities: ActivityRunner;
  readonly #handover: MessageHandover;
  readonly #rows: InstanceRowWriter;
  readonly #byName = new Map<string, RegisteredFunction>();
  /** Turns that failed (storage conflicts, bugs), for tests and diagnostics. */
  failedTurns = 0;

  constructor(private readonly options: DurableEngineOptions) {
    const now = options.now ?? (() => new Date());
    for (const fn of options.registry.all()) this.#byName.set(`${fn.trigger.type.toLowerCase()}|${fn.name.toLowerCase()}`, fn);
    const find = (type: TriggerType, name: string) => this.#byName.get(`${type.toLowerCase()}|${name.toLowerCase()}`);
    this.#scheduler = new InstanceScheduler((req) => this.#turn(req), options.settings.maxConcurrentOrchestratorFunctions, (id, err) => this.#turnFailed(id, err));
    this.#activities = new ActivityRunner({
      runner: options.runner,
      findActivity: (name) => find('activityTrigger', name),
      maxConcurrent: options.settings.maxConcurrentActivityFunctions,
      deliver: (message) => this.#scheduler.notify(message.targetInstanceId, [message]),
      log: options.log,
      now,
    });
    this.#timers = new TimerService({
      index: {
        nextTimer: async () => toDue(await options.store.nextTimer()),
        dueTimers: async (at, limit) => (await options.store.dueTimers(at, limit)).map((t) => toDue(t) as DueTimer),
      },
      fire: (timers) => this.#fireTimers(timers),
      now,
      onError: (err) => options.log.log('error', 'timer service failed', { error: String(err) }),
    });
    // A hot target takes the message from memory; only recovery and failed turns re-read storage.
    this.#handover = new MessageHandover(options.store, (instanceId, messages) => this.#scheduler.notify(instanceId, messages, false));
    this.#rows = new InstanceRowWriter(options.store, options.log);
    this.#ctx = {
      store: options.store,
      runner: options.runner,
      settings: options.settings,
      cache: new HotInstances(options.cacheCapacity ?? 2000),
      activities: this.#activities,
      timers: this.#timers,
      log: options.log,
      now,
      find,
      handover: this.#handover,
      unseen: new UnseenWork(),
      rows: this.#rows,
      notify: (instanceId, messages = [], checkStorage = false) => this.#scheduler.notify(instanceId, messages as InstanceMessage[], checkStorage),
    };
    this.client = new DurableClient({
      store: options.store,
      taskHubName: options.settings.hubName,
      orchestratorName: (name) => find('orchestrationTrigger', name)?.name,
      entityName: (name) => find('entityTrigger', name)?.name,
      defaultVersion: options.settings.defaultVersion,
      handover: this.#handover,
      created: (instanceId) => this.#seedNewInstance(instanceId),
      now,
    });
  }

  /** Recover in-flight work from storage and start the timers. */
  async start(): Promise<void> {
    const partitions = recoveryOrder(await this.options.store.listWorkPartitions());
    this.#ctx.unseen.scanned(partitions.map((p) => p.instanceId));
    for (const p of partitions) this.#scheduler.notify(p.instanceId, [], true);
    if (partitions.length > 0) this.options.log.log('info', 'recovering in-flight instances', { count: partitions.length });
    await this.#timers.start();
  }

  async stop(): Promise<void> {
    await this.#timers.stop();
    await this.#scheduler.stop();
    await this.#activities.drain();
    // Rows that waited to join a later turn (recovery would redo them, but a clean stop need not lag).
    await this.#rows.flush();
    this.#ctx.cache.close();
  }

  /** Resolves when no turn is running or waiting (activities and timers may still be pending). */
  idle(): Promise<void> {
    return this.#scheduler.idle();
  }

  get activityExecutions(): number {
    return this.#activities.executions;
  }

  /**
   * What the engine holds in memory now: every structure keyed by instance. With every instance
   * asleep (waiting on timers or events) all of it is zero except `pendingTimersInMemory`, which
   * is at most 1 whatever the number of stored timers.
   */
  runtimeCounts(): EngineRuntimeCounts {
    return {
      hotInstances: this.#ctx.cache.size,
      runningTurns: this.#scheduler.activeCount,
      scheduledInstances: this.#scheduler.slotCount,
      pendingTimersInMemory: this.#timers.armedCount,
      claimedInstances: this.#handover.size,
      pendingInstanceRows: this.#rows.size,
    };
  }

  async #turn(request: TurnRequest): Promise<void> {
    try {
      await (isEntityInstanceId(request.instanceId) ? runEntityTurn(this.#ctx, request) : runOrchestrationTurn(this.#ctx, request));
    } finally {
      // Consumed, dropped or held (a held copy stays in the hot state): storage owns these rows
      // again, and after a failed turn the retry re-reads them from there.
      this.#handover.release(request.instanceId, request.messages);
    }
  }

  /**
   * A start just inserted the row of an instance nobody ran: its state is empty, so its first turn
   * need not read history, row and Work partition. If history existed after all (a start racing a
   * recovery), the first commit's sentinel insert conflicts and the retried turn reads storage.
   */
  #seedNewInstance(instanceId: string): void {
    if (this.#ctx.cache.get(instanceId)) return;
    this.#ctx.cache.set({ kind: 'orchestration', instanceId, etag: undefined, turnNumber: 0, executionId: undefined, events: [], held: [], running: new Set(), customStatus: undefined });
  }

  #turnFailed(instanceId: string, err: unknown): void {
    this.failedTurns++;
    // Its messages were released to storage: the retry (and any cold load before it) must read them.
    this.#ctx.unseen.suspect(instanceId);
    // Forget the cached state: the next turn re-reads storage, which is the truth.
    this.#ctx.cache.delete(instanceId);
    this.options.log.log('error', 'turn failed; it will be retried', { instanceId, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    const retry = setTimeout(() => this.#scheduler.notify(instanceId, [], true), 1_000);
    retry.unref?.();
  }

  /** Make each fired timer a durable message of its instance, then drop it from the index. */
  async #fireTimers(timers: DueTimer[]): Promise<void> {
    const records: TimerRecord[] = timers.map((t) => ({ instanceId: t.instanceId, executionId: t.executionId, timerId: t.timerId, fireAt: t.fireAt.toISOString() }));
    const messages: InstanceMessage[] = records.map((t) => timerFiredMessage(t, this.#ctx.now()));
    const stored = await this.#handover.write(messages);
    try {
      await this.options.store.deleteTimers(records);
    } finally {
      this.#handover.deliver(stored);
    }
  }
}

function toDue(t: TimerRecord | undefined): DueTimer | undefined {
  return t ? { instanceId: t.instanceId, executionId: t.executionId, timerId: t.timerId, fireAt: new Date(t.fireAt) } : undefined;
}

export type { StoredMessage };
