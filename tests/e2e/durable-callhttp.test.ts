// Proves `context.df.callHttp` on the local host against a real local HTTP server: the request
// carries method, body and headers; the 202 + Location asynchronous pattern is polled after the
// Retry-After delay until a final answer; polling can be turned off; a network failure fails the
// orchestration with a message that says why.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAos, type AosProcess } from '../support/aos-process.js';
import { DurableHttp, PATTERNS_APP } from './durable-support.js';

interface Seen {
  method: string;
  url: string;
  body: string;
  headers: http.IncomingHttpHeaders;
  at: number;
}

describe('callHttp on the local host', () => {
  let aos: AosProcess;
  let api: DurableHttp;
  let server: http.Server;
  let origin = '';
  const seen: Seen[] = [];
  const pollsLeft = new Map<string, number>();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', origin);
        seen.push({ method: req.method ?? '', url: url.pathname, body, headers: req.headers, at: Date.now() });
        if (url.pathname === '/echo') {
          res.writeHead(201, { 'Content-Type': 'application/json', 'X-Reply': 'yes' });
          res.end(JSON.stringify({ method: req.method, body, test: req.headers['x-test'] }));
        } else if (url.pathname.startsWith('/jobs/')) {
          // POST /jobs/<id> accepts the job; GET /jobs/<id>/status answers 202 twice, then 200.
          const job = url.pathname.split('/')[2] ?? '';
          if (req.method === 'POST') pollsLeft.set(job, 2);
          const left = pollsLeft.get(job) ?? 0;
          if (req.method === 'POST' || left > 0) {
            if (req.method === 'GET') pollsLeft.set(job, left - 1);
            res.writeHead(202, { Location: `${origin}/jobs/${job}/status`, 'Retry-After': '1' });
            res.end();
          } else {
            res.writeHead(200, { 'Content-Type': 'text/plain' });
            res.end(`job ${job} done`);
          }
        } else {
          res.writeHead(404);
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    aos = await startAos({ app: PATTERNS_APP, env: { AOS_TASK_HUB: `CallHttp${randomUUID().slice(0, 8)}` } });
    api = new DurableHttp(aos.baseUrl);
  });
  afterAll(async () => {
    await aos?.stop();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('sends the method, body and headers and returns status, headers and content', async () => {
    const id = await api.start('HttpCall', { method: 'POST', url: `${origin}/echo`, body: { a: 1 } });
    const done = await api.waitFor(id);
    expect(done.runtimeStatus).toBe('Completed');
    const out = done.output as { statusCode: number; content: string; headers: Record<string, string> };
    expect(out.statusCode).toBe(201);
    expect(out.headers['X-Reply']).toBe('yes');
    expect(JSON.parse(out.content)).toEqual({ method: 'POST', body: '{"a":1}', test: 'fixture' });
  });

  it('polls the Location of a 202 after Retry-After until the final answer', async () => {
    const job = randomUUID().slice(0, 8);
    const id = await api.start('HttpCall', { method: 'POST', url: `${origin}/jobs/${job}` });
    const done = await api.waitFor(id, undefined, 20_000);
    expect(done.runtimeStatus).toBe('Completed');
    expect(done.output).toMatchObject({ statusCode: 200, content: `job ${job} done` });
    const calls = seen.filter((s) => s.url.startsWith(`/jobs/${job}`));
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([`POST /jobs/${job}`, `GET /jobs/${job}/status`, `GET /jobs/${job}/status`, `GET /jobs/${job}/status`]);
    // Each poll waits out Retry-After: 1 (a durable timer), and keeps the caller's headers.
    for (let i = 1; i < calls.length; i++) {
      expect((calls[i]?.at ?? 0) - (calls[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(900);
      expect(calls[i]?.headers['x-test']).toBe('fixture');
    }
    const history = (await api.status(id, 'showHistory=true')).body.historyEvents ?? [];
    expect(history.filter((e) => e.EventType === 'TimerFired')).toHaveLength(3);
  });

  it('returns the 202 itself when polling is disabled', async () => {
    const job = randomUUID().slice(0, 8);
    const id = await api.start('HttpCall', { method: 'POST', url: `${origin}/jobs/${job}`, enablePolling: false });
    const done = await api.waitFor(id);
    expect(done.output).toMatchObject({ statusCode: 202, headers: { Location: `${origin}/jobs/${job}/status`, 'Retry-After': '1' } });
    expect(seen.filter((s) => s.url.startsWith(`/jobs/${job}`))).toHaveLength(1);
  });

  it('fails the orchestration with the network error when the server cannot be reached', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const id = await api.start('HttpCall', { method: 'GET', url: `http://127.0.0.1:${port}/gone` });
    const done = await api.waitFor(id);
    expect(done.runtimeStatus).toBe('Failed');
    expect(done.output).toBe(`Orchestrator function 'HttpCall' failed: GET http://127.0.0.1:${port}/gone failed: connect ECONNREFUSED 127.0.0.1:${port}`);
  });
});
