/**
 * Test kit: runs real `durable-functions` orchestrations in memory through the host's worker
 * stand-in and the pure orchestration core (accept -> start episode -> invoke -> decide), running
 * activities in-process with their real handlers. Timers fire when the injected clock advances.
 * Entity messages are collected for the test to answer. Test-only: no storage, no crash safety.
 */
import { createHash } from 'node:crypto';
import { silentLogger } from '../../../log/logger.js';
import { createCoreApi, HOST_VERSION, WORKER_VERSION, type CoreApi } from '../../../worker/core-api.js';
import { installCoreModule } from '../../../worker/core-module.js';
import { Disposable } from '../../../worker/disposable.js';
import { FunctionRegistry, type RegisteredFunction } from '../../../worker/function-registry.js';
import { InvocationFailedError, Invoker } from '../../../worker/invoker.js';
import type { ProgrammingModel } from '../../../worker/rpc-types.js';
import { readTypedData } from '../../../worker/typed-data.js';
import { activityCompleted, activityFailed, activityMissing } from '../../engine/activity-result.js';
import { buildOrchestrationTriggerPayload } from '../../wire/orchestration-trigger-payload.js';
import { parseOrchestratorFailure, parseOrchestratorState } from '../../wire/orchestrator-state.js';
import type { HistoryEvent, OrchestrationStatusName } from '../history-event.js';
import { acceptMessages } from '../orchestration-messages.js';
import { executionStartedEvent, nextGenerationMessages, startEpisode } from '../orchestration-episode.js';
import { readHistory } from '../orchestration-history.js';
import { applyRewind } from '../orchestration-rewind.js';
import { HTTP_ACTIVITY_NAME } from '../orchestration-scheduling.js';
import { decideEpisode, type EpisodeDecision, type EpisodeOutcome } from '../orchestration-turn.js';
import type { InstanceMessage, OutboundWork } from '../work.js';

/** `@azure/functions` caches the core module and sets its programming model once per process, so every kit shares one forwarding core API. */
let currentApi: CoreApi | undefined;
let programmingModel: ProgrammingModel | undefined;
let installed = false;
const forwardingApi: CoreApi = {
  version: WORKER_VERSION,
  hostVersion: HOST_VERSION,
  Disposable,
  registerFunction: (metadata, callback) => requireApi().registerFunction(metadata, callback),
  registerHook: (name, callback) => requireApi().registerHook(name, callback),
  setProgrammingModel: (model) => {
    programmingModel = model;
  },
  getProgrammingModel: () => programmingModel,
  log: (level, category, message) => currentApi?.log(level, category, message),
};
function requireApi(): CoreApi {
  if (!currentApi) throw new Error('register functions inside OrchestrationKit.create()');
  return currentApi;
}

/** An instance as the kit keeps it. */
export interface KitInstance {
  instanceId: string;
  executionId: string;
  history: HistoryEvent[];
  pending: InstanceMessage[];
  runtimeStatus: OrchestrationStatusName;
  output?: string;
  customStatus?: string;
  failure?: EpisodeDecision['failure'];
  /** Every execution's history, oldest first (continue-as-new starts a new one). */
  executions: HistoryEvent[][];
  /** Episodes decided so far, across executions (the engine's sentinel `TurnNumber`). */
  turns: number;
}

/** An entity request or release an orchestration sent. */
export interface SentEntityMessage {
  target: string;
  name: string;
  request: Record<string, unknown>;
}

export interface KitOptions {
  /** @default 2024-01-01T00:00:00Z */
  start?: Date;
  defaultVersion?: string;
  /** Performs `callHttp` requests; absent: every HTTP call fails. */
  http?: (request: Record<string, unknown>) => Promise<{ statusCode: number; headers: Record<string, string>; content: string }>;
}

export class OrchestrationKit {
  readonly instances = new Map<string, KitInstance>();
  readonly entityMessages: SentEntityMessage[] = [];
  private readonly activities: { instanceId: string; executionId: string; taskId: number; name: string; input?: string }[] = [];
  private readonly timers: { instanceId: string; executionId: string; timerId: number; fireAt: string }[] = [];
  private nowMs: number;
  private ids = 0;

  private constructor(
    private readonly registry: FunctionRegistry,
    private readonly invoker: Invoker,
    private readonly options: KitOptions,
  ) {
    this.nowMs = (options.start ?? new Date('2024-01-01T00:00:00Z')).getTime();
  }

  /** Register the app's functions (`df.app.*` calls inside `register`) and return a kit for them. */
  static async create(register: () => void | Promise<void>, options: KitOptions = {}): Promise<OrchestrationKit> {
    const registry = new FunctionRegistry();
    currentApi = createCoreApi(registry, silentLogger, { programmingModel: undefined });
    if (!installed) {
      installCoreModule(forwardingApi);
      installed = true;
    }
    await register();
    registry.lock();
    return new OrchestrationKit(registry, new Invoker(registry, () => programmingModel, silentLogger), options);
  }

  now(): Date {
    return new Date(this.nowMs);
  }

  /** Start an orchestration and run until nothing more can happen without time passing or outside input. */
  async start(name: string, options: { input?: unknown; instanceId?: string; version?: string } = {}): Promise<string> {
    const instanceId = options.instanceId ?? `instance-${++this.ids}`;
    this.startInstance(instanceId, executionStartedEvent({
      instanceId,
      executionId: this.newExecutionId(instanceId),
      name,
      ...(options.version !== undefined ? { version: options.version } : {}),
      ...(this.options.defaultVersion !== undefined ? { defaultVersion: this.options.defaultVersion } : {}),
      ...(options.input !== undefined ? { input: JSON.stringify(options.input) } : {}),
      now: this.now(),
    }));
    await this.runUntilIdle();
    return instanceId;
  }

  async raiseEvent(instanceId: string, name: string, value?: unknown): Promise<void> {
    this.deliver({ messageId: `client-${++this.ids}`, targetInstanceId: instanceId, event: { type: 'EventRaised', eventId: -1, isPlayed: false, timestamp: this.now().toISOString(), name, ...(value !== undefined ? { input: JSON.stringify(value) } : {}) } });
    await this.runUntilIdle();
  }

  async control(instanceId: string, type: 'ExecutionTerminated' | 'ExecutionSuspended' | 'ExecutionResumed', reason?: string): Promise<void> {
    const base = { eventId: -1, isPlayed: false, timestamp: this.now().toISOString() };
    const event: HistoryEvent = type === 'ExecutionTerminated' ? { ...base, type, ...(reason !== undefined ? { input: reason } : {}) } : { ...base, type, ...(reason !== undefined ? { reason } : {}) };
    this.deliver({ messageId: `client-${++this.ids}`, targetInstanceId: instanceId, event });
    await this.runUntilIdle();
  }

  /** Rewind a failed instance (B.15), as a client's `rewind` does. */
  async rewind(instanceId: string, reason?: string): Promise<void> {
    const event: HistoryEvent = { type: 'ExecutionRewound', eventId: -1, isPlayed: false, timestamp: this.now().toISOString(), ...(reason !== undefined ? { reason } : {}) };
    this.deliver({ messageId: `client-${++this.ids}`, targetInstanceId: instanceId, event });
    await this.runUntilIdle();
  }

  /** Answer an entity request (as the entity side would): an EventRaised named by the request id. */
  async respondToEntity(instanceId: string, requestId: string, response: { result?: string; exceptionType?: string }): Promise<void> {
    this.deliver({ messageId: `entity-${++this.ids}`, targetInstanceId: instanceId, event: { type: 'EventRaised', eventId: -1, isPlayed: false, timestamp: this.now().toISOString(), name: requestId, input: JSON.stringify(response) } });
    await this.runUntilIdle();
  }

  /** Move the clock and run until idle (timers now due fire). */
  async advance(ms: number): Promise<void> {
    this.nowMs += ms;
    await this.runUntilIdle();
  }

  /** Deliver TimerFired for every timer due at the current time, earliest first. */
  private fireDueTimers(): number {
    const due = this.timers.filter((t) => new Date(t.fireAt).getTime() <= this.nowMs).sort((a, b) => a.fireAt.localeCompare(b.fireAt));
    for (const timer of due) {
      this.timers.splice(this.timers.indexOf(timer), 1);
      this.deliver({
        messageId: `timer-${timer.instanceId}-${timer.timerId}`,
        targetInstanceId: timer.instanceId,
        targetExecutionId: timer.executionId,
        event: { type: 'TimerFired', eventId: -1, isPlayed: false, timestamp: this.now().toISOString(), timerId: timer.timerId, fireAt: timer.fireAt },
      });
    }
    return due.length;
  }

  instance(instanceId: string): KitInstance {
    const instance = this.instances.get(instanceId);
    if (!instance) throw new Error(`no instance ${instanceId}`);
    return instance;
  }

  /** The parsed output of a completed instance. */
  output(instanceId: string): unknown {
    const text = this.instance(instanceId).output;
    return text === undefined ? undefined : JSON.parse(text);
  }

  pendingTimers(): readonly { instanceId: string; timerId: number; fireAt: string }[] {
    return this.timers;
  }

  /** Run turns and activities until none is runnable. */
  async runUntilIdle(): Promise<void> {
    for (let round = 0; round < 10_000; round++) {
      const ready = [...this.instances.values()].filter((i) => i.pending.length > 0);
      for (const instance of ready) await this.turn(instance);
      const batch = this.activities.splice(0);
      for (const activity of batch) await this.runActivity(activity);
      const fired = this.fireDueTimers();
      if (batch.length === 0 && fired === 0 && [...this.instances.values()].every((i) => i.pending.length === 0 || i.runtimeStatus === 'Suspended')) return;
    }
    throw new Error('the kit did not become idle after 10000 rounds');
  }

  private startInstance(instanceId: string, started: Extract<HistoryEvent, { type: 'ExecutionStarted' }>): void {
    const existing = this.instances.get(instanceId);
    const message: InstanceMessage = { messageId: `start-${started.executionId}`, targetInstanceId: instanceId, event: started };
    if (existing) {
      existing.pending.push(message);
      return;
    }
    this.instances.set(instanceId, { instanceId, executionId: started.executionId, history: [], pending: [message], runtimeStatus: 'Pending', executions: [], turns: 0 });
  }

  private deliver(message: InstanceMessage): void {
    if (message.targetInstanceId.startsWith('@')) {
      const request = JSON.parse(message.event.type === 'EventRaised' ? (message.event.input ?? '{}') : '{}') as Record<string, unknown>;
      this.entityMessages.push({ target: message.targetInstanceId, name: message.event.type === 'EventRaised' ? message.event.name : '', request });
      return;
    }
    const target = this.instances.get(message.targetInstanceId);
    if (!target) throw new Error(`message for unknown instance ${message.targetInstanceId}`);
    target.pending.push(message);
  }

  private async turn(instance: KitInstance): Promise<void> {
    const { accepted, held, newExecution, rewind } = acceptMessages({ history: instance.history }, instance.pending);
    instance.pending = held;
    if (accepted.length === 0) return;
    if (newExecution) this.beginExecution(instance);
    const rewound = rewind ? applyRewind(instance.history, accepted, this.newExecutionId(instance.instanceId)) : undefined;
    if (rewound) {
      this.beginExecution(instance);
      instance.history = rewound.history;
      for (const work of rewound.work) this.dispatch(instance, work);
    }
    const now = this.now();
    const start = startEpisode({ history: instance.history, messages: accepted, now });
    const history = [...instance.history, ...start.episodeEvents];
    const started = readHistory(history).started;
    if (!started) throw new Error('no ExecutionStarted');
    instance.executionId = started.executionId;
    const decision = start.decision ?? decideEpisode({
      history,
      outcome: await this.invokeOrchestrator(started.name, history),
      now,
      isRegistered: (kind, name) => this.isRegistered(kind, name),
      ...(this.options.defaultVersion !== undefined ? { defaultVersion: this.options.defaultVersion } : {}),
      turn: instance.turns + 1,
    });
    instance.turns++;
    instance.history = [...history, ...decision.appended];
    instance.runtimeStatus = decision.runtimeStatus;
    if (decision.output !== undefined) instance.output = decision.output;
    if (decision.customStatus !== undefined) instance.customStatus = decision.customStatus;
    if (decision.failure) instance.failure = decision.failure;
    for (const work of decision.work) this.dispatch(instance, work);
    if (decision.continueAsNew) {
      instance.executions.push(instance.history);
      const executionId = this.newExecutionId(instance.instanceId);
      instance.pending = [...nextGenerationMessages(started, decision.continueAsNew, executionId, this.now()), ...instance.pending];
      instance.history = [];
      instance.executionId = executionId;
    }
  }

  private beginExecution(instance: KitInstance): void {
    instance.executions.push(instance.history);
    instance.history = [];
    delete instance.output;
    delete instance.failure;
  }

  private async invokeOrchestrator(name: string, history: HistoryEvent[]): Promise<EpisodeOutcome> {
    const fn = this.find('orchestrationTrigger', name);
    if (!fn) throw new Error(`orchestrator ${name} is not registered`);
    const payload = buildOrchestrationTriggerPayload(history);
    try {
      const response = await this.invoker.invoke(fn, { inputData: [{ name: fn.triggerBindingName, data: { string: JSON.stringify(payload) } }] });
      return { kind: 'reply', state: parseOrchestratorState(readTypedData(response.returnValue)) };
    } catch (err) {
      return { kind: 'failure', failure: parseOrchestratorFailure(err) };
    }
  }

  private dispatch(instance: KitInstance, work: OutboundWork): void {
    switch (work.kind) {
      case 'activity':
        this.activities.push({ instanceId: instance.instanceId, executionId: instance.executionId, taskId: work.taskId, name: work.name, ...(work.input !== undefined ? { input: work.input } : {}) });
        return;
      case 'timer':
        this.timers.push({ instanceId: instance.instanceId, executionId: instance.executionId, timerId: work.timerId, fireAt: work.fireAt });
        return;
      case 'message':
        this.deliver(work.message);
        return;
      case 'startSubOrchestration':
        this.startInstance(work.instanceId, executionStartedEvent({
          instanceId: work.instanceId,
          executionId: this.newExecutionId(work.instanceId),
          name: work.name,
          version: work.version,
          ...(work.input !== undefined ? { input: work.input } : {}),
          parent: work.parent,
          now: this.now(),
        }));
        return;
    }
  }

  private async runActivity(activity: { instanceId: string; executionId: string; taskId: number; name: string; input?: string }): Promise<void> {
    const timestamp = this.now().toISOString();
    let event: HistoryEvent;
    if (activity.name === HTTP_ACTIVITY_NAME) {
      event = await this.runHttp(activity.taskId, activity.input, timestamp);
    } else {
      const fn = this.find('activityTrigger', activity.name);
      if (!fn) {
        event = activityMissing(activity.taskId, activity.name, timestamp);
      } else {
        try {
          const response = await this.invoker.invoke(fn, {
            inputData: [activity.input === undefined ? { name: fn.triggerBindingName } : { name: fn.triggerBindingName, data: { string: activity.input } }],
            triggerMetadata: { instanceId: { string: activity.instanceId } },
          });
          event = activityCompleted(activity.taskId, response.returnValue, timestamp);
        } catch (err) {
          event = activityFailed(activity.taskId, activity.name, err instanceof InvocationFailedError ? err.cause : err, timestamp);
        }
      }
    }
    this.deliver({ messageId: `${activity.instanceId}|${activity.executionId}|${activity.taskId}|done`, targetInstanceId: activity.instanceId, targetExecutionId: activity.executionId, event });
  }

  private async runHttp(taskId: number, input: string | undefined, timestamp: string): Promise<HistoryEvent> {
    try {
      if (!this.options.http) throw new Error('the kit has no http handler');
      const response = await this.options.http(JSON.parse(input ?? '{}') as Record<string, unknown>);
      return { type: 'TaskCompleted', eventId: -1, isPlayed: false, timestamp, taskScheduledId: taskId, result: JSON.stringify(response) };
    } catch (err) {
      return { type: 'TaskFailed', eventId: -1, isPlayed: false, timestamp, taskScheduledId: taskId, reason: err instanceof Error ? err.message : String(err), details: '' };
    }
  }

  private isRegistered(kind: 'activity' | 'orchestration' | 'entity', name: string): boolean {
    const type = kind === 'activity' ? 'activityTrigger' : kind === 'orchestration' ? 'orchestrationTrigger' : 'entityTrigger';
    return this.find(type, name) !== undefined;
  }

  private find(triggerType: string, name: string): RegisteredFunction | undefined {
    const fn = this.registry.findByName(name);
    return fn && fn.trigger.type.toLowerCase() === triggerType.toLowerCase() ? fn : undefined;
  }

  /** Deterministic per kit, so that tests can predict ids. */
  private newExecutionId(instanceId: string): string {
    return createHash('sha1').update(`${instanceId}|${++this.ids}`).digest('hex').slice(0, 32);
  }
}
