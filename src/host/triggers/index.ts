/** Trigger services beyond HTTP: timer (NCRONTAB and TimeSpan schedules) and storage queues. */
export { timerTriggerService, TIMER_TRIGGER } from './timer-service.js';
export { storageQueueService, QUEUE_TRIGGER, QUEUE_OUTPUT } from './queue-service.js';
export { parseSchedule, InvalidScheduleError, ScheduleKind, type TimerSchedule } from './timer-schedule.js';
export { parseTimeSpan, durationMs } from './timespan.js';
export { hostIdFor } from './host-id.js';
export { HOSTS_CONTAINER, statusBlobName, timerNameOf } from './schedule-monitor.js';
export { resolveBinding, isFunctionDisabled, storageConnectionFor } from './binding-settings.js';
