import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OpenAiConfig } from '../config.js';
import type { DecideInput } from '../domain/index.js';
import { InferenceError, InferenceTimeoutError } from './errors.js';
import { OpenAiProvider } from './openai-provider.js';

/**
 * Test double: a local node:http server speaking the chat-completions wire format. Each request
 * takes the next scripted reply; `hang` never answers (for the timeout).
 */
type Reply = { status: number; body: unknown; headers?: Record<string, string> } | 'hang';
interface Seen {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: { model: string; messages: Array<{ role: string; content: string }>; temperature: number; max_tokens: number };
}

let server: http.Server;
let endpoint: string;
let script: Reply[] = [];
const seen: Seen[] = [];
const hanging: http.ServerResponse[] = [];

function completion(content: string, usage = { prompt_tokens: 42, completion_tokens: 7 }): Reply {
  return { status: 200, body: { id: 'c1', object: 'chat.completion', model: 'served-model', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage } };
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body: JSON.parse(raw) as Seen['body'] });
      const reply = script.shift() ?? { status: 500, body: { error: 'no scripted reply' } };
      if (reply === 'hang') {
        hanging.push(res);
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  script = [];
  seen.length = 0;
});

const agent: DecideInput['agent'] = {
  id: 'cfo',
  name: 'Finance',
  role: 'finance lead',
  purpose: { statement: 'Keep the company solvent', scope: 'budgets', successCriteria: ['positive cash flow'] },
  goals: [],
  memorySummary: 'approved the Q1 budget',
  adapterName: 'cfo-lora',
};
const input: DecideInput = { agent, event: { id: 'e1', type: 'invoice.received', source: 'erp', time: '2025-01-01T00:00:00.000Z', data: { amount: 100 } } };

function provider(overrides: Partial<OpenAiConfig> = {}, waits: number[] = []): OpenAiProvider {
  const config: OpenAiConfig = { endpoint, apiKey: 'secret-key', auth: 'key', model: 'default-model', timeoutMs: 2000, maxRetries: 2, temperature: 0, maxTokens: 256, ...overrides };
  return new OpenAiProvider(config, { sleep: async (ms) => void waits.push(ms) });
}

describe('OpenAiProvider (against a chat-completions test double)', () => {
  it('sends the adapter as model with the purpose in the system prompt and parses the JSON reply', async () => {
    script = [completion('{"action":"pay the invoice","rationale":"within budget","alignment":{"score":0.8,"reasons":["solvency"]}}')];
    const p = provider();
    const answer = await p.run(p.prepare(input), input);
    expect(answer).toEqual({ action: 'pay the invoice', rationale: 'within budget', alignment: { score: 0.8, reasons: ['solvency'] }, provider: 'openai', model: 'served-model', adapter: 'cfo-lora', tokensIn: 42, tokensOut: 7 });
    const req = seen[0] as Seen;
    expect(req.url).toBe('/v1/chat/completions');
    expect(req.body.model).toBe('cfo-lora');
    expect(req.body.max_tokens).toBe(256);
    expect(req.body.messages[0]?.content).toMatch(/Purpose: Keep the company solvent/);
    expect(req.body.messages[0]?.content).toMatch(/approved the Q1 budget/);
    expect(req.body.messages[1]?.content).toMatch(/invoice\.received/);
    expect(req.headers['api-key']).toBe('secret-key');
    expect(req.headers.authorization).toBe('Bearer secret-key');
  });

  it('uses the configured model when the agent names neither adapter nor model', () => {
    const prepared = provider().prepare({ ...input, agent: { ...agent, adapterName: undefined } as DecideInput['agent'] });
    expect(prepared.model).toBe('default-model');
    expect(prepared.adapter).toBeUndefined();
  });

  it('keeps a non-JSON reply as the action with zero alignment', async () => {
    script = [completion('```\nI would pay it.\n```')];
    const p = provider();
    const answer = await p.run(p.prepare(input), input);
    expect(answer.action).toMatch(/I would pay it/);
    expect(answer.alignment.score).toBe(0);
    expect(answer.rationale).toMatch(/not the requested JSON/);
  });

  it('retries a 503 and a 429 with backoff, honouring Retry-After, then succeeds', async () => {
    script = [{ status: 503, body: { error: 'busy' } }, { status: 429, body: { error: 'slow down' }, headers: { 'retry-after': '2' } }, completion('{"action":"wait"}')];
    const waits: number[] = [];
    const p = provider({}, waits);
    const answer = await p.run(p.prepare(input), input);
    expect(answer.action).toBe('wait');
    expect(seen).toHaveLength(3);
    expect(waits).toEqual([250, 2000]);
  });

  it('fails at once on a 400 without retrying, with a typed error', async () => {
    script = [{ status: 400, body: { error: { message: 'bad model' } } }];
    const p = provider();
    const err = await p.run(p.prepare(input), input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InferenceError);
    expect(err).toMatchObject({ code: 'INFERENCE_FAILED', status: 400, retryable: false });
    expect(seen).toHaveLength(1);
  });

  it('gives up after the configured retries', async () => {
    script = [{ status: 500, body: {} }, { status: 500, body: {} }];
    const p = provider({ maxRetries: 1 });
    await expect(p.run(p.prepare(input), input)).rejects.toMatchObject({ code: 'INFERENCE_FAILED', status: 500, retryable: true });
    expect(seen).toHaveLength(2);
  });

  it('times out a request that never answers and retries it', async () => {
    script = ['hang', completion('{"action":"late but fine"}')];
    const p = provider({ timeoutMs: 200, maxRetries: 1 });
    const answer = await p.run(p.prepare(input), input);
    expect(answer.action).toBe('late but fine');
    expect(seen).toHaveLength(2);
  });

  it('reports a timeout as a typed error when retries run out', async () => {
    script = ['hang'];
    const p = provider({ timeoutMs: 150, maxRetries: 0 });
    await expect(p.run(p.prepare(input), input)).rejects.toBeInstanceOf(InferenceTimeoutError);
  });

  it('sends an Entra ID bearer token from the token source', async () => {
    script = [completion('{"action":"ok"}')];
    const scopes: string[] = [];
    const p = new OpenAiProvider(
      { endpoint, auth: 'entra', model: 'm', timeoutMs: 2000, maxRetries: 0, temperature: 0, maxTokens: 16 },
      { tokenSource: { getToken: async (scope) => (scopes.push(scope), 'entra-token') } },
    );
    await p.run(p.prepare(input), input);
    expect(seen[0]?.headers.authorization).toBe('Bearer entra-token');
    expect(seen[0]?.headers['api-key']).toBeUndefined();
    expect(scopes).toEqual(['https://cognitiveservices.azure.com/.default']);
  });
});
