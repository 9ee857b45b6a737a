/** The AOS agents API spoken with fetch, as the e2e files use it: register, read and post to an agent of a running host. */
import type { AosProcess } from './aos-process.js';

/** A POST with a JSON body. */
export function postJson(body: unknown): RequestInit {
  return { method: 'POST', body: JSON.stringify(body) };
}

/**
 * `api(path)` fetches `/api<path>` of the host `host()` returns (a function, so a test can restart
 * the host between calls); `View` is the test's typed view of `GET /api/agents/{id}`.
 */
export function agentsHttp<View>(host: () => AosProcess) {
  const api = (path: string, init?: RequestInit) => fetch(`${host().baseUrl}/api${path}`, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } });
  return {
    api,
    /** POST /api/agents; the status. */
    async register(definition: Record<string, unknown>): Promise<number> {
      const res = await api('/agents', postJson(definition));
      await res.arrayBuffer();
      return res.status;
    },
    async view(id: string): Promise<View> {
      const res = await api(`/agents/${id}`);
      if (res.status !== 200) throw new Error(`GET /api/agents/${id} answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as View;
    },
    /** POST an event; the status. */
    async post(agentId: string, event: Record<string, unknown>): Promise<number> {
      const res = await api(`/agents/${agentId}/events`, postJson(event));
      await res.arrayBuffer();
      return res.status;
    },
  };
}
