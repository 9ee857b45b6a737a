/**
 * Runs activities in this process, at most `maxConcurrentActivityFunctions` at once, and hands
 * each outcome (TaskCompleted / TaskFailed) to the instance as an in-memory message. History keeps
 * the activity recoverable (TaskScheduled without a completion) until the instance commits it.
 */
import type { HistoryEvent } from '../core/history-event.js';
import type { InstanceMessage } from '../core/work.js';
import type { FunctionRunner } from '../../worker/function-runner.js';
import type { RegisteredFunction } from '../../worker/function-registry.js';
import { InvocationFailedError } from '../../worker/invoker.js';
import type { Logger } from '../../log/logger.js';
import { activityCompleted, activityFailed, activityMissing, taskFailed } from './activity-result.js';
import { AsyncSemaphore } from './async-semaphore.js';
import { HTTP_ACTIVITY_NAME, performHttpActivity } from './http-activity.js';

export interface ActivityJob {
  instanceId: string;
  executionId: string;
  taskId: number;
  name: string;
  input?: string;
}

export interface ActivityRunnerOptions {
  runner: FunctionRunner;
  findActivity(name: string): RegisteredFunction | undefined;
  maxConcurrent: number;
  deliver(message: InstanceMessage): void;
  log: Logger;
  now?: () => Date;
}

export class ActivityRunner {
  readonly #semaphore: AsyncSemaphore;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #now: () => Date;
  /** Executions counted for benchmarks and tests (re-executions after a crash included). */
  executions = 0;

  constructor(private readonly options: ActivityRunnerOptions) {
    this.#semaphore = new AsyncSemaphore(options.maxConcurrent);
    this.#now = options.now ?? (() => new Date());
  }

  start(job: ActivityJob): void {
    const p = this.#semaphore.run(() => this.#execute(job)).catch((err: unknown) => {
      this.options.log.log('error', 'activity dispatch failed', { instanceId: job.instanceId, activity: job.name, error: String(err) });
    });
    this.#inFlight.add(p);
    void p.finally(() => this.#inFlight.delete(p));
  }

  /** Wait for running activities (their results are delivered, or lost with the process). */
  async drain(): Promise<void> {
    await Promise.all([...this.#inFlight]);
  }

  async #execute(job: ActivityJob): Promise<void> {
    this.executions++;
    const event = await this.#outcome(job);
    const message: InstanceMessage = {
      messageId: `${job.instanceId}|${job.executionId}|${job.taskId}|done`,
      targetInstanceId: job.instanceId,
      targetExecutionId: job.executionId,
      event,
    };
    // No Work row to consume: the instance's activity marker goes when its last open activity completes.
    this.options.deliver(message);
  }

  async #outcome(job: ActivityJob): Promise<HistoryEvent> {
    if (job.name === HTTP_ACTIVITY_NAME) {
      try {
        const response = await performHttpActivity(job.input);
        return { type: 'TaskCompleted', eventId: -1, isPlayed: false, timestamp: this.#now().toISOString(), taskScheduledId: job.taskId, result: JSON.stringify(response) };
      } catch (err) {
        return taskFailed(job.taskId, err instanceof Error ? err.message : String(err), '', this.#now().toISOString());
      }
    }
    const fn = this.options.findActivity(job.name);
    if (!fn) return activityMissing(job.taskId, job.name, this.#now().toISOString());
    try {
      const response = await this.options.runner.run(fn, {
        triggerData: job.input === undefined ? undefined : { string: job.input },
        triggerMetadata: { instanceId: { string: job.instanceId } },
      });
      return activityCompleted(job.taskId, response.returnValue, this.#now().toISOString());
    } catch (err) {
      const cause = err instanceof InvocationFailedError ? err.cause : err;
      this.options.log.log('warn', 'activity failed', { instanceId: job.instanceId, activity: job.name, error: cause instanceof Error ? cause.message : String(cause) });
      return activityFailed(job.taskId, job.name, cause, this.#now().toISOString());
    }
  }
}
