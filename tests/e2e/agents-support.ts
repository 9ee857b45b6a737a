/**
 * Helpers for the agents e2e files that restart or kill the host: the AOS API and the Durable
 * HTTP API spoken with fetch, typed views of an agent, and the per-event records an agent leaves
 * in storage (its transcript blobs), read straight from the run's Azurite.
 */
import { BlobServiceClient } from '@azure/storage-blob';
import { inject } from 'vitest';
import { agentsHttp } from '../support/agents-http.js';
import type { AosProcess } from '../support/aos-process.js';
import { waitUntil } from '../support/wait-until.js';

export interface AgentView {
  context: {
    id: string;
    lifecycle: { state: string; since: string; history: Array<{ from: string; to: string }> };
    counters: { wakes: number; eventsAccepted: number; eventsDuplicate: number; eventsProcessed: number; decisions: number; goalsAchieved: number; tokensIn: number; tokensOut: number; cost: number };
    purpose: { current: { statement: string }; original: { statement: string } };
    goals: Array<{ id: string; progress: number; status: string }>;
    memory: { recent: Array<{ kind: string; text: string; eventId?: string }>; summary: string; total: number };
    recentDecisions: Array<{ eventId: string; action: string; provider: string; transcriptRef?: string }>;
    settings: { heartbeatSeconds: number };
  };
  mailboxDepth: number;
  inFlight?: { token: string; events: number };
  loop: { runtimeStatus: string; customStatus: { state?: string; generation?: number; wakeAt?: string } | null };
}

/** The Durable HTTP API's view of an instance with `showHistory=true` (the fields the tests read). */
export interface HistoryStatus {
  runtimeStatus: string;
  customStatus: unknown;
  historyEvents: Array<{ EventType: string; Timestamp: string; FireAt?: string; Name?: string }>;
}

export function agentApi(host: () => AosProcess) {
  const http = agentsHttp<AgentView>(host);
  return {
    ...http,
    /** POST an event; the status, or `unanswered` when the connection died before an answer (the host was killed). */
    async post(agentId: string, event: Record<string, unknown>): Promise<number | 'unanswered'> {
      return http.post(agentId, event).catch(() => 'unanswered' as const);
    },
    /** Waits until the agent is at rest and `want` holds of its view; the view. */
    settled(id: string, want: (v: AgentView) => boolean, what: string, timeoutMs = 30_000): Promise<AgentView> {
      return waitUntil(async () => {
        const v = await http.view(id);
        return atRest(v) && want(v) ? v : undefined;
      }, { timeoutMs, describe: what });
    },
    async history(instanceId: string): Promise<HistoryStatus> {
      const res = await fetch(`${host().baseUrl}/runtime/webhooks/durabletask/instances/${instanceId}?showHistory=true`);
      // The status route answers 202 while the instance runs (as the extension does), 200 once it ended.
      if (res.status !== 200 && res.status !== 202) throw new Error(`history of ${instanceId} answered ${res.status}`);
      return (await res.json()) as HistoryStatus;
    },
  };
}

/** An agent is at rest: asleep, its loop waiting, nothing in its mailbox or in flight. */
export function atRest(v: AgentView): boolean {
  return v.context.lifecycle.state === 'sleeping' && v.mailboxDepth === 0 && v.inFlight === undefined && v.loop.runtimeStatus === 'Running' && v.loop.customStatus?.state === 'sleeping';
}

/**
 * Event ids of an agent's transcript, one entry per blob (so an event written twice shows twice).
 * Blob names are `<agentId>/<y>/<m>/<d>/<time without colons>-<encoded event id>.json`.
 */
export async function transcriptEventIds(agentId: string): Promise<string[]> {
  const service = BlobServiceClient.fromConnectionString(inject('storageConnectionString'));
  const container = service.getContainerClient('aos-transcripts');
  const ids: string[] = [];
  for await (const blob of container.listBlobsFlat({ prefix: `${agentId}/` })) {
    const base = blob.name.slice(blob.name.lastIndexOf('/') + 1, -'.json'.length);
    // The time part is fixed-width: `2025-01-01T000000.000Z`.
    ids.push(decodeURIComponent(base.slice('2025-01-01T000000.000Z-'.length)));
  }
  return ids;
}

/** Occurrences of each value. */
export function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}
