/**
 * Structured logs of the app: one JSON line per record on stdout (which the Functions host
 * collects) and an OpenTelemetry log record when an exporter is configured. Identifiers (agent id,
 * instance id, correlation id) travel in `meta`; the active trace is added; everything is redacted,
 * and event payloads are left out unless the configuration asks for them.
 */
import { context, trace } from '@opentelemetry/api';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import { redact, redactText } from '../secrets/index.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogMeta {
  agentId?: string;
  instanceId?: string;
  correlationId?: string;
  [key: string]: unknown;
}

const SEVERITY: Readonly<Record<LogLevel, SeverityNumber>> = { debug: SeverityNumber.DEBUG, info: SeverityNumber.INFO, warn: SeverityNumber.WARN, error: SeverityNumber.ERROR };
const PAYLOAD_KEYS = new Set(['data', 'payload', 'body', 'input', 'output', 'prompt', 'completion']);

export interface StructuredLogOptions {
  /** @default false */
  logPayloads?: boolean;
  /** @default one line to stdout */
  write?: (line: string) => void;
  now?: () => Date;
}

export interface StructuredLogger {
  log(level: LogLevel, message: string, meta?: LogMeta): void;
}

function withoutPayloads(meta: LogMeta): LogMeta {
  const out: LogMeta = {};
  for (const [k, v] of Object.entries(meta)) out[k] = PAYLOAD_KEYS.has(k) ? '[omitted]' : v;
  return out;
}

export function createStructuredLogger(options: StructuredLogOptions = {}): StructuredLogger {
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const now = options.now ?? (() => new Date());
  return {
    log(level, message, meta = {}) {
      const safe = redact(options.logPayloads ? meta : withoutPayloads(meta));
      const span = trace.getSpan(context.active())?.spanContext();
      const ids = span && trace.isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : {};
      write(`${JSON.stringify({ time: now().toISOString(), level, message: redactText(message), ...ids, ...safe })}\n`);
      logs.getLogger('aos').emit({ severityNumber: SEVERITY[level], severityText: level.toUpperCase(), body: redactText(message), attributes: JSON.parse(JSON.stringify(safe)) as Record<string, string> });
    },
  };
}
