/**
 * The behaviour every `MessageBus` adapter must show (STYLE rule 21): run with
 * `runBusContract(name, makeBus)` against the Service Bus test double (unit project) and the
 * Storage Queue adapter on Azurite (e2e project). `makeBus` gives a fresh bus and a topic prefix
 * unique to the run, since a real store keeps queues between runs.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../src/domain/index.js';
import type { MessageBus } from '../../src/services/index.js';

export interface BusUnderTest {
  bus: MessageBus;
  /** Unique per run, so topics of earlier runs on the same store do not interfere. */
  topicPrefix: string;
}

function envelope(id: string, data: unknown = { text: id }): EventEnvelope {
  return { id, type: 'contract.test', source: 'agent:contract', time: '2025-01-01T00:00:00.000Z', data };
}

export function runBusContract(name: string, makeBus: () => Promise<BusUnderTest>): void {
  describe(`MessageBus contract: ${name}`, () => {
    const made: MessageBus[] = [];
    const setup = async () => {
      const b = await makeBus();
      made.push(b.bus);
      return { bus: b.bus, topic: (t: string) => `${b.topicPrefix}${t}` };
    };
    afterAll(async () => {
      await Promise.all(made.map((b) => b.close()));
    });

    it('delivers a published envelope to a subscription, and an acknowledged one never again', async () => {
      const { bus, topic } = await setup();
      await bus.subscribe(topic('a'), 'sub');
      await bus.publish(topic('a'), envelope('m1', { n: 1 }));
      const got = await bus.receive(topic('a'), 'sub', { waitMs: 5000 });
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ topic: topic('a'), envelope: envelope('m1', { n: 1 }) });
      await got[0]?.ack();
      expect(await bus.receive(topic('a'), 'sub', { lockSeconds: 1 })).toEqual([]);
    });

    it('gives every subscription its own copy', async () => {
      const { bus, topic } = await setup();
      await bus.subscribe(topic('b'), 'one');
      await bus.subscribe(topic('b'), 'two');
      await bus.publish(topic('b'), envelope('m2'));
      const one = await bus.receive(topic('b'), 'one', { waitMs: 5000 });
      const two = await bus.receive(topic('b'), 'two', { waitMs: 5000 });
      expect(one.map((m) => m.envelope.id)).toEqual(['m2']);
      expect(two.map((m) => m.envelope.id)).toEqual(['m2']);
      await Promise.all([...one, ...two].map((m) => m.ack()));
    });

    it('delivers a released message again with a higher delivery count', async () => {
      const { bus, topic } = await setup();
      await bus.subscribe(topic('c'), 'sub');
      await bus.publish(topic('c'), envelope('m3'));
      const [first] = await bus.receive(topic('c'), 'sub', { waitMs: 5000 });
      expect(first).toBeDefined();
      await first?.release();
      const [again] = await bus.receive(topic('c'), 'sub', { waitMs: 5000 });
      expect(again?.envelope.id).toBe('m3');
      expect(again?.deliveryCount).toBeGreaterThan(first?.deliveryCount ?? 0);
      await again?.ack();
    });

    it('keeps a locked message from other receives until it is released', async () => {
      const { bus, topic } = await setup();
      await bus.subscribe(topic('d'), 'sub');
      await bus.publish(topic('d'), envelope('m4'));
      const [held] = await bus.receive(topic('d'), 'sub', { waitMs: 5000, lockSeconds: 60 });
      expect(await bus.receive(topic('d'), 'sub')).toEqual([]);
      await held?.ack();
    });

    it('does not deliver to a subscription what was published before it existed, nor across topics', async () => {
      const { bus, topic } = await setup();
      await bus.publish(topic('e'), envelope('early'));
      await bus.subscribe(topic('e'), 'late');
      await bus.subscribe(topic('f'), 'other');
      await bus.publish(topic('e'), envelope('on-time'));
      const late = await bus.receive(topic('e'), 'late', { waitMs: 5000 });
      expect(late.map((m) => m.envelope.id)).toEqual(['on-time']);
      await Promise.all(late.map((m) => m.ack()));
      expect(await bus.receive(topic('f'), 'other')).toEqual([]);
    });

    it('subscribes idempotently and stops delivering after unsubscribe', async () => {
      const { bus, topic } = await setup();
      await bus.subscribe(topic('g'), 'sub');
      await bus.subscribe(topic('g'), 'sub');
      await bus.publish(topic('g'), envelope('before'));
      await bus.unsubscribe(topic('g'), 'sub');
      await bus.unsubscribe(topic('g'), 'sub');
      await bus.publish(topic('g'), envelope('after'));
      await bus.subscribe(topic('g'), 'sub');
      expect(await bus.receive(topic('g'), 'sub')).toEqual([]);
    });
  });
}

/** A topic prefix unique to this process and run. */
export function uniqueTopicPrefix(): string {
  return `c${randomUUID().slice(0, 8)}.`;
}
