// Proves that the local host serves a CommonJS Functions v4 app's HTTP triggers as the Functions
// host does: route templates (optional, catch-all, constrained), methods, a custom route prefix
// from host.json, query values merged into params, request bodies of several content types,
// response status/headers/cookies/jsonBody, an empty response, and a throwing handler.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startAos, type AosProcess } from '../support/aos-process.js';

const APP = path.join(REPO_ROOT, 'tests', 'fixtures', 'apps', 'http-cjs');

describe('HTTP triggers of a CommonJS app (classic mode, route prefix "v1")', () => {
  let aos: AosProcess;
  let base: string;
  beforeAll(async () => {
    aos = await startAos({ app: APP });
    base = `${aos.baseUrl}/v1`;
  });
  afterAll(async () => {
    await aos?.stop();
  });

  const getJson = async (url: string, init?: RequestInit) => {
    const res = await fetch(url, init);
    return { res, body: (await res.json()) as Record<string, unknown> };
  };

  describe('routing', () => {
    it('serves routes under the host.json prefix and not under the default one', async () => {
      expect((await fetch(`${base}/items/new`)).status).toBe(200);
      const res = await fetch(`${aos.baseUrl}/api/items/new`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    });

    it('passes an int-constrained route value and answers 404 for a non-int one', async () => {
      const { res, body } = await getJson(`${base}/items/42`);
      expect(res.status).toBe(200);
      expect(body).toEqual({ method: 'GET', params: { id: '42' }, query: {} });
      expect((await fetch(`${base}/items/abc`)).status).toBe(404);
    });

    it('prefers a literal route over a parameter route', async () => {
      expect(await (await fetch(`${base}/items/new`)).text()).toBe('the literal route');
    });

    it('matches an optional parameter with and without a value', async () => {
      expect((await getJson(`${base}/greet`)).body.params).toEqual({});
      expect((await getJson(`${base}/greet/ana`)).body.params).toEqual({ name: 'ana' });
    });

    it('captures the rest of the path, decoded, in a catch-all parameter', async () => {
      expect((await getJson(`${base}/files/a/b%20c/d.txt`)).body.params).toEqual({ rest: 'a/b c/d.txt' });
    });

    it('uses the function name as the route when none is given, case-insensitively, with the library default methods', async () => {
      const { res, body } = await getJson(`${base}/namedroute`, { method: 'POST' });
      expect(res.status).toBe(200);
      expect(body.method).toBe('POST');
      const wrong = await fetch(`${base}/NAMEDROUTE`, { method: 'DELETE' });
      expect(wrong.status).toBe(405);
      expect(wrong.headers.get('allow')).toBe('GET, POST');
    });

    it('answers a method the route does not allow with 405, a JSON body and an Allow header', async () => {
      const res = await fetch(`${base}/things/k`, { method: 'DELETE' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST, PUT');
      expect(await res.json()).toEqual({
        error: { code: 'METHOD_NOT_ALLOWED', message: 'DELETE is not allowed on /v1/things/k', details: { allowed: ['POST', 'PUT'] } },
      });
    });

    it('puts query values in request.query and in request.params, where route values win', async () => {
      const { body } = await getJson(`${base}/things/route-key?key=query-key&page=2&tag=a&tag=b`, { method: 'PUT' });
      expect(body.query).toEqual({ key: 'query-key', page: '2', tag: 'a,b' });
      expect(body.params).toEqual({ key: 'route-key', page: '2', tag: 'a,b' });
    });
  });

  describe('request bodies', () => {
    it('parses a JSON body with request.json()', async () => {
      const { body } = await getJson(`${base}/body/json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ a: [1, 2], b: { c: 'ü' } }),
      });
      expect(body).toEqual({ received: { a: [1, 2], b: { c: 'ü' } }, contentType: 'application/json' });
    });

    it('reads a text body', async () => {
      const res = await fetch(`${base}/body/text`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'héllo wörld' });
      expect(await res.text()).toBe('text:héllo wörld');
    });

    it('round-trips binary bytes unchanged', async () => {
      const bytes = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
      const res = await fetch(`${base}/body/binary`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      expect(res.headers.get('x-length')).toBe('4096');
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
    });

    it('parses url-encoded and multipart forms with request.formData()', async () => {
      const urlEncoded = await getJson(`${base}/body/form`, { method: 'POST', body: new URLSearchParams({ a: '1', b: 'two words' }) });
      expect(urlEncoded.body).toEqual({ a: '1', b: 'two words' });
      const form = new FormData();
      form.set('name', 'report');
      form.set('file', new Blob(['file contents'], { type: 'text/plain' }), 'report.txt');
      const multipart = await getJson(`${base}/body/form`, { method: 'POST', body: form });
      expect(multipart.body).toEqual({ name: 'report', file: { fileName: 'report.txt', text: 'file contents' } });
    });
  });

  describe('responses', () => {
    it('sends the status, headers, jsonBody and cookies with their attributes', async () => {
      const res = await fetch(`${base}/respond`);
      expect(res.status).toBe(201);
      expect(res.headers.get('x-custom')).toBe('yes');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({ created: true, list: [1, 2, 3] });
      expect(res.headers.getSetCookie()).toEqual([
        'session=abc123; max-age=3600; path=/; secure; samesite=strict; httponly',
        'theme=dark; expires=Wed, 02 Jan 2030 03:04:05 GMT; domain=example.test; path=/; samesite=lax',
      ]);
    });

    it('answers 200 with an empty body when the handler returns nothing, as the Functions host does', async () => {
      const res = await fetch(`${base}/nothing`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBe('0');
      expect(await res.text()).toBe('');
    });

    it('sends a status without a body', async () => {
      const res = await fetch(`${base}/accepted`, { method: 'POST' });
      expect(res.status).toBe(202);
      expect(await res.text()).toBe('');
    });

    it('answers 500 with a JSON body when the handler throws, and keeps serving', async () => {
      const res = await fetch(`${base}/throws`);
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({
        error: {
          code: 'FUNCTION_FAILED',
          message: 'Exception while executing function: Functions.throws',
          details: { message: 'the handler broke on purpose' },
        },
      });
      expect((await fetch(`${base}/items/7`)).status).toBe(200);
      await aos.waitForOutput('the handler broke on purpose');
    });
  });

  it('gives every invocation a W3C trace context that continues the caller trace', async () => {
    const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const child = (await getJson(`${base}/trace`, { headers: { traceparent: parent, tracestate: 'k=v' } })).body;
    expect(child.traceParent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-(?!b7ad6b7169203331)[0-9a-f]{16}-01$/);
    expect(child.traceState).toBe('k=v');
    const root = (await getJson(`${base}/trace`)).body;
    expect(root.traceParent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  });

  it('serves many concurrent requests, each with its own values', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => i + 1);
    const bodies = await Promise.all(ids.map(async (id) => (await getJson(`${base}/items/${id}?n=${id}`)).body));
    expect(bodies.map((b) => (b.params as Record<string, string>).id)).toEqual(ids.map(String));
  });
});

describe('CORS (--cors, as local.settings.json Host.CORS)', () => {
  let aos: AosProcess;
  beforeAll(async () => {
    aos = await startAos({ app: APP, args: ['--cors', 'http://localhost:3000,https://ui.example.com', '--cors-credentials'] });
  });
  afterAll(async () => {
    await aos?.stop();
  });

  it('answers a browser preflight for an app route and a host route', async () => {
    for (const url of [`${aos.baseUrl}/v1/items/7`, `${aos.baseUrl}/runtime/webhooks/durabletask/instances`]) {
      const res = await fetch(url, {
        method: 'OPTIONS',
        headers: { Origin: 'https://ui.example.com', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://ui.example.com');
      expect(res.headers.get('access-control-allow-methods')).toBe('POST');
      expect(res.headers.get('access-control-allow-headers')).toBe('content-type');
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    }
  });

  it("adds the allowed origin to the app's own answer and nothing for other origins", async () => {
    const res = await fetch(`${aos.baseUrl}/v1/items/7`, { headers: { Origin: 'http://localhost:3000' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { params: unknown }).params).toEqual({ id: '7' });
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(res.headers.get('vary')).toBe('Origin');
    const other = await fetch(`${aos.baseUrl}/v1/items/7`, { headers: { Origin: 'http://elsewhere.example' } });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
