/** The timer trigger service: one listener per enabled `timerTrigger` function of the app. */
import { HostStartError } from '../config/host-config-error.js';
import type { HostContext, HostService, HostServiceFactory } from '../host-services.js';
import type { RegisteredFunction } from '../worker/function-registry.js';
import { parseRetryPolicy, RetryPolicyError, type RetryPolicy } from '../worker/retry-policy.js';
import { bindingFlag, isFunctionDisabled, resolveBinding } from './binding-settings.js';
import { hostIdFor } from './host-id.js';
import { BlobScheduleMonitor, timerNameOf, type ScheduleMonitor } from './schedule-monitor.js';
import { TimerListener } from './timer-listener.js';
import { InvalidScheduleError, parseSchedule, type TimerSchedule } from './timer-schedule.js';

export const TIMER_TRIGGER = 'timerTrigger';

/** Registers the timer trigger type; returns undefined when no enabled function uses it. */
export const timerTriggerService: HostServiceFactory = (ctx: HostContext): HostService | undefined => {
  ctx.extensions.addTrigger(TIMER_TRIGGER);
  const functions = ctx.registry.byTriggerType(TIMER_TRIGGER).filter((fn) => !isFunctionDisabled(fn.name, ctx.env));
  if (functions.length === 0) return undefined;

  const log = ctx.log.child({ category: 'timer' });
  let monitor: ScheduleMonitor | undefined;
  const monitorFor = () => (monitor ??= new BlobScheduleMonitor(ctx.storage.connectionString, hostIdFor(ctx.appDir, ctx.env), log));

  // Everything that can be wrong with a schedule is found here, before anything starts.
  const listeners = functions.map((fn) => {
    const binding = resolveBinding(fn.name, fn.triggerBindingName, fn.trigger, ctx.env);
    const schedule = scheduleOf(fn.name, binding.schedule);
    // As the host: useMonitor defaults to true, and is switched off for sub-minute schedules.
    const useMonitor = bindingFlag(binding.useMonitor, true) && !schedule.isSubMinute(new Date());
    return new TimerListener({
      functionName: fn.name,
      timerName: timerNameOf(fn.name),
      schedule,
      runOnStartup: bindingFlag(binding.runOnStartup, false),
      monitor: useMonitor ? monitorFor() : undefined,
      invoke: (triggerData, retryContext) => ctx.runner.run(fn, { triggerData, retryContext }),
      retry: retryPolicyOf(fn),
      log,
    });
  });

  return {
    name: 'timer',
    async start() {
      for (const listener of listeners) await listener.start();
    },
    async stop() {
      await Promise.all(listeners.map((l) => l.stop()));
    },
  };
};

function retryPolicyOf(fn: RegisteredFunction): RetryPolicy | undefined {
  try {
    return parseRetryPolicy(fn.metadata.retryOptions);
  } catch (err) {
    if (!(err instanceof RetryPolicyError)) throw err;
    throw new HostStartError(`function '${fn.name}': ${err.message}`, 'RETRY_POLICY_INVALID', { cause: err });
  }
}

function scheduleOf(functionName: string, expression: unknown): TimerSchedule {
  if (typeof expression !== 'string' || expression.trim() === '') {
    throw new HostStartError(`function '${functionName}': the timer trigger has no schedule`, 'TIMER_SCHEDULE_INVALID');
  }
  try {
    return parseSchedule(expression);
  } catch (err) {
    if (!(err instanceof InvalidScheduleError)) throw err;
    throw new HostStartError(`function '${functionName}': ${err.message}`, 'TIMER_SCHEDULE_INVALID', { cause: err });
  }
}
