import { describe, expect, it } from 'vitest';
import { runBusContract, uniqueTopicPrefix } from '../../tests/support/message-bus-contract.js';
import { ServiceBusMessageBus } from './service-bus-bus.js';
import { ServiceBusNamespaceTestDouble } from './testing/service-bus-test-double.js';

runBusContract('Service Bus adapter on the SDK test doubles', async () => ({ bus: new ServiceBusMessageBus(new ServiceBusNamespaceTestDouble()), topicPrefix: uniqueTopicPrefix() }));

describe('ServiceBusMessageBus', () => {
  it('sends the envelope as a JSON message whose id is the envelope id (for duplicate detection)', async () => {
    const ns = new ServiceBusNamespaceTestDouble();
    const bus = new ServiceBusMessageBus(ns);
    await bus.publish('risks', { id: 'e1', type: 'alert', source: 'agent:a', time: '2025-01-01T00:00:00.000Z', correlationId: 'c1', data: null });
    expect(ns.sent[0]).toMatchObject({ messageId: 'e1', contentType: 'application/json', subject: 'alert', correlationId: 'c1', applicationProperties: { topic: 'risks', source: 'agent:a' } });
  });

  it('dead-letters a message whose body is not an envelope instead of handing it out', async () => {
    const ns = new ServiceBusNamespaceTestDouble();
    const bus = new ServiceBusMessageBus(ns);
    await bus.subscribe('risks', 'sub');
    await ns.sender('risks').sendMessages({ body: { hello: 'world' } });
    expect(await bus.receive('risks', 'sub')).toEqual([]);
    expect(ns.deadLetters).toHaveLength(1);
  });

  it('refuses a subscription name that a queue or Service Bus would not accept', async () => {
    const bus = new ServiceBusMessageBus(new ServiceBusNamespaceTestDouble());
    await expect(bus.subscribe('risks', 'Bad_Name')).rejects.toThrow();
  });
});
