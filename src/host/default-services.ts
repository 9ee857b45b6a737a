/** The trigger services the `aos` host runs for every app, besides HTTP. */
import type { HostServiceFactory } from './host-services.js';
import { durableService } from './durable/durable-service.js';
import { storageQueueService, timerTriggerService } from './triggers/index.js';

export function defaultServices(): HostServiceFactory[] {
  return [timerTriggerService, storageQueueService, durableService];
}
