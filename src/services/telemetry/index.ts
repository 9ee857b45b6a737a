/** Observability: the OpenTelemetry SDK setup, spans (HTTP, activity, GenAI), `aos.*` metrics, envelope trace context and structured logs. */
export { setupTelemetry, type TelemetryHandle } from './telemetry-setup.js';
export { ensureTelemetry, getLogger, shutdownTelemetry } from './telemetry-services.js';
export { withActivitySpan, withInferenceSpan, withServerSpan, genAiSystem, type InferenceUsage, type ServerRequest } from './aos-spans.js';
export { aosMetrics, AosMetric } from './aos-metrics.js';
export { contextOfEnvelope, findEnvelope, stampEnvelope, type TracedEnvelope } from './trace-envelope.js';
export { createStructuredLogger, type LogLevel, type LogMeta, type StructuredLogger, type StructuredLogOptions } from './structured-log.js';
export { MemoryFileLogExporter, MemoryFileMetricExporter, MemoryFileSpanExporter, parseMemoryFile, type MemoryFileRecord } from './memory-file-exporter.js';
