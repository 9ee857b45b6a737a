/**
 * HTTP helpers for the durable e2e files: the raw Durable HTTP API under
 * `/runtime/webhooks/durabletask/` and the fixture app's `DurableClient` starters, spoken the way
 * users' tools do (fetch, JSON bodies), plus `waitUntil`-based waits on instance status.
 */
import path from 'node:path';
import { REPO_ROOT } from '../support/aos-process.js';
import { waitUntil } from '../support/wait-until.js';

export const PATTERNS_APP = path.join(REPO_ROOT, 'tests', 'fixtures', 'apps', 'durable-patterns');

/** The status payload of the Durable HTTP API (the fields the tests read). */
export interface StatusBody {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  historyEvents?: Array<Record<string, unknown>>;
}

export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

const TERMINAL = ['Completed', 'Failed', 'Terminated', 'Canceled'];

export class DurableHttp {
  readonly webhook: string;

  constructor(readonly baseUrl: string) {
    this.webhook = `${baseUrl}/runtime/webhooks/durabletask`;
  }

  /** A request; a string `body` is sent as it is (raw text), anything else as JSON. */
  async request<T = unknown>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(url.startsWith('http') ? url : `${this.webhook}/${url}`, init);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  /** `POST orchestrators/{name}[/{id}]`; returns the new instance id (throws unless 202). */
  async start(name: string, input?: unknown, instanceId?: string): Promise<string> {
    const res = await this.request<{ id: string }>('POST', `orchestrators/${name}${instanceId === undefined ? '' : `/${encodeURIComponent(instanceId)}`}`, input === undefined ? undefined : JSON.stringify(input));
    if (res.status !== 202) throw new Error(`start ${name} answered ${res.status}: ${res.text}`);
    return res.body.id;
  }

  async status(instanceId: string, query = ''): Promise<HttpResult<StatusBody>> {
    return this.request<StatusBody>('GET', `instances/${encodeURIComponent(instanceId)}${query ? `?${query}` : ''}`);
  }

  /** Wait until the instance reaches one of `statuses` (default: any terminal one). */
  async waitFor(instanceId: string, statuses: string[] = TERMINAL, timeoutMs = 20_000, query = ''): Promise<StatusBody> {
    let last = '';
    return waitUntil(
      async () => {
        const res = await this.status(instanceId, query);
        last = res.text;
        return res.status < 300 && statuses.includes(res.body.runtimeStatus) ? res.body : undefined;
      },
      { timeoutMs, intervalMs: 50, describe: `instance ${instanceId} is ${statuses.join('/')} (last status: ${last})` },
    );
  }

  /** Wait until a predicate over the status payload holds. */
  async waitUntilStatus(instanceId: string, predicate: (s: StatusBody) => boolean, describe: string, timeoutMs = 20_000): Promise<StatusBody> {
    let last = '';
    return waitUntil(
      async () => {
        const res = await this.status(instanceId);
        last = res.text;
        return res.status < 300 && predicate(res.body) ? res.body : undefined;
      },
      { timeoutMs, intervalMs: 50, describe: `${describe} (last status: ${last})` },
    );
  }

  raise(instanceId: string, eventName: string, data: unknown): Promise<HttpResult> {
    return this.request('POST', `instances/${encodeURIComponent(instanceId)}/raiseEvent/${eventName}`, JSON.stringify(data));
  }

  /** One `DurableClient` operation through the fixture's `POST /api/client/{op}` starter. */
  async client<T = unknown>(op: string, args: Record<string, unknown> = {}): Promise<{ status: number; result?: T; error?: string }> {
    const res = await this.request<{ result?: T; error?: string }>('POST', `${this.baseUrl}/api/client/${op}`, args);
    return { status: res.status, ...res.body };
  }

  /** Start through the fixture's `DurableClient.startNew` starter; returns the check-status payload. */
  async startWithClient(name: string, input?: unknown, instanceId?: string): Promise<HttpResult<Record<string, string>>> {
    return this.request('POST', `${this.baseUrl}/api/start/${name}${instanceId === undefined ? '' : `/${encodeURIComponent(instanceId)}`}`, input === undefined ? undefined : JSON.stringify(input));
  }
}
