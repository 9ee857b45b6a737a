/**
 * The OpenTelemetry SDK of the app, set up once per process from the configuration: a tracer
 * provider (with the async-context manager and the W3C propagator), a meter provider and a logger
 * provider, exporting to Azure Monitor, OTLP, the console, a test file, or nowhere. With no
 * exporter nothing is installed and the API stays a no-op, so tests and local runs pay nothing.
 */
import { logs } from '@opentelemetry/api-logs';
import { metrics } from '@opentelemetry/api';
import { AzureMonitorLogExporter, AzureMonitorMetricExporter, AzureMonitorTraceExporter } from '@azure/monitor-opentelemetry-exporter';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, ConsoleLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { TelemetryConfig, TelemetryExporter } from '../../config.js';
import { azureCredential } from '../azure-credential.js';
import { MemoryFileLogExporter, MemoryFileMetricExporter, MemoryFileSpanExporter } from './memory-file-exporter.js';

interface Exporters {
  spans: SpanExporter;
  metrics: PushMetricExporter;
  logs: LogRecordExporter;
  /** Export each span and log record as it ends (tests, console) rather than in batches. */
  immediate: boolean;
}

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path}`;
}

function exportersFor(exporter: Exclude<TelemetryExporter, { type: 'none' }>): Exporters {
  switch (exporter.type) {
    case 'azure-monitor': {
      // Local auth is off on the component in Azure: telemetry goes as the managed identity.
      const options = { connectionString: exporter.connectionString, ...(exporter.aadClientId ? { credential: azureCredential({ managedIdentity: true, clientId: exporter.aadClientId }) } : {}) };
      return { spans: new AzureMonitorTraceExporter(options), metrics: new AzureMonitorMetricExporter(options), logs: new AzureMonitorLogExporter(options), immediate: false };
    }
    case 'otlp': {
      const url = (signal: string) => (exporter.endpoint ? { url: joinUrl(exporter.endpoint, `v1/${signal}`) } : {});
      return { spans: new OTLPTraceExporter(url('traces')), metrics: new OTLPMetricExporter(url('metrics')), logs: new OTLPLogExporter(url('logs')), immediate: false };
    }
    case 'console':
      return { spans: new ConsoleSpanExporter(), metrics: new ConsoleMetricExporter(), logs: new ConsoleLogRecordExporter(), immediate: true };
    case 'memory-file':
      return { spans: new MemoryFileSpanExporter(exporter.path), metrics: new MemoryFileMetricExporter(exporter.path), logs: new MemoryFileLogExporter(exporter.path), immediate: true };
  }
}

export interface TelemetryHandle {
  /** Exports what is buffered (spans, metrics, logs). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

const NOOP: TelemetryHandle = { flush: async () => {}, shutdown: async () => {} };
let installed: TelemetryHandle | undefined;

/** Installs the SDK globally, once; later calls return the first handle. */
export function setupTelemetry(config: TelemetryConfig): TelemetryHandle {
  if (installed) return installed;
  if (config.exporter.type === 'none') {
    installed = NOOP;
    return installed;
  }
  const exporters = exportersFor(config.exporter);
  const resource = resourceFromAttributes({ 'service.name': config.serviceName, 'service.namespace': 'aos' });
  const tracer = new NodeTracerProvider({ resource, spanProcessors: [exporters.immediate ? new SimpleSpanProcessor(exporters.spans) : new BatchSpanProcessor(exporters.spans)] });
  tracer.register();
  const reader = new PeriodicExportingMetricReader({ exporter: exporters.metrics, exportIntervalMillis: config.metricIntervalMs, exportTimeoutMillis: Math.min(30_000, config.metricIntervalMs) });
  const meter = new MeterProvider({ resource, readers: [reader] });
  metrics.setGlobalMeterProvider(meter);
  const logger = new LoggerProvider({ resource, processors: [exporters.immediate ? new SimpleLogRecordProcessor({ exporter: exporters.logs }) : new BatchLogRecordProcessor({ exporter: exporters.logs })] });
  logs.setGlobalLoggerProvider(logger);
  installed = {
    flush: async () => {
      await Promise.all([tracer.forceFlush(), meter.forceFlush(), logger.forceFlush()]);
    },
    shutdown: async () => {
      await Promise.all([tracer.shutdown(), meter.shutdown(), logger.shutdown()]);
    },
  };
  return installed;
}
