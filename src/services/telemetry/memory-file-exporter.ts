/**
 * A test-only exporter (`AOS_OTEL_EXPORTER=memory-file:<path>`): every finished span, metric
 * collection and log record is appended to a file as one JSON line, so that an end-to-end test in
 * another process can read what the app recorded. Synchronous appends keep lines whole.
 */
import { appendFileSync } from 'node:fs';
import { ExportResultCode, hrTimeToMilliseconds, type ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** One line of the file. */
export type MemoryFileRecord =
  | { kind: 'span'; traceId: string; spanId: string; parentSpanId?: string; name: string; spanKind: number; startMs: number; endMs: number; status: number; attributes: Record<string, unknown> }
  | { kind: 'metric'; name: string; points: { attributes: Record<string, unknown>; value: unknown }[] }
  | { kind: 'log'; severity?: string; body: unknown; traceId?: string; attributes: Record<string, unknown> };

function append(path: string, records: MemoryFileRecord[], done: (result: ExportResult) => void): void {
  try {
    if (records.length > 0) appendFileSync(path, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    done({ code: ExportResultCode.SUCCESS });
  } catch (err) {
    done({ code: ExportResultCode.FAILED, error: err instanceof Error ? err : new Error(String(err)) });
  }
}

export class MemoryFileSpanExporter implements SpanExporter {
  constructor(private readonly path: string) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    append(
      this.path,
      spans.map((s) => ({
        kind: 'span',
        traceId: s.spanContext().traceId,
        spanId: s.spanContext().spanId,
        ...(s.parentSpanContext?.spanId ? { parentSpanId: s.parentSpanContext.spanId } : {}),
        name: s.name,
        spanKind: s.kind,
        startMs: hrTimeToMilliseconds(s.startTime),
        endMs: hrTimeToMilliseconds(s.endTime),
        status: s.status.code,
        attributes: { ...s.attributes },
      })),
      done,
    );
  }

  async shutdown(): Promise<void> {}
}

export class MemoryFileMetricExporter implements PushMetricExporter {
  constructor(private readonly path: string) {}

  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    const records: MemoryFileRecord[] = metrics.scopeMetrics.flatMap((scope) =>
      scope.metrics.map((m) => ({ kind: 'metric' as const, name: m.descriptor.name, points: m.dataPoints.map((p) => ({ attributes: { ...p.attributes }, value: p.value })) })),
    );
    append(this.path, records, done);
  }

  selectAggregationTemporality(): AggregationTemporality {
    return AggregationTemporality.CUMULATIVE;
  }

  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

export class MemoryFileLogExporter implements LogRecordExporter {
  constructor(private readonly path: string) {}

  export(logs: ReadableLogRecord[], done: (result: ExportResult) => void): void {
    append(
      this.path,
      logs.map((l) => ({ kind: 'log', ...(l.severityText ? { severity: l.severityText } : {}), body: l.body, ...(l.spanContext?.traceId ? { traceId: l.spanContext.traceId } : {}), attributes: { ...l.attributes } })),
      done,
    );
  }

  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

/** Reads a memory file back (tests). */
export function parseMemoryFile(text: string): MemoryFileRecord[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as MemoryFileRecord);
}

