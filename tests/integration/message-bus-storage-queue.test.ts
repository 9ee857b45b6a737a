// Proves the Storage Queue message bus against Azurite: the shared bus contract (the same suite
// the Service Bus adapter passes on the SDK test doubles), plus the poison queue for messages
// that are not envelopes.
import { QueueServiceClient } from '@azure/storage-queue';
import { describe, expect, inject, it } from 'vitest';
import { StorageQueueBus, subscriptionQueueName } from '../../src/services/index.js';
import { runBusContract, uniqueTopicPrefix } from '../support/message-bus-contract.js';

const service = () => QueueServiceClient.fromConnectionString(inject('storageConnectionString'));

runBusContract('Storage Queue adapter on Azurite', async () => ({ bus: new StorageQueueBus(service(), { pollMs: 50 }), topicPrefix: uniqueTopicPrefix() }));

describe('StorageQueueBus', () => {
  it('moves a message that is not an envelope to the poison queue instead of handing it out', async () => {
    const bus = new StorageQueueBus(service());
    const topic = `${uniqueTopicPrefix()}poison`;
    await bus.subscribe(topic, 'sub');
    const queue = service().getQueueClient(subscriptionQueueName(topic, 'sub'));
    await queue.sendMessage('{"topic": "x", "envelope": 42}');
    expect(await bus.receive(topic, 'sub')).toEqual([]);
    const poisoned = await service().getQueueClient(`${queue.name}-poison`).receiveMessages();
    expect(poisoned.receivedMessageItems.map((m) => m.messageText)).toEqual(['{"topic": "x", "envelope": 42}']);
  });
});
