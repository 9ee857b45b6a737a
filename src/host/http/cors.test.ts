import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { applyCors, corsPolicyFrom, type CorsPolicy } from './cors.js';

// A real server applying the policy, then answering 200 "app" for what is not a preflight.
let server: http.Server | undefined;
async function serve(policy: CorsPolicy | undefined): Promise<string> {
  server = http.createServer((req, res) => {
    if (applyCors(policy, req, res)) return;
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('app');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('corsPolicyFrom', () => {
  it('is undefined without origins', () => {
    expect(corsPolicyFrom({})).toBeUndefined();
    expect(corsPolicyFrom({ origins: ' , ' })).toBeUndefined();
  });

  it('normalises the listed origins', () => {
    const p = corsPolicyFrom({ origins: 'http://LocalHost:3000/, https://app.example.com' });
    expect([...p!.origins]).toEqual(['http://localhost:3000', 'https://app.example.com']);
    expect(p!.anyOrigin).toBe(false);
  });

  it('refuses a wildcard with credentials and a value that is not an origin', () => {
    expect(() => corsPolicyFrom({ origins: '*', credentials: true })).toThrow(/wildcard/);
    expect(() => corsPolicyFrom({ origins: 'localhost:3000x' })).toThrow(/not an origin/);
  });
});

describe('applyCors', () => {
  it('answers a preflight from an allowed origin with the requested method and headers', async () => {
    const base = await serve(corsPolicyFrom({ origins: 'http://localhost:3000', credentials: true }));
    const res = await fetch(`${base}/api/x`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type,x-functions-key' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(res.headers.get('access-control-allow-methods')).toBe('PUT');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type,x-functions-key');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it('gives a preflight from another origin no CORS headers, and its request none either', async () => {
    const base = await serve(corsPolicyFrom({ origins: 'http://localhost:3000' }));
    const pre = await fetch(`${base}/api/x`, { method: 'OPTIONS', headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'GET' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const res = await fetch(`${base}/api/x`, { headers: { Origin: 'http://evil.example' } });
    expect(await res.text()).toBe('app');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('adds the origin header to an allowed request and lets the app answer it', async () => {
    const base = await serve(corsPolicyFrom({ origins: '*' }));
    const res = await fetch(`${base}/api/x`, { headers: { Origin: 'http://anything.example' } });
    expect(await res.text()).toBe('app');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('leaves OPTIONS without a preflight header, and everything without a policy, to the app', async () => {
    let base = await serve(corsPolicyFrom({ origins: '*' }));
    expect(await (await fetch(`${base}/api/x`, { method: 'OPTIONS', headers: { Origin: 'http://a.example' } })).text()).toBe('app');
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    base = await serve(undefined);
    const res = await fetch(`${base}/api/x`, { method: 'OPTIONS', headers: { Origin: 'http://a.example', 'Access-Control-Request-Method': 'GET' } });
    expect(await res.text()).toBe('app');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
