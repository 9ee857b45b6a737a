/**
 * The metrics of AOS (`aos.*`, plus the GenAI client token histogram). Instruments come from the
 * global meter on first use, so they are no-ops until the SDK is installed.
 */
import { metrics, type Counter, type Gauge, type Histogram } from '@opentelemetry/api';

export const AosMetric = {
  agentWakes: 'aos.agent.wakes',
  eventsProcessed: 'aos.events.processed',
  eventLatency: 'aos.event.latency',
  mailboxDepth: 'aos.mailbox.depth',
  inferenceCacheHits: 'aos.inference.cache.hits',
  inferenceTokens: 'aos.inference.tokens',
  inferenceCost: 'aos.inference.cost',
  genAiTokenUsage: 'gen_ai.client.token.usage',
} as const;

interface Instruments {
  wakes: Counter;
  processed: Counter;
  latency: Histogram;
  depth: Gauge;
  cacheHits: Counter;
  tokens: Counter;
  cost: Counter;
  tokenUsage: Histogram;
}

let instruments: Instruments | undefined;

function get(): Instruments {
  if (instruments) return instruments;
  const meter = metrics.getMeter('aos');
  instruments = {
    wakes: meter.createCounter(AosMetric.agentWakes, { description: 'Agent loops started or woken by an accepted event' }),
    processed: meter.createCounter(AosMetric.eventsProcessed, { description: 'Events an agent finished processing' }),
    latency: meter.createHistogram(AosMetric.eventLatency, { unit: 'ms', description: 'From event time to the end of its processing' }),
    depth: meter.createGauge(AosMetric.mailboxDepth, { description: 'Events waiting in an agent mailbox, when an event is accepted' }),
    cacheHits: meter.createCounter(AosMetric.inferenceCacheHits, { description: 'Inference answers served from the cache' }),
    tokens: meter.createCounter(AosMetric.inferenceTokens, { unit: '{token}', description: 'Tokens used per agent' }),
    cost: meter.createCounter(AosMetric.inferenceCost, { description: 'Inference cost per agent, in the configured price unit' }),
    tokenUsage: meter.createHistogram(AosMetric.genAiTokenUsage, { unit: '{token}', description: 'GenAI semantic conventions: tokens per operation' }),
  };
  return instruments;
}

const agent = (agentId: string) => ({ 'aos.agent.id': agentId });

export const aosMetrics = {
  agentWoken(agentId: string, how: 'started' | 'woken' | 'wake-failed'): void {
    get().wakes.add(1, { ...agent(agentId), 'aos.wake.kind': how });
  },
  mailboxDepth(agentId: string, depth: number): void {
    get().depth.record(depth, agent(agentId));
  },
  eventProcessed(agentId: string, eventType: string, latencyMs: number | undefined): void {
    get().processed.add(1, { ...agent(agentId), 'aos.event.type': eventType });
    if (latencyMs !== undefined && latencyMs >= 0) get().latency.record(latencyMs, agent(agentId));
  },
  inference(agentId: string, usage: { system: string; model: string; tokensIn: number; tokensOut: number; cost: number; cached: boolean }): void {
    const i = get();
    if (usage.cached) i.cacheHits.add(1, { ...agent(agentId), 'gen_ai.request.model': usage.model });
    i.tokens.add(usage.tokensIn, { ...agent(agentId), 'gen_ai.token.type': 'input' });
    i.tokens.add(usage.tokensOut, { ...agent(agentId), 'gen_ai.token.type': 'output' });
    if (usage.cost > 0) i.cost.add(usage.cost, agent(agentId));
    const common = { 'gen_ai.operation.name': 'chat', 'gen_ai.system': usage.system, 'gen_ai.request.model': usage.model };
    i.tokenUsage.record(usage.tokensIn, { ...common, 'gen_ai.token.type': 'input' });
    i.tokenUsage.record(usage.tokensOut, { ...common, 'gen_ai.token.type': 'output' });
  },
};
