/** The trigger services the `aos` host runs for every app, besides HTTP, and the storage bindings. */
import type { HostServiceFactory } from './host-services.js';
import { storageBindingsService } from './bindings/index.js';
import { durableService } from './durable/durable-service.js';
import { storageQueueService, timerTriggerService } from './triggers/index.js';

export function defaultServices(): HostServiceFactory[] {
  return [timerTriggerService, storageQueueService, storageBindingsService, durableService];
}
