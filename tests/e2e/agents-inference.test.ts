// Proves the agent pipeline with the OpenAI-compatible provider on the local host: the adapter
// name is sent as the model, tokens and cost are counted per agent, events that arrive while a
// batch is being processed are all processed exactly once, a full mailbox answers 429, and a
// plain Durable `raiseEvent/wake` nudges the loop. The model server is a test double (node:http
// speaking the chat-completions wire format) that holds requests until the test releases them.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAos, type AosProcess } from '../support/aos-process.js';
import { waitUntil } from '../support/wait-until.js';

interface AgentView {
  context: { lifecycle: { state: string }; counters: Record<string, number>; recentDecisions: Array<{ eventId: string; action: string; model: string; adapter?: string }> };
  mailboxDepth: number;
  loop: { runtimeStatus: string; customStatus: { state?: string; generation?: number } | null };
}

describe('agents with an OpenAI-compatible model', () => {
  let aos: AosProcess;
  let server: http.Server;
  const models: string[] = [];
  const held: Array<() => void> = [];
  let open = false;

  const api = (path: string, init?: RequestInit) => fetch(`${aos.baseUrl}/api${path}`, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } });
  const view = async (): Promise<AgentView> => (await (await api('/agents/cfo')).json()) as AgentView;
  const post = (id: string) => api('/agents/cfo/events', { method: 'POST', body: JSON.stringify({ id, type: 'invoice.received', source: 'erp', data: { amount: 100 } }) });

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        models.push((JSON.parse(raw) as { model: string }).model);
        const answer = () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ model: 'cfo-lora', choices: [{ index: 0, message: { role: 'assistant', content: '{"action":"pay","rationale":"within budget","alignment":{"score":0.9,"reasons":["solvency"]}}' } }], usage: { prompt_tokens: 100, completion_tokens: 20 } }));
        };
        if (open) answer();
        else held.push(answer);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    aos = await startAos({
      env: { AOS_INFERENCE_PROVIDER: 'openai', AOS_OPENAI_ENDPOINT: endpoint, AOS_OPENAI_API_KEY: 'test-key', AOS_OPENAI_TIMEOUT_MS: '120000', AOS_PRICE_INPUT_PER_1K: '1', AOS_PRICE_OUTPUT_PER_1K: '2' },
    });
  });

  afterAll(async () => {
    open = true;
    for (const answer of held.splice(0)) answer();
    await aos?.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('registers an agent with an adapter and a small mailbox', async () => {
    const res = await api('/agents', {
      method: 'POST',
      body: JSON.stringify({ id: 'cfo', name: 'Finance', adapterName: 'cfo-lora', purpose: { statement: 'Keep the company solvent' }, settings: { mailboxCapacity: 3 } }),
    });
    expect(res.status).toBe(201);
    await waitUntil(async () => ((await view()).loop.customStatus?.state === 'sleeping' ? true : undefined), { describe: 'cfo asleep' });
  });

  it('keeps events that arrive during processing and answers 429 when the mailbox is full', async () => {
    expect((await post('inv-1')).status).toBe(202);
    await waitUntil(() => (held.length === 1 ? true : undefined), { describe: 'the model server holds the first request' });
    expect((await post('inv-2')).status).toBe(202);
    expect((await post('inv-3')).status).toBe(202);
    await waitUntil(async () => ((await view()).mailboxDepth === 3 ? true : undefined), { describe: 'three events in the mailbox' });
    const full = await post('inv-4');
    expect(full.status).toBe(429);
    expect(full.headers.get('retry-after')).toBeTruthy();
    expect(await full.json()).toMatchObject({ error: { code: 'MAILBOX_FULL' } });

    open = true;
    for (const answer of held.splice(0)) answer();
    const v = await waitUntil(async () => {
      const current = await view();
      return current.context.counters.eventsProcessed === 3 && current.mailboxDepth === 0 ? current : undefined;
    }, { timeoutMs: 60_000, describe: 'three events processed' });
    expect(v.context.recentDecisions.map((d) => d.eventId)).toEqual(['inv-1', 'inv-2', 'inv-3']);
    expect(v.context.recentDecisions[0]).toMatchObject({ action: 'pay', model: 'cfo-lora', adapter: 'cfo-lora' });
    expect(v.context.counters).toMatchObject({ decisions: 3, tokensIn: 300, tokensOut: 60 });
    expect(v.context.counters.cost).toBeCloseTo(0.42);
    expect(models).toEqual(['cfo-lora', 'cfo-lora', 'cfo-lora']);
  });

  it('wakes on a plain Durable raiseEvent without processing anything twice', async () => {
    const before = await waitUntil(async () => {
      const current = await view();
      return current.loop.customStatus?.state === 'sleeping' ? current : undefined;
    }, { describe: 'cfo asleep again' });
    const res = await fetch(`${aos.baseUrl}/runtime/webhooks/durabletask/instances/agent-cfo/raiseEvent/wake`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(202);
    const after = await waitUntil(async () => {
      const current = await view();
      return current.loop.customStatus?.state === 'sleeping' && (current.loop.customStatus.generation ?? 0) > (before.loop.customStatus?.generation ?? 0) ? current : undefined;
    }, { describe: 'the loop ran another generation and sleeps again' });
    expect(after.context.counters.eventsProcessed).toBe(3);
    expect(models).toHaveLength(3);
  });
});
