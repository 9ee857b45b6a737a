import { HttpRequest } from '@azure/functions';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serveStateless } from './context-server.js';
import { fromWebResponse, jsonRpcError, requestIdOf, toWebRequest } from './mcp-http-bridge.js';

const URL_ = 'http://127.0.0.1:7071/api/agents/ceo/mcp';
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' };

function post(message: unknown, headers: Record<string, string> = MCP_HEADERS): HttpRequest {
  return new HttpRequest({ method: 'POST', url: URL_, headers, body: { string: typeof message === 'string' ? message : JSON.stringify(message) } });
}

function echoServer(): McpServer {
  const server = new McpServer({ name: 'echo', version: '1.0.0' });
  server.registerTool('echo', { inputSchema: z.object({ text: z.string() }) }, ({ text }) => ({ content: [{ type: 'text', text }] }));
  return server;
}

const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } };

describe('Functions HTTP to MCP transport bridge', () => {
  it('answers initialize from a buffered Functions request with a whole JSON response and no session', async () => {
    const res = await serveStateless(post(initialize), echoServer());
    expect(res.status).toBe(200);
    expect((res.headers as Record<string, string>)['content-type']).toMatch(/application\/json/);
    expect((res.headers as Record<string, string>)['mcp-session-id']).toBeUndefined();
    expect(JSON.parse(String(res.body))).toMatchObject({ jsonrpc: '2.0', id: 1, result: { serverInfo: { name: 'echo' } } });
  });

  it('carries a tool call and its validation error (naming the field) through a fresh transport per request', async () => {
    const ok = await serveStateless(post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } }), echoServer());
    expect(JSON.parse(String(ok.body))).toMatchObject({ id: 2, result: { content: [{ type: 'text', text: 'hi' }] } });
    const bad = await serveStateless(post({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo', arguments: { text: 5 } } }), echoServer());
    const body = JSON.parse(String(bad.body)) as { result: { isError: boolean; content: Array<{ text: string }> } };
    expect(body.result.isError).toBe(true);
    expect(body.result.content[0]?.text).toMatch(/text/);
  });

  it('answers a notification with 202 and no body', async () => {
    const res = await serveStateless(post({ jsonrpc: '2.0', method: 'notifications/initialized' }), echoServer());
    expect(res).toMatchObject({ status: 202 });
    expect(res.body).toBeUndefined();
  });

  it('answers a body that is not JSON with a JSON-RPC parse error', async () => {
    const res = await serveStateless(post('{nope'), echoServer());
    expect(res.status).toBe(400);
    expect(JSON.parse(String(res.body))).toMatchObject({ error: { code: -32700 } });
  });

  it('answers GET and DELETE with 405 and a JSON-RPC error, since a stateless endpoint has no stream or session', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await serveStateless(new HttpRequest({ method, url: URL_, headers: { accept: 'text/event-stream' } }), echoServer());
      expect(res).toMatchObject({ status: 405, headers: { allow: 'POST' }, jsonBody: { jsonrpc: '2.0', error: { code: -32000 } } });
    }
  });

  it('copies method, URL, headers and body into a web Request, and a web Response back', async () => {
    const request = toWebRequest(post({ a: 1 }, { 'x-custom': 'v', 'content-type': 'application/json' }), '{"a":1}');
    expect(request.method).toBe('POST');
    expect(request.url).toBe(URL_);
    expect(request.headers.get('x-custom')).toBe('v');
    expect(await request.text()).toBe('{"a":1}');
    expect(toWebRequest(new HttpRequest({ method: 'GET', url: URL_ }), 'ignored').body).toBeNull();
    expect(await fromWebResponse(new Response(null, { status: 202, headers: { 'x-a': 'b' } }))).toEqual({ status: 202, headers: { 'x-a': 'b' } });
    expect(await fromWebResponse(new Response('{"x":1}', { status: 200 }))).toMatchObject({ status: 200, body: '{"x":1}' });
  });

  it('finds the request id for error answers, and builds them as JSON-RPC', () => {
    expect(requestIdOf('{"jsonrpc":"2.0","id":"a","method":"x"}')).toBe('a');
    expect(requestIdOf('[{"jsonrpc":"2.0","id":4,"method":"x"}]')).toBe(4);
    expect(requestIdOf('{"jsonrpc":"2.0","method":"notifications/x"}')).toBeNull();
    expect(requestIdOf('not json')).toBeNull();
    expect(requestIdOf(undefined)).toBeNull();
    expect(jsonRpcError(404, -32002, 'agent x is not registered', { id: 4, data: { code: 'AGENT_NOT_FOUND' } })).toEqual({
      status: 404,
      headers: { 'content-type': 'application/json' },
      jsonBody: { jsonrpc: '2.0', id: 4, error: { code: -32002, message: 'agent x is not registered', data: { code: 'AGENT_NOT_FOUND' } } },
    });
  });
});
