/**
 * Spans of AOS: the HTTP request (server), each activity (continuing the trace stored in the event
 * envelope) and each inference (GenAI semantic conventions). Orchestrators never call these: they
 * are replayed, and a replay must not record work twice.
 * @see https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { contextOfEnvelope, type TracedEnvelope } from './trace-envelope.js';

const tracer = () => trace.getTracer('aos');

function fail(span: Span, err: unknown): void {
  // The error's class and code only: messages may carry data a trace should not hold.
  const e = err as { name?: unknown; code?: unknown } | null;
  span.setStatus({ code: SpanStatusCode.ERROR, message: typeof e?.code === 'string' ? e.code : 'error' });
  span.setAttribute('error.type', typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'Error');
}

async function inSpan<T>(span: Span, parent: ReturnType<typeof context.active>, fn: (span: Span) => Promise<T>): Promise<T> {
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (err) {
    fail(span, err);
    throw err;
  } finally {
    span.end();
  }
}

export interface ServerRequest {
  functionName: string;
  method: string;
  /** Route template, e.g. `agents/{id}/events`. */
  route?: string;
  url: string;
  /** Incoming `traceparent` / `tracestate`, which become the span's parent. */
  traceparent?: string | null;
  tracestate?: string | null;
}

/** Runs an HTTP-triggered function in a server span; `statusOf` reads the status of its answer. */
export function withServerSpan<T>(req: ServerRequest, fn: (span: Span) => Promise<T>, statusOf: (result: T) => number | undefined): Promise<T> {
  const carrier: Record<string, string> = {};
  if (req.traceparent) carrier.traceparent = req.traceparent;
  if (req.tracestate) carrier.tracestate = req.tracestate;
  const parent = propagation.extract(ROOT_CONTEXT, carrier);
  const route = `/api/${req.route ?? req.functionName}`;
  const span = tracer().startSpan(
    `${req.method} ${route}`,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'http.route': route, 'url.path': new URL(req.url).pathname, 'faas.trigger': 'http', 'faas.name': req.functionName } },
    parent,
  );
  return inSpan(span, parent, async (s) => {
    const result = await fn(s);
    const status = statusOf(result);
    if (status !== undefined) {
      s.setAttribute('http.response.status_code', status);
      if (status >= 500) s.setStatus({ code: SpanStatusCode.ERROR });
    }
    return result;
  });
}

/** Runs an activity in a span that continues the trace of the event it works on. */
export function withActivitySpan<T>(name: string, envelope: Partial<TracedEnvelope> | undefined, fn: (span: Span) => Promise<T>, attributes: Attributes = {}): Promise<T> {
  const parent = contextOfEnvelope(envelope);
  const span = tracer().startSpan(
    `activity ${name}`,
    {
      kind: SpanKind.INTERNAL,
      attributes: {
        'faas.name': name,
        'aos.activity.name': name,
        ...(envelope?.id ? { 'aos.event.id': envelope.id } : {}),
        ...(envelope?.correlationId ? { 'aos.correlation.id': envelope.correlationId } : {}),
        ...attributes,
      },
    },
    parent,
  );
  return inSpan(span, parent, fn);
}

/** What an inference reports, for the span's `gen_ai.*` attributes. */
export interface InferenceUsage {
  provider: string;
  model: string;
  tokensIn: number;
  tokensOut: number;
  cached: boolean;
}

/** `gen_ai.system` of an AOS provider name: the built-in lexical provider is labelled as ours. */
export function genAiSystem(provider: string): string {
  return provider === 'lexical' ? 'aos.lexical' : provider;
}

/** Runs an inference in a client span named `chat <model>` once the model is known. */
export function withInferenceSpan<T>(fn: () => Promise<T>, usageOf: (result: T) => InferenceUsage | undefined, attributes: Attributes = {}): Promise<T> {
  const parent = context.active();
  const span = tracer().startSpan('chat', { kind: SpanKind.CLIENT, attributes: { 'gen_ai.operation.name': 'chat', ...attributes } }, parent);
  return inSpan(span, parent, async (s) => {
    const result = await fn();
    const usage = usageOf(result);
    if (usage) {
      s.updateName(`chat ${usage.model}`);
      s.setAttributes({
        'gen_ai.system': genAiSystem(usage.provider),
        'gen_ai.request.model': usage.model,
        'gen_ai.response.model': usage.model,
        'gen_ai.usage.input_tokens': usage.tokensIn,
        'gen_ai.usage.output_tokens': usage.tokensOut,
        'aos.inference.cached': usage.cached,
      });
    }
    return result;
  });
}
