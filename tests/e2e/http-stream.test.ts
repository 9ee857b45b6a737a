// Proves that an ES module app that calls `app.setup({ enableHttpStream: true })` runs in HTTP
// stream mode on the local host: response bodies stream chunk by chunk while the handler's
// stream is still open, streamed request bodies reach the handler, route params and query
// values work, and an empty prefix from host.json serves routes from the root.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startAos, type AosProcess } from '../support/aos-process.js';

const APP = path.join(REPO_ROOT, 'tests', 'fixtures', 'apps', 'http-esm');

/** Reads from `reader` until the text so far satisfies `done`; returns the text and whether the stream ended. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, done: (text: string) => boolean, start = ''): Promise<{ text: string; ended: boolean }> {
  const decoder = new TextDecoder();
  let text = start;
  while (!done(text)) {
    const chunk = await reader.read();
    if (chunk.done) return { text, ended: true };
    text += decoder.decode(chunk.value, { stream: true });
  }
  return { text, ended: false };
}

describe('HTTP stream mode of an ES module app (empty route prefix)', () => {
  let aos: AosProcess;
  beforeAll(async () => {
    aos = await startAos({ app: APP });
  });
  afterAll(async () => {
    await aos?.stop();
  });

  it('streams the first chunk of a response before the handler has produced the rest', async () => {
    const res = await fetch(`${aos.baseUrl}/stream/out/s1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-stream-id')).toBe('s1');
    const reader = res.body!.getReader();
    const first = await readUntil(reader, (t) => t.includes('first chunk;'));
    // The second chunk cannot exist yet: the handler's stream waits for /release/s1.
    expect(first).toEqual({ text: 'first chunk;', ended: false });
    const release = await fetch(`${aos.baseUrl}/release/s1`, { method: 'POST' });
    expect(await release.text()).toBe('released');
    const rest = await readUntil(reader, () => false, first.text);
    expect(rest).toEqual({ text: 'first chunk;second chunk;', ended: true });
  });

  it('hands a streamed request body to the handler', async () => {
    const chunkSize = 64 * 1024;
    const chunks = Array.from({ length: 32 }, (_, n) => new Uint8Array(chunkSize).map((_, i) => (i + n) % 251));
    let checksum = 0;
    for (const c of chunks) for (const b of c) checksum = (checksum + b) % 65521;
    let next = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks[next++];
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await fetch(`${aos.baseUrl}/stream/in`, { method: 'POST', body, duplex: 'half' } as RequestInit & { duplex: 'half' });
    expect(res.status).toBe(200);
    const result = (await res.json()) as { bytes: number; chunks: number; checksum: number };
    expect(result.bytes).toBe(chunkSize * chunks.length);
    expect(result.checksum).toBe(checksum);
    expect(result.chunks).toBeGreaterThan(1);
  });

  it('passes route values, query values and the original URL in stream mode', async () => {
    const res = await fetch(`${aos.baseUrl}/users/u-1/orders/7?userId=from-query&x=1`);
    expect(await res.json()).toEqual({
      params: { userId: 'u-1', orderId: '7', x: '1' },
      query: { userId: 'from-query', x: '1' },
      url: `${aos.baseUrl}/users/u-1/orders/7?userId=from-query&x=1`,
    });
    const optional = (await (await fetch(`${aos.baseUrl}/users/u-2/orders`)).json()) as { params: unknown };
    expect(optional.params).toEqual({ userId: 'u-2' });
    expect((await fetch(`${aos.baseUrl}/users/u-2/orders/not-a-number`)).status).toBe(404);
  });

  it('sends status, JSON and cookies through the stream proxy', async () => {
    const res = await fetch(`${aos.baseUrl}/json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"k":[1,2]}' });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ echo: { k: [1, 2] } });
    expect(res.headers.getSetCookie()).toEqual(['mode=stream; Path=/; HttpOnly']);
  });

  it('answers 200 with an empty body when a stream-mode handler returns nothing', async () => {
    const res = await fetch(`${aos.baseUrl}/nothing`, { signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('answers 500 with a JSON body when a stream-mode handler throws, and keeps serving', async () => {
    const res = await fetch(`${aos.baseUrl}/throws`);
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: { code: 'FUNCTION_FAILED', details: { message: 'stream handler broke on purpose' } } });
    expect((await fetch(`${aos.baseUrl}/users/u-3/orders/1`)).status).toBe(200);
  });

  it('loads the brace alternatives of a glob "main" in the order written', async () => {
    expect(await (await fetch(`${aos.baseUrl}/load-order`)).json()).toEqual(['setup.mjs', 'misc.js', 'streams.js']);
  });

  it('keeps serving after a client abandons a streaming response', async () => {
    const controller = new AbortController();
    const res = await fetch(`${aos.baseUrl}/stream/out/s2`, { signal: controller.signal });
    const reader = res.body!.getReader();
    await readUntil(reader, (t) => t.includes('first chunk;'));
    controller.abort();
    await fetch(`${aos.baseUrl}/release/s2`, { method: 'POST' });
    expect((await fetch(`${aos.baseUrl}/users/u-4/orders/2`)).status).toBe(200);
  });
});
