/**
 * Runs one timer-triggered function on its schedule, as the host's TimerListener does: a past-due
 * or runOnStartup run first, then one timer at a time, armed again only after a run finishes.
 * @see https://github.com/Azure/azure-webjobs-sdk-extensions/blob/dev/src/WebJobs.Extensions/Extensions/Timers/Listener/TimerListener.cs
 */
import type { Logger } from '../log/logger.js';
import { jsonData } from '../worker/typed-data.js';
import type { RpcTypedData } from '../worker/rpc-types.js';
import { runWithRetries, type RetryContext, type RetryPolicy } from '../worker/retry-policy.js';
import type { ScheduleMonitor } from './schedule-monitor.js';
import { checkPastDue, RunReason, statusAfterRun, toStatusWire, type ScheduleStatus } from './schedule-status.js';
import { ScheduleKind, type TimerSchedule } from './timer-schedule.js';

/** Node timers hold at most 2^31-1 ms (~24.8 days); longer waits are done in pieces. */
const MAX_TIMER_MS = 2_147_483_647;

export interface TimerListenerOptions {
  functionName: string;
  /** The name the status is stored under (`Host.Functions.<Name>`). */
  timerName: string;
  schedule: TimerSchedule;
  runOnStartup: boolean;
  /** Absent when `useMonitor` is off (or the schedule is sub-minute): no persisted status. */
  monitor: ScheduleMonitor | undefined;
  /** Runs the function once with the timer trigger data; rejects when the invocation fails. */
  invoke(triggerData: RpcTypedData, retryContext: RetryContext | undefined): Promise<unknown>;
  /** The function's `retry` policy: a failed occurrence is run again before the next is armed. */
  retry?: RetryPolicy | undefined;
  log: Logger;
  /** @default () => new Date() */
  now?: () => Date;
}

/** The trigger value the host sends for a timer (TimerInfo, serialised by Newtonsoft). */
export function timerTriggerData(schedule: TimerSchedule, status: ScheduleStatus | undefined, isPastDue: boolean): RpcTypedData {
  return jsonData({
    // ConstantSchedule does not adjust for DST; cron schedules do.
    Schedule: { AdjustForDST: schedule.kind !== ScheduleKind.Constant },
    ScheduleStatus: status ? toStatusWire(status) : null,
    IsPastDue: isPastDue,
  });
}

export class TimerListener {
  readonly #o: TimerListenerOptions;
  readonly #now: () => Date;
  #status: ScheduleStatus = { last: undefined, next: undefined, lastUpdated: undefined };
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  /** Aborted by stop(), so a retry wait ends at once instead of holding shutdown up. */
  readonly #stopping = new AbortController();

  constructor(options: TimerListenerOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** The status the next run will be given (for diagnostics and tests). */
  get status(): ScheduleStatus {
    return this.#status;
  }

  async start(): Promise<void> {
    const now = this.#now();
    let pastDue = false;
    if (this.#o.monitor) {
      const check = checkPastDue(this.#o.schedule, await this.#o.monitor.read(this.#o.timerName), now);
      if (check.changed) await this.#o.monitor.write(this.#o.timerName, check.status);
      this.#status = check.status;
      pastDue = check.pastDueMs > 0;
    } else {
      this.#status = { last: undefined, next: this.#o.schedule.next(now), lastUpdated: undefined };
    }
    this.#o.log.log('info', 'timer scheduled', { functionName: this.#o.functionName, schedule: this.#o.schedule.expression, next: this.#status.next?.toISOString(), pastDue });
    // Start-up runs are queued on a timer too, so start() returns before the function runs (as in the host).
    if (pastDue) this.#arm(0, RunReason.PastDue);
    else if (this.#o.runOnStartup) this.#arm(0, RunReason.Startup);
    else this.#armNext();
  }

  /** No further runs; resolves when a run in progress has finished and its status is stored. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopping.abort();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #armNext(): void {
    const next = this.#status.next;
    if (!next) {
      this.#o.log.log('warn', 'timer schedule has no further occurrence', { functionName: this.#o.functionName });
      return;
    }
    this.#arm(next.getTime() - this.#now().getTime(), RunReason.Schedule);
  }

  #arm(delayMs: number, reason: RunReason): void {
    if (this.#stopped) return;
    const wait = Math.max(0, Math.min(delayMs, MAX_TIMER_MS));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (wait < delayMs) {
        this.#armNext();
        return;
      }
      this.#running = this.#run(reason).finally(() => {
        this.#running = undefined;
        this.#armNext();
      });
    }, wait);
  }

  async #run(reason: RunReason): Promise<void> {
    const invocationTime = this.#now();
    const given = this.#o.monitor ? this.#status : undefined;
    try {
      const triggerData = timerTriggerData(this.#o.schedule, given, reason === RunReason.PastDue);
      // Retries happen inside this run, so the next occurrence is armed only after the last attempt.
      await runWithRetries(this.#o.retry, (retryContext) => this.#o.invoke(triggerData, retryContext), {
        signal: this.#stopping.signal,
        onRetry: ({ error, retryCount, delayMs }) =>
          this.#o.log.log('warn', 'timer function failed; retrying', { functionName: this.#o.functionName, retryCount, delayMs, err: error }),
      });
    } catch (err) {
      // A failing run must not stop the schedule (the host logs it and carries on).
      this.#o.log.log('error', 'timer function failed', { functionName: this.#o.functionName, reason, err });
    }
    this.#status = statusAfterRun(this.#o.schedule, this.#status, invocationTime, reason, this.#now());
    if (this.#o.monitor) await this.#o.monitor.write(this.#o.timerName, this.#status);
  }
}
