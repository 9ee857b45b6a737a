/**
 * The replay simulation (durable-protocol.md B.7): walk the orchestrator's action list against the
 * execution's history and hand out sequence numbers exactly as the JS library did while producing
 * that list. The JS only trusts that its k-th durable operation completes with id k, so every
 * number here must match its own: actions are started in order, the walk blocks on each awaitable
 * until the history event that completes it, and dynamic children (retry timers and attempts,
 * HTTP poll timers and requests) take their numbers while the triggering event is replayed.
 * @see https://github.com/Azure/azure-functions-durable-js/blob/v3.x/src/orchestrations/TaskOrchestrationExecutor.ts
 */
import type { HistoryEvent } from './history-event.js';
import { carryOverEvents, entityResponseFailed, parseResult, requestIdOfEvent } from './replay-event-values.js';
import { ActionType, type OrchestratorAction } from '../wire/orchestrator-state.js';
import {
  AtomicTask,
  CompoundTask,
  EventWaitTask,
  HttpPollingTask,
  RetryTask,
  WhenAllTask,
  WhenAnyTask,
  type AllocatedOp,
  type OpSpec,
  type SimTask,
  type TaskHost,
} from './replay-tasks.js';

/** Inputs of {@link simulateReplay}. */
export interface SimulationInput {
  /** `actions[0]` of the reply (V2+ form: every action of the execution, in yield order). */
  actions: readonly OrchestratorAction[];
  /** The current execution's history including this episode's new events. */
  history: readonly HistoryEvent[];
  /** True when the reply says the orchestrator finished (returned, continued as new, or threw). */
  finished: boolean;
  /** The poll delay of a 202 without Retry-After, as advertised in the trigger payload. */
  httpAsyncSleepMs: number;
}

export interface SimulationResult {
  /** Every number the orchestrator consumed, in order. */
  ops: AllocatedOp[];
  /** Set when the walk reached a ContinueAsNew action. */
  continueAsNew?: { input: unknown; carryOver: HistoryEvent[] };
  /** Index of the history event after which the orchestrator stopped (finished replies only), else -1. */
  stoppedAt: number;
}

/** Run the simulation; pure and deterministic. */
export function simulateReplay(input: SimulationInput): SimulationResult {
  return new ReplaySimulation(input).run();
}

class ReplaySimulation implements TaskHost {
  readonly httpAsyncSleepMs: number;
  private seq = 0;
  private clock = new Date(0);
  private readonly ops: AllocatedOp[] = [];
  /** JS `openTasks`: keys are strings because the JS uses a plain object (3 and "3" are one key). */
  private readonly openTasks = new Map<string, AtomicTask>();
  private readonly openEvents = new Map<string, EventWaitTask[]>();
  private readonly deferred = new Map<string, (() => void)[]>();
  private cursor = 0;
  private blocking: SimTask | undefined;
  private started = false;
  private lock: { lockRequestId: string; lockSet: { name: string; key: string }[] } | undefined;
  private continueAsNewInput: { input: unknown } | undefined;
  /** Tasks built from actions that a later Task.all/any may contain again (see {@link reuse}). */
  private readonly built: { json: string; task: SimTask }[] = [];

  constructor(private readonly input: SimulationInput) {
    this.httpAsyncSleepMs = input.httpAsyncSleepMs;
  }

  now(): Date {
    return this.clock;
  }

  run(): SimulationResult {
    const { history } = this.input;
    let stoppedAt = -1;
    for (let i = 0; i < history.length; i++) {
      const event = history[i];
      if (event) this.apply(event);
      if (this.isStopped()) {
        stoppedAt = i;
        break;
      }
    }
    const result: SimulationResult = { ops: this.ops, stoppedAt };
    if (this.continueAsNewInput) {
      result.continueAsNew = { input: this.continueAsNewInput.input, carryOver: carryOverEvents(history, stoppedAt) };
    }
    return result;
  }

  /** The JS stops replaying once the orchestrator returned or threw: the walk is over and nothing blocks. */
  private isStopped(): boolean {
    if (!this.started) return false;
    if (this.continueAsNewInput) return true;
    return this.input.finished && this.blocking === undefined && this.cursor >= this.input.actions.length;
  }

  private apply(event: HistoryEvent): void {
    switch (event.type) {
      case 'OrchestratorStarted': {
        const t = new Date(event.timestamp);
        if (t.getTime() > this.clock.getTime()) this.clock = t;
        return;
      }
      case 'ExecutionStarted':
        this.started = true;
        this.advance();
        return;
      case 'EventSent': {
        // The JS re-keys an open entity call or lock by the request id found in EventSent.Input.
        const key = String(event.eventId);
        const task = this.openTasks.get(key);
        if (task?.spec && (task.spec.kind === 'entityCall' || task.spec.kind === 'lock')) {
          const id = requestIdOfEvent(event);
          if (id !== undefined) {
            this.openTasks.delete(key);
            this.openTasks.set(id, task);
          }
        }
        return;
      }
      case 'TaskCompleted':
      case 'SubOrchestrationInstanceCompleted':
        this.complete(String(event.taskScheduledId), false, parseResult(event.result));
        break;
      case 'TaskFailed':
      case 'SubOrchestrationInstanceFailed':
        this.complete(String(event.taskScheduledId), true, event.reason ?? event.failureDetails ?? true);
        break;
      case 'TimerFired':
        this.complete(String(event.timerId), false, undefined);
        break;
      case 'EventRaised':
        this.complete(event.name, false, event.input);
        break;
      default:
        return;
    }
    this.resume();
  }

  /** TaskOrchestrationExecutor.setTaskValue: open task by key, else the newest waiter, else defer. */
  private complete(key: string, failed: boolean, value: unknown): void {
    let task: AtomicTask | undefined = this.openTasks.get(key);
    if (task) {
      this.openTasks.delete(key);
    } else {
      const waiters = this.openEvents.get(key);
      if (waiters && waiters.length > 0) {
        task = waiters.pop();
        if (waiters.length === 0) this.openEvents.delete(key);
      }
    }
    if (!task) {
      const queue = this.deferred.get(key) ?? [];
      queue.push(() => this.complete(key, failed, value));
      this.deferred.set(key, queue);
      return;
    }
    if (!failed && task.spec?.kind === 'entityCall') {
      // An entity response with `exceptionType` fails the call (ResponseMessage).
      failed = entityResponseFailed(value);
    }
    task.settle(failed, value, this);
  }

  /** tryResumingUserCode: once the awaited task settles, the generator runs to its next yield. */
  private resume(): void {
    if (this.blocking && !this.blocking.running) {
      this.blocking = undefined;
      this.advance();
    }
  }

  private advance(): void {
    const { actions } = this.input;
    while (!this.blocking && !this.continueAsNewInput && this.cursor < actions.length) {
      const action = actions[this.cursor++];
      if (!action) continue;
      switch (action.actionType) {
        case ActionType.SignalEntity:
        case ActionType.ScheduledSignalEntity:
          this.allocate({ kind: 'signal', target: action.instanceId, operation: action.operation, input: action.input, ...(action.actionType === 10 && action.fireAt ? { due: action.fireAt } : {}) });
          continue;
        case ActionType.ReleaseEntities: {
          const lock = this.lock;
          this.lock = undefined;
          for (const entity of lock?.lockSet ?? []) {
            this.allocate({ kind: 'release', target: `@${entity.name.toLowerCase()}@${entity.key}`, lockRequestId: lock?.lockRequestId ?? '' });
          }
          continue;
        }
        case ActionType.ContinueAsNew:
          this.continueAsNewInput = { input: action.input };
          return;
        default: {
          const task = this.build(action);
          this.track(task);
          if (task.running) this.blocking = task;
        }
      }
    }
  }

  private build(action: OrchestratorAction): SimTask {
    const task = this.buildTask(action);
    if (reusableTypes.has(action.actionType)) this.built.push({ json: JSON.stringify(action), task });
    return task;
  }

  /**
   * A Task.all/any may contain a task yielded before and still running (the "handle results in
   * completion order" loop: `yield Task.any(remaining)`). The JS then re-sends that task's action
   * inside the new compound but gives it no new number. Actions carry no identity, so a child equal
   * to the action of a still-running task (each claimed once per compound) is taken to be that task.
   * Timers and event waits are excluded: fresh ones with equal JSON are common and take no reuse.
   */
  private reuse(action: OrchestratorAction, claimed: Set<SimTask>): SimTask | undefined {
    if (!reusableTypes.has(action.actionType)) return undefined;
    const json = JSON.stringify(action);
    const match = this.built.find((b) => b.json === json && b.task.running && !claimed.has(b.task));
    if (match) claimed.add(match.task);
    return match?.task;
  }

  private buildTask(action: OrchestratorAction): SimTask {
    switch (action.actionType) {
      case ActionType.CallActivity:
        return new AtomicTask({ kind: 'activity', name: action.functionName, input: action.input });
      case ActionType.CallActivityWithRetry:
        return new RetryTask({ kind: 'activity', name: action.functionName, input: action.input }, action.retryOptions, this.clock);
      case ActionType.CallSubOrchestrator:
        return new AtomicTask(subOrchestrationSpec(action));
      case ActionType.CallSubOrchestratorWithRetry:
        return new RetryTask(subOrchestrationSpec(action), action.retryOptions, this.clock);
      case ActionType.CreateTimer:
        return new AtomicTask({ kind: 'timer', fireAt: action.fireAt, canceled: action.isCanceled, origin: 'user' });
      case ActionType.WaitForExternalEvent:
        return new EventWaitTask(action.externalEventName);
      case ActionType.CallEntity:
        return new AtomicTask({ kind: 'entityCall', target: action.instanceId, operation: action.operation, input: action.input });
      case ActionType.CallHttp:
        return action.httpRequest.asynchronousPatternEnabled === false
          ? new AtomicTask({ kind: 'http', request: action.httpRequest })
          : new HttpPollingTask(action.httpRequest);
      case ActionType.WhenAll:
      case ActionType.WhenAny: {
        const claimed = new Set<SimTask>();
        const children = action.compoundActions.map((a) => this.reuse(a, claimed) ?? this.build(a));
        return action.actionType === ActionType.WhenAll ? new WhenAllTask(children) : new WhenAnyTask(children);
      }
      case ActionType.LockEntities:
        this.lock = { lockRequestId: action.lockRequestId, lockSet: action.lockSet };
        return new AtomicTask({ kind: 'lock', lockRequestId: action.lockRequestId, lockSet: action.lockSet });
      default:
        // Fire-and-forget actions cannot appear inside Task.all/any; treat one as a no-op.
        return settledNoOp();
    }
  }

  /** TaskOrchestrationExecutor.trackOpenTask: number atomic tasks depth-first, register waiters, replay deferred completions. */
  track(task: SimTask): void {
    if (task instanceof CompoundTask) {
      for (const child of [...task.children]) this.track(child);
      return;
    }
    if (!(task instanceof AtomicTask)) return;
    if (task.key === false) {
      task.key = this.seq;
      if (task.spec) this.ops.push({ seq: this.seq, spec: task.spec });
      this.seq++;
      this.openTasks.set(String(task.key), task);
    } else if (task instanceof EventWaitTask) {
      const list = this.openEvents.get(task.eventName) ?? [];
      list.push(task);
      this.openEvents.set(task.eventName, list);
    }
    const key = String(task.key);
    const queue = this.deferred.get(key);
    if (queue && queue.length > 0) {
      const next = queue.shift();
      if (queue.length === 0) this.deferred.delete(key);
      next?.();
    }
  }

  private allocate(spec: OpSpec): void {
    this.ops.push({ seq: this.seq++, spec });
  }
}

/** Actions whose tasks a later compound may contain again: calls that take numbers and have no per-call JSON identity. */
const reusableTypes = new Set<number>([
  ActionType.CallActivity,
  ActionType.CallActivityWithRetry,
  ActionType.CallSubOrchestrator,
  ActionType.CallSubOrchestratorWithRetry,
  ActionType.CallEntity,
  ActionType.CallHttp,
]);

function subOrchestrationSpec(action: Extract<OrchestratorAction, { actionType: 2 | 3 }>): OpSpec {
  return {
    kind: 'subOrchestration',
    name: action.functionName,
    input: action.input,
    ...(action.instanceId ? { instanceId: action.instanceId } : {}),
    ...(action.version ? { version: action.version } : {}),
  };
}

function settledNoOp(): SimTask {
  const task = new AtomicTask(undefined, -1);
  task.state = 'completed';
  return task;
}
