// Proves that messages and topic publications survive a host crash: a message and a publication
// accepted with 202 right before `kill -9` reach every subscriber exactly once after a restart on
// the same storage (the publication's fan-out orchestration resumes; mailboxes de-duplicate by
// event id). Also proves the inbound bus: a message put on the `aos-bus-inbound` queue becomes an
// event of its target agent, and one for a topic fans out to the topic's subscribers.
import { randomBytes } from 'node:crypto';
import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { postJson } from '../support/agents-http.js';
import { startAos, type AosProcess } from '../support/aos-process.js';
import { agentApi, transcriptEventIds, type AgentView } from './agents-support.js';

describe('messaging across a host crash, and the inbound bus', () => {
  const run = randomBytes(3).toString('hex');
  const env = { AOS_TASK_HUB: `MessagingCrash${run}`, AOS_REGISTER_CONFIRM_MS: '10000' };
  const topic = `ops-${run}`;
  const subscribers = ['one', 'two', 'three'].map((n) => `crash-${n}-${run}`);
  const sender = `crash-sender-${run}`;
  let aos: AosProcess | undefined;
  const host = (): AosProcess => {
    if (!aos) throw new Error('the host is down');
    return aos;
  };
  const { api, register, settled: settledWithin } = agentApi(host);
  const settled = (id: string, want: (v: AgentView) => boolean, what: string) => settledWithin(id, want, what, 60_000);
  const onceIn = async (id: string, eventId: string) => {
    const v = await settled(id, (x) => x.context.recentDecisions.some((d) => d.eventId === eventId), `${id} processed ${eventId}`);
    expect(v.context.recentDecisions.filter((d) => d.eventId === eventId)).toHaveLength(1);
    expect((await transcriptEventIds(id)).filter((e) => e === eventId)).toHaveLength(1);
  };

  beforeAll(async () => {
    aos = await startAos({ env });
    expect(await register({ id: sender, name: 'Sender', purpose: { statement: 'Coordinate operations' } })).toBe(201);
    for (const id of subscribers) expect(await register({ id, name: id, purpose: { statement: 'Run operations' }, subscriptions: { topics: [topic], eventTypes: [] } })).toBe(201);
    for (const id of [sender, ...subscribers]) await settled(id, () => true, `${id} asleep`);
  });
  afterAll(async () => {
    await aos?.stop();
  });

  it('delivers a message and a publication accepted right before kill -9 exactly once after a restart', async () => {
    const message = await api(`/agents/${sender}/messages`, postJson({ to: subscribers[0], type: 'ops.request', id: `cm-${run}`, data: { text: 'restart the batch' } }));
    expect(message.status).toBe(202);
    const publication = await api(`/topics/${topic}/publish`, postJson({ id: `cp-${run}`, type: 'ops.alert', source: 'pager', data: { text: 'disk almost full' } }));
    expect(publication.status).toBe(202);
    await host().kill();
    aos = await startAos({ env });
    await onceIn(subscribers[0] as string, `cm-${run}`);
    for (const id of subscribers) await onceIn(id, `cp-${run}`);
    // Posting the same publication again after the restart changes nothing.
    const again = await api(`/topics/${topic}/publish`, postJson({ id: `cp-${run}`, type: 'ops.alert', source: 'pager', data: { text: 'disk almost full' } }));
    expect(await again.json()).toMatchObject({ duplicate: true });
    for (const id of subscribers) await onceIn(id, `cp-${run}`);
  });

  it('turns inbound bus queue messages into agent events and topic publications', async () => {
    const queue = QueueServiceClient.fromConnectionString(inject('storageConnectionString')).getQueueClient('aos-bus-inbound');
    await queue.createIfNotExists();
    await queue.sendMessage(Buffer.from(JSON.stringify({ to: sender, event: { id: `in-${run}`, type: 'bus.note', source: 'erp', data: 'invoice paid' } })).toString('base64'));
    await queue.sendMessage(Buffer.from(JSON.stringify({ topic, event: { id: `in-topic-${run}`, type: 'bus.alert', source: 'erp', data: 'stock low' } })).toString('base64'));
    await onceIn(sender, `in-${run}`);
    for (const id of subscribers) await onceIn(id, `in-topic-${run}`);
  });
});
