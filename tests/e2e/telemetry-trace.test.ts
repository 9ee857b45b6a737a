// Proves that one event makes one connected trace: the app, started with the test-only exporter
// (AOS_OTEL_EXPORTER=memory-file:<path>), records the HTTP server span of `POST .../events` as a
// child of the caller's traceparent, and the loop's activities (policy, inference with a GenAI
// `chat` span, audit, transcript) continue that trace from the traceparent stored in the event
// envelope, while the agent wakes, decides and goes back to sleep. The aos.* metrics follow.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMemoryFile, type MemoryFileRecord } from '../../src/services/telemetry/index.js';
import { startAos, type AosProcess } from '../support/aos-process.js';
import { waitUntil } from '../support/wait-until.js';
import { agentApi, atRest } from './agents-support.js';

type SpanRecord = Extract<MemoryFileRecord, { kind: 'span' }>;
type MetricRecord = Extract<MemoryFileRecord, { kind: 'metric' }>;

describe('one trace per event, from the HTTP request through the loop', () => {
  let aos: AosProcess;
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'aos-otel-')), 'telemetry.jsonl');
  const agentId = `otel-${randomUUID().slice(0, 8)}`;
  const api = agentApi(() => aos);
  const records = () => (existsSync(file) ? parseMemoryFile(readFileSync(file, 'utf8')) : []);
  const traceId = randomBytes(16).toString('hex');
  const callerSpanId = randomBytes(8).toString('hex');

  beforeAll(async () => {
    aos = await startAos({ env: { AOS_OTEL_EXPORTER: `memory-file:${file}`, AOS_OTEL_METRIC_INTERVAL_MS: '300', AOS_REGISTER_CONFIRM_MS: '10000' } });
    expect(await api.register({ id: agentId, name: 'Traced', role: 'test', purpose: { statement: 'Answer questions about tracing', scope: 'tests', successCriteria: [] } })).toBe(201);
    await waitUntil(async () => atRest(await api.view(agentId)), { timeoutMs: 30_000, describe: `agent ${agentId} asleep` });
  });
  afterAll(async () => {
    await aos?.stop();
  });

  it('connects the request, policy, inference, audit and transcript spans in the caller trace, and the agent sleeps again', async () => {
    const res = await api.api(`/agents/${agentId}/events`, {
      method: 'POST',
      headers: { traceparent: `00-${traceId}-${callerSpanId}-01` },
      body: JSON.stringify({ id: 'traced-1', type: 'question', source: 'test', data: 'how is tracing configured?' }),
    });
    expect(res.status).toBe(202);
    const expected = ['activity governance-check-policy', 'activity agent-decide', 'activity governance-audit', 'activity agent-append-transcript'];
    const spans = await waitUntil(
      () => {
        const inTrace = records().filter((r): r is SpanRecord => r.kind === 'span' && r.traceId === traceId);
        return expected.every((n) => inTrace.some((s) => s.name === n)) && inTrace.some((s) => s.name.startsWith('chat ')) ? inTrace : undefined;
      },
      { timeoutMs: 30_000, describe: `spans ${expected.join(', ')} and a chat span in trace ${traceId}` },
    );
    await waitUntil(async () => atRest(await api.view(agentId)), { timeoutMs: 30_000, describe: `agent ${agentId} asleep again` });

    const server = spans.find((s) => s.name === 'POST /api/agents/{id}/events');
    expect(server).toMatchObject({ parentSpanId: callerSpanId, spanKind: 1, attributes: { 'http.request.method': 'POST', 'http.response.status_code': 202, 'faas.name': 'agents-events' } });
    // Connected: every span's parent is the caller or another span of this trace.
    const ids = new Set(spans.map((s) => s.spanId));
    for (const s of spans) expect(s.parentSpanId === callerSpanId || ids.has(s.parentSpanId ?? ''), `${s.name} has a parent in the trace`).toBe(true);
    const decide = spans.find((s) => s.name === 'activity agent-decide');
    expect(decide?.attributes).toMatchObject({ 'aos.agent.id': agentId, 'aos.event.id': 'traced-1', 'aos.correlation.id': 'traced-1', 'aos.instance.id': `agent-${agentId}` });
    const chat = spans.find((s) => s.name.startsWith('chat '));
    expect(chat?.parentSpanId).toBe(decide?.spanId);
    expect(chat).toMatchObject({ spanKind: 2, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.system': 'aos.lexical', 'gen_ai.request.model': expect.any(String), 'gen_ai.usage.input_tokens': expect.any(Number), 'gen_ai.usage.output_tokens': expect.any(Number) } });
    // No payload of the event in any span.
    expect(JSON.stringify(spans)).not.toContain('how is tracing configured');
  });

  it('exports the aos.* metrics for the agent', async () => {
    const names = ['aos.agent.wakes', 'aos.events.processed', 'aos.event.latency', 'aos.mailbox.depth', 'aos.inference.tokens', 'gen_ai.client.token.usage'];
    const metrics = await waitUntil(
      () => {
        const latest = new Map<string, MetricRecord>();
        for (const r of records()) if (r.kind === 'metric') latest.set(r.name, r);
        return names.every((n) => latest.get(n)?.points.some((p) => p.attributes['aos.agent.id'] === agentId || n.startsWith('gen_ai.'))) ? latest : undefined;
      },
      { timeoutMs: 20_000, describe: `metrics ${names.join(', ')} for ${agentId}` },
    );
    const processed = metrics.get('aos.events.processed')?.points.find((p) => p.attributes['aos.agent.id'] === agentId);
    expect(processed).toMatchObject({ attributes: { 'aos.event.type': 'question' }, value: 1 });
    expect(metrics.get('aos.mailbox.depth')?.points.find((p) => p.attributes['aos.agent.id'] === agentId)?.value).toBe(1);
  });
});
