/**
 * The task objects of the replay simulation: host-side twins of the JS library's tasks
 * (AtomicTask, WhenAll/WhenAny, RetryableTask, CallHttpWithPollingTask), reduced to what decides
 * sequence numbers and completion. Each mirrors its JS counterpart's state transitions exactly,
 * because the order in which they complete is the order in which the JS hands out numbers.
 * @see https://github.com/Azure/azure-functions-durable-js/tree/v3.x/src/task
 */
import type { DurableHttpRequest, RetryOptions } from '../wire/orchestrator-state.js';
import { retryTimerFireAt } from './retry-policy.js';

/** What one sequence number stands for. */
export type OpSpec =
  | { kind: 'activity'; name: string; input: unknown }
  | { kind: 'subOrchestration'; name: string; instanceId?: string; input: unknown; version?: string }
  | { kind: 'timer'; fireAt: string; canceled: boolean; origin: 'user' | 'retry' | 'httpPoll' }
  | { kind: 'entityCall'; target: string; operation: string; input: unknown }
  | { kind: 'lock'; lockRequestId: string; lockSet: { name: string; key: string }[] }
  /** `afterTimer`: a poll request, to be sent only once that timer has fired (the JS numbers both at once). */
  | { kind: 'http'; request: DurableHttpRequest; afterTimer?: number }
  | { kind: 'signal'; target: string; operation: string; input: unknown; due?: string }
  | { kind: 'release'; target: string; lockRequestId: string };

/** A sequence number the simulated orchestrator consumed, and what for. */
export interface AllocatedOp {
  seq: number;
  spec: OpSpec;
}

type TaskState = 'running' | 'completed' | 'failed';

/** The services tasks need from the simulation while completing (numbering, the orchestration clock). */
export interface TaskHost {
  track(task: SimTask): void;
  now(): Date;
  httpAsyncSleepMs: number;
}

export abstract class SimTask {
  state: TaskState = 'running';
  result: unknown;
  parent: CompoundTask | undefined;

  get running(): boolean {
    return this.state === 'running';
  }

  /** TaskBase.setValue + propagate. */
  settle(failed: boolean, result: unknown, host: TaskHost): void {
    this.state = failed ? 'failed' : 'completed';
    this.result = result;
    this.parent?.childSettled(this, host);
  }
}

/** A task completed by one history event: by sequence number, request id or event name. */
export class AtomicTask extends SimTask {
  /** JS `task.id`: false until tracked, then the sequence number; an event name for waits. */
  key: number | string | false;
  constructor(readonly spec: OpSpec | undefined, key: number | string | false = false) {
    super();
    this.key = key;
  }
}

/** `waitForExternalEvent(name)`: keyed by name, consumes no number. */
export class EventWaitTask extends AtomicTask {
  constructor(readonly eventName: string) {
    super(undefined, eventName);
  }
}

export abstract class CompoundTask extends SimTask {
  firstError: unknown;
  constructor(readonly children: SimTask[]) {
    super();
    for (const child of children) child.parent = this;
  }
  abstract childSettled(child: SimTask, host: TaskHost): void;
}

export class WhenAllTask extends CompoundTask {
  childSettled(child: SimTask, host: TaskHost): void {
    if (child.state === 'completed') {
      if (this.running && this.children.every((c) => c.state === 'completed')) {
        this.settle(false, this.children.map((c) => c.result), host);
      }
    } else if (this.firstError === undefined) {
      // The JS fails a Task.all on its first failed child, without waiting for the others.
      this.firstError = child.result ?? true;
      if (this.running) this.settle(true, child.result, host);
    }
  }
}

export class WhenAnyTask extends CompoundTask {
  childSettled(child: SimTask, host: TaskHost): void {
    if (this.running) this.settle(false, child, host);
  }
}

/**
 * RetryableTask: after a failed attempt, one timer; when it fires, either a new attempt or (after
 * the last attempt) the last failure. Both new children take a number when created.
 */
export class RetryTask extends CompoundTask {
  private attemptNumber = 1;
  private waitingOnTimer = false;
  private error: unknown;

  constructor(
    private readonly attemptSpec: OpSpec,
    private readonly options: RetryOptions,
    private readonly firstAttemptAt: Date,
  ) {
    super([new AtomicTask(attemptSpec)]);
  }

  childSettled(child: SimTask, host: TaskHost): void {
    if (this.waitingOnTimer) {
      this.waitingOnTimer = false;
      if (this.attemptNumber > this.options.maxNumberOfAttempts) {
        this.settle(true, this.error, host);
      } else {
        this.addChild(new AtomicTask(this.attemptSpec), host);
      }
    } else if (child.state === 'completed') {
      this.settle(false, child.result, host);
    } else {
      const fireAt = retryTimerFireAt({ options: this.options, failedAttempt: this.attemptNumber, now: host.now(), firstAttemptAt: this.firstAttemptAt });
      // Order as in the JS: the timer is tracked before the flags change.
      this.addChild(new AtomicTask({ kind: 'timer', fireAt, canceled: false, origin: 'retry' }), host);
      this.waitingOnTimer = true;
      this.error = child.result;
      this.attemptNumber++;
    }
  }

  private addChild(task: AtomicTask, host: TaskHost): void {
    task.parent = this;
    this.children.push(task);
    host.track(task);
  }
}

/** The parsed `TaskCompleted.Result` of `BuiltIn::HttpActivity`. */
interface HttpResult {
  statusCode?: unknown;
  headers?: Record<string, unknown>;
}

/**
 * CallHttpWithPollingTask: a 202 with a Location header adds a timer and a new request (two
 * numbers, in that order); any other status completes the call. The JS re-sends its original
 * request object; the extension polls `GET <Location>`, which is what the new op describes.
 */
export class HttpPollingTask extends CompoundTask {
  constructor(private readonly request: DurableHttpRequest) {
    super([new AtomicTask({ kind: 'http', request })]);
  }

  childSettled(child: SimTask, host: TaskHost): void {
    if (child.state === 'completed') {
      if (!(child instanceof AtomicTask) || child.spec?.kind !== 'http') return;
      const result = (child.result ?? {}) as HttpResult;
      const location = headerValue(result.headers, 'Location');
      if (result.statusCode === 202 && location) {
        const retryAfter = Number.parseFloat(headerValue(result.headers, 'Retry-After') ?? '');
        const delayMs = Number.isFinite(retryAfter) ? retryAfter * 1000 : host.httpAsyncSleepMs;
        const fireAt = new Date(host.now().getTime() + delayMs).toISOString();
        const timer = new AtomicTask({ kind: 'timer', fireAt, canceled: false, origin: 'httpPoll' });
        this.addChild(timer, host);
        const afterTimer = typeof timer.key === 'number' ? { afterTimer: timer.key } : {};
        this.addChild(new AtomicTask({ kind: 'http', request: pollRequest(this.request, location), ...afterTimer }), host);
      } else if (this.running) {
        this.settle(false, result, host);
      }
    } else if (this.firstError === undefined) {
      this.firstError = child.result ?? true;
      if (this.running) this.settle(true, child.result, host);
    }
  }

  private addChild(task: AtomicTask, host: TaskHost): void {
    task.parent = this;
    this.children.push(task);
    host.track(task);
  }
}

/** Case-insensitive header lookup, first value of a multi-valued header (DurableHttpResponse.getHeader). */
function headerValue(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  if (key === undefined) return undefined;
  const value = headers[key];
  const first = Array.isArray(value) ? (value[0] as unknown) : value;
  return typeof first === 'string' ? first : first === undefined || first === null ? undefined : String(first);
}

/** The extension's poll: GET the Location with the original headers minus the function key (B.12). */
export function pollRequest(original: DurableHttpRequest, location: string): DurableHttpRequest {
  const headers = Object.fromEntries(Object.entries(original.headers ?? {}).filter(([k]) => k.toLowerCase() !== 'x-functions-key'));
  return {
    method: 'GET',
    uri: location,
    headers,
    ...(original.tokenSource !== undefined ? { tokenSource: original.tokenSource } : {}),
    asynchronousPatternEnabled: original.asynchronousPatternEnabled ?? true,
  };
}
