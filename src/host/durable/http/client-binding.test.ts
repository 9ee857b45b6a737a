import { HttpRequest, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BindingData } from '../../bindings/binding-expressions.js';
import type { RegisteredFunction } from '../../worker/function-registry.js';
import type { RpcTypedData } from '../../worker/rpc-types.js';
import { durableClientPayload, durableClientProvider } from './client-binding.js';

const BASE = 'http://127.0.0.1:7071';

/**
 * What the Node worker does with the host's input data before the library sees it:
 * `@azure/functions`' fromRpcTypedData JSON-parses a `string` value when it can.
 */
function clientFor(data: RpcTypedData): df.DurableClient {
  const input = df.input.durableClient();
  const context = new InvocationContext({ options: { extraInputs: [input] } });
  context.extraInputs.set(input, JSON.parse(data.string ?? 'null'));
  return df.getClient(context);
}

const provide = (binding: Record<string, unknown> = {}) =>
  durableClientProvider({ taskHubName: 'TestHubName', baseUrl: BASE })({
    fn: {} as RegisteredFunction,
    bindingName: 'durableClient',
    binding: { type: 'durableClient', direction: 'in', ...binding },
    bindingData: () => new BindingData(),
  }) as RpcTypedData;

describe('durableClientPayload', () => {
  beforeEach(() => {
    // The host sets this so the library keeps our origin (durable-protocol E.2).
    vi.stubEnv('WEBSITE_HOSTNAME', '127.0.0.1:7071');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('has the extension keys, an rpcBaseUrl ending in / and the INSTANCEID placeholder', () => {
    const p = durableClientPayload({ taskHubName: 'Hub1', baseUrl: `${BASE}/` });
    expect(p).toMatchObject({
      taskHubName: 'Hub1',
      connectionName: null,
      baseUrl: `${BASE}/runtime/webhooks/durabletask`,
      requiredQueryStringParameters: '',
      rpcBaseUrl: `${BASE}/runtime/webhooks/durabletask/`,
      httpBaseUrl: null,
    });
    expect(p.managementUrls.id).toBe('INSTANCEID');
    expect(p.managementUrls.statusQueryGetUri).toBe(`${BASE}/runtime/webhooks/durabletask/instances/INSTANCEID?taskHub=Hub1&connection=Storage`);
    expect(p.creationUrls.createNewInstancePostUri).toBe(`${BASE}/runtime/webhooks/durabletask/orchestrators/{functionName}[/{instanceId}]?`);
  });

  it('gives the real library a client whose management payload points at the host', () => {
    const client = clientFor(provide());
    expect(client.taskHubName).toBe('TestHubName');
    const links = client.createHttpManagementPayload('order-7');
    const base = `${BASE}/runtime/webhooks/durabletask/instances/order-7`;
    const q = 'taskHub=TestHubName&connection=Storage';
    expect(links).toEqual({
      id: 'order-7',
      statusQueryGetUri: `${base}?${q}`,
      sendEventPostUri: `${base}/raiseEvent/{eventName}?${q}`,
      terminatePostUri: `${base}/terminate?reason={text}&${q}`,
      rewindPostUri: `${base}/rewind?reason={text}&${q}`,
      purgeHistoryDeleteUri: `${base}?${q}`,
      restartPostUri: `${base}/restart?${q}`,
      suspendPostUri: `${base}/suspend?reason={text}&${q}`,
      resumePostUri: `${base}/resume?reason={text}&${q}`,
    });
  });

  it('lets createCheckStatusResponse move every link to the origin of the request', async () => {
    const client = clientFor(provide());
    const request = new HttpRequest({ url: 'http://example.test:8080/api/start', method: 'POST' });
    const response = client.createCheckStatusResponse(request, 'abc');
    expect(response.status).toBe(202);
    const body = (await response.json()) as Record<string, string>;
    expect(body.statusQueryGetUri).toBe('http://example.test:8080/runtime/webhooks/durabletask/instances/abc?taskHub=TestHubName&connection=Storage');
    expect(body.rewindPostUri).toBe('http://example.test:8080/runtime/webhooks/durabletask/instances/abc/rewind?reason={text}&taskHub=TestHubName&connection=Storage');
    expect(response.headers.get('Location')).toBe(body.statusQueryGetUri);
    expect(response.headers.get('Retry-After')).toBe('10');
  });

  it("honours a binding's taskHub and connectionName properties", () => {
    const data = provide({ taskHub: 'OtherHub', connectionName: 'MyStorage' });
    const payload = JSON.parse(data.string ?? '') as ReturnType<typeof durableClientPayload>;
    expect(payload.taskHubName).toBe('OtherHub');
    expect(payload.connectionName).toBe('MyStorage');
    const client = clientFor(data);
    expect(client.taskHubName).toBe('OtherHub');
    expect(client.createHttpManagementPayload('x').statusQueryGetUri).toMatch(/\?taskHub=OtherHub&connection=MyStorage$/);
  });
});
