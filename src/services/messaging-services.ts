/**
 * The bootstrap of messaging: the message log, the topic subscriber index and the external bus,
 * built lazily from the configuration on first use (loading the app touches no network).
 */
import type { TokenCredential } from '@azure/core-auth';
import { getConfig, type Config } from '../config.js';
import type { MessageBus } from './message-bus.js';
import { TableMessageLog, type MessageLog } from './message-log.js';
import { ServiceBusMessageBus, connectServiceBus } from './service-bus-bus.js';
import { StorageQueueBus } from './storage-queue-bus.js';
import { queueServiceClient, tableClient } from './storage-clients.js';
import { TableTopicIndex, type TopicIndex } from './topic-index.js';

/** Table names of messaging data. */
export const MessagingTables = { messages: 'AosMessages', topicSubscribers: 'AosTopicSubscribers' } as const;

/** The queue whose messages become agent events (the `bus-inbound` queue trigger reads it). */
export const BUS_INBOUND_QUEUE = 'aos-bus-inbound';

export interface MessagingServices {
  messageLog: MessageLog;
  topicIndex: TopicIndex;
  /** Undefined when `AOS_BUS_PROVIDER=none`. */
  bus: MessageBus | undefined;
}

export function buildBus(config: Pick<Config, 'storageConnection' | 'bus'>, credential?: TokenCredential): MessageBus | undefined {
  switch (config.bus.provider) {
    case 'none':
      return undefined;
    case 'storage-queue':
      // The keyless connection string of identity-based storage is reached with a credential (storage-clients.ts).
      return new StorageQueueBus(queueServiceClient(config.storageConnection));
    case 'service-bus': {
      const sb = config.bus.serviceBus ?? {};
      return new ServiceBusMessageBus(connectServiceBus({ ...sb, ...(credential ? { credential } : {}) }));
    }
  }
}

export function buildMessagingServices(config: Pick<Config, 'storageConnection' | 'bus'>, credential?: TokenCredential): MessagingServices {
  return {
    messageLog: new TableMessageLog(tableClient(config.storageConnection, MessagingTables.messages)),
    topicIndex: new TableTopicIndex(tableClient(config.storageConnection, MessagingTables.topicSubscribers)),
    bus: buildBus(config, credential),
  };
}

let services: MessagingServices | undefined;
let busCredential: TokenCredential | undefined;

/** Registers the Entra ID credential for Service Bus by namespace, before first use. */
export function useBusCredential(credential: TokenCredential): void {
  busCredential = credential;
  services = undefined;
}

export function getMessagingServices(): MessagingServices {
  services ??= buildMessagingServices(getConfig(), busCredential);
  return services;
}
