// Proves agent-to-agent messages and topics end to end on the local host and Azurite: a message
// goes into the target's mailbox (source `agent:<from>`), is processed once and is logged for both
// sides; unknown and terminated targets answer 404 and 409; a topic publication reaches every
// subscriber (by definition and by the subscribe route) exactly once, also when re-posted; an
// unsubscribed agent gets nothing more; and an agent's `publish:<topic>` decision fans out to the
// topic's subscribers through the loop's publish effect. Publications are forwarded to the external
// bus (Storage Queues here), where an external subscription receives them.
import { randomBytes } from 'node:crypto';
import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { StorageQueueBus } from '../../src/services/index.js';
import { postJson } from '../support/agents-http.js';
import { startAos, type AosProcess } from '../support/aos-process.js';
import { waitUntil } from '../support/wait-until.js';
import { agentApi, transcriptEventIds, type AgentView } from './agents-support.js';

describe('messaging API on the local host', () => {
  const run = randomBytes(3).toString('hex');
  const env = { AOS_TASK_HUB: `Messaging${run}`, AOS_REGISTER_CONFIRM_MS: '10000' };
  const topic = `risk-alerts-${run}`;
  const [alice, bob, carol, dave] = ['alice', 'bob', 'carol', 'dave'].map((n) => `msg-${n}-${run}`) as [string, string, string, string];
  let aos: AosProcess | undefined;
  const host = (): AosProcess => {
    if (!aos) throw new Error('the host is down');
    return aos;
  };
  const { api, register, view, settled } = agentApi(host);
  const topicsOf = async (id: string): Promise<string[]> => ((await view(id)).context as AgentView['context'] & { subscriptions: { topics: string[] } }).subscriptions.topics;
  const processed = (v: AgentView, eventId: string) => v.context.recentDecisions.some((d) => d.eventId === eventId);

  beforeAll(async () => {
    aos = await startAos({ env });
    const agent = (id: string, statement: string, topics: string[] = []) => register({ id, name: id, purpose: { statement }, subscriptions: { topics, eventTypes: [] }, settings: { heartbeatSeconds: 3600 } });
    expect(await agent(alice, 'Publish risk alerts to the team when risks appear')).toBe(201);
    expect(await agent(bob, 'Manage operational risks', [topic])).toBe(201);
    expect(await agent(carol, 'Audit compliance risks')).toBe(201);
    expect(await agent(dave, 'Retired helper')).toBe(201);
    for (const id of [alice, bob, carol, dave]) await settled(id, () => true, `${id} asleep`);
  });
  afterAll(async () => {
    await aos?.stop();
  });

  it('delivers a message into the target mailbox, processes it once and logs it for both sides', async () => {
    const res = await api(`/agents/${alice}/messages`, postJson({ to: bob, type: 'risk.question', data: { text: 'Is the supplier risk under control?' }, id: `m1-${run}` }));
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ id: `m1-${run}`, from: alice, to: bob, accepted: true, duplicate: false, recorded: { log: true } });
    const again = await api(`/agents/${alice}/messages`, postJson({ to: bob, type: 'risk.question', data: { text: 'Is the supplier risk under control?' }, id: `m1-${run}` }));
    expect(again.status).toBe(202);
    const v = await settled(bob, (b) => processed(b, `m1-${run}`), 'bob processed the message');
    expect(v.context.recentDecisions.filter((d) => d.eventId === `m1-${run}`)).toHaveLength(1);
    expect(v.context.memory.recent.some((m) => m.kind === 'event' && m.text.includes(`from agent:${alice}`))).toBe(true);
    expect((await transcriptEventIds(bob)).filter((e) => e === `m1-${run}`)).toHaveLength(1);

    const sent = (await (await api(`/agents/${alice}/messages`)).json()) as { items: Array<{ direction: string; peer: string; messageId: string }> };
    const received = (await (await api(`/agents/${bob}/messages`)).json()) as { items: Array<{ direction: string; peer: string; messageId: string; envelope: { source: string } }> };
    expect(sent.items).toEqual([expect.objectContaining({ direction: 'sent', peer: bob, messageId: `m1-${run}` })]);
    expect(received.items).toEqual([expect.objectContaining({ direction: 'received', peer: alice, messageId: `m1-${run}`, envelope: expect.objectContaining({ source: `agent:${alice}` }) })]);
  });

  it('answers 404 for an unknown target or sender, 409 for a terminated target and 400 for a bad message', async () => {
    const unknown = await api(`/agents/${alice}/messages`, postJson({ to: 'nobody-here', type: 'x' }));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'AGENT_NOT_FOUND' } });
    expect((await api(`/agents/nobody-here/messages`, postJson({ to: bob, type: 'x' }))).status).toBe(404);
    expect((await api(`/agents/${dave}/terminate`, postJson({ reason: 'retired' }))).status).toBe(202);
    await waitUntil(async () => (await view(dave)).context.lifecycle.state === 'terminated', { describe: 'dave terminated' });
    const terminated = await api(`/agents/${alice}/messages`, postJson({ to: dave, type: 'x' }));
    expect(terminated.status).toBe(409);
    expect(await terminated.json()).toMatchObject({ error: { code: 'AGENT_TERMINATED' } });
    expect((await api(`/agents/${alice}/messages`, postJson({ type: 'x' }))).status).toBe(400);
  });

  it('fans a publication out to every subscriber exactly once, also when it is posted again', async () => {
    const sub = await api(`/topics/${topic}/subscribers/${carol}`, { method: 'POST' });
    expect(sub.status).toBe(202);
    await waitUntil(async () => (await topicsOf(carol)).includes(topic), { describe: 'carol subscribed in her context' });
    const subscribers = (await (await api(`/topics/${topic}/subscribers`)).json()) as { agentIds: string[] };
    expect(subscribers.agentIds).toEqual([bob, carol].sort());

    const bus = new StorageQueueBus(QueueServiceClient.fromConnectionString(inject('storageConnectionString')));
    await bus.subscribe(topic, 'external');
    const publication = { id: `p1-${run}`, type: 'risk.alert', source: 'monitor', data: { text: 'Supplier delay risk rising' } };
    const first = await api(`/topics/${topic}/publish`, postJson(publication));
    expect(first.status).toBe(202);
    const body = (await first.json()) as { instanceId: string; duplicate: boolean };
    expect(body.duplicate).toBe(false);
    const second = await api(`/topics/${topic}/publish`, postJson(publication));
    expect(await second.json()).toMatchObject({ instanceId: body.instanceId, duplicate: true });

    for (const id of [bob, carol]) {
      const v = await settled(id, (x) => processed(x, `p1-${run}`), `${id} processed the publication`);
      expect(v.context.recentDecisions.filter((d) => d.eventId === `p1-${run}`)).toHaveLength(1);
      expect((await transcriptEventIds(id)).filter((e) => e === `p1-${run}`)).toHaveLength(1);
    }
    const status = (await (await fetch(`${host().baseUrl}/runtime/webhooks/durabletask/instances/${body.instanceId}`)).json()) as { runtimeStatus: string; output: { deliveries: Array<{ agentId: string; outcome: string }>; forwarded: boolean } };
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output.deliveries).toEqual([{ agentId: bob, outcome: 'delivered' }, { agentId: carol, outcome: 'delivered' }].sort((a, b) => a.agentId.localeCompare(b.agentId)));
    expect(status.output.forwarded).toBe(true);
    const external = await bus.receive(topic, 'external', { waitMs: 10_000 });
    expect(external.map((m) => m.envelope)).toEqual([expect.objectContaining({ id: `p1-${run}`, type: 'risk.alert', source: 'monitor' })]);
    await Promise.all(external.map((m) => m.ack()));
    await bus.unsubscribe(topic, 'external');
  });

  it('delivers nothing more to an agent that unsubscribed', async () => {
    expect((await api(`/topics/${topic}/subscribers/${carol}`, { method: 'DELETE' })).status).toBe(202);
    await waitUntil(async () => !(await topicsOf(carol)).includes(topic), { describe: 'carol unsubscribed in her context' });
    const res = await api(`/topics/${topic}/publish`, postJson({ id: `p2-${run}`, type: 'risk.alert', source: 'monitor', data: 'second alert' }));
    const { instanceId } = (await res.json()) as { instanceId: string };
    const done = await waitUntil(async () => {
      const s = (await (await fetch(`${host().baseUrl}/runtime/webhooks/durabletask/instances/${instanceId}`)).json()) as { runtimeStatus: string; output?: { deliveries: Array<{ agentId: string }> } };
      return s.runtimeStatus === 'Completed' ? s : undefined;
    }, { describe: 'the second publication fanned out' });
    expect(done.output?.deliveries.map((d) => d.agentId)).toEqual([bob]);
    await settled(bob, (x) => processed(x, `p2-${run}`), 'bob processed the second alert');
    expect(processed(await view(carol), `p2-${run}`)).toBe(false);
  });

  it("publishes an agent's publish:<topic> decision to the topic's subscribers", async () => {
    const event = { id: `e-${run}`, type: 'risk.found', source: 'scanner', data: { text: 'new supplier risk', options: [`publish:${topic}`, 'ignore'] } };
    expect((await api(`/agents/${alice}/events`, postJson(event))).status).toBe(202);
    const a = await settled(alice, (x) => processed(x, event.id), 'alice decided on the risk');
    expect(a.context.recentDecisions.find((d) => d.eventId === event.id)?.action).toBe(`publish:${topic}`);
    const publicationId = `pub-${alice}-${event.id}`;
    const b = await settled(bob, (x) => processed(x, publicationId), "bob processed alice's publication");
    expect(b.context.recentDecisions.filter((d) => d.eventId === publicationId)).toHaveLength(1);
    expect(b.context.memory.recent.some((m) => m.eventId === publicationId && m.text.includes(`agent.publication from agent:${alice}`))).toBe(true);
  });
});
