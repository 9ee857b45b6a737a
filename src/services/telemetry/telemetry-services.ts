/** The bootstrap of telemetry: the SDK from the configuration and the app's structured logger, once per process. */
import { getConfig } from '../../config.js';
import { createStructuredLogger, type StructuredLogger } from './structured-log.js';
import { setupTelemetry, type TelemetryHandle } from './telemetry-setup.js';

let handle: TelemetryHandle | undefined;
let logger: StructuredLogger | undefined;

/** Installs the SDK on first use (a config error surfaces here, at the first invocation). */
export function ensureTelemetry(): TelemetryHandle {
  handle ??= setupTelemetry(getConfig().telemetry);
  return handle;
}

/** Flushes and stops the SDK if it was installed; nothing otherwise (so a bad configuration cannot fail shutdown). */
export async function shutdownTelemetry(): Promise<void> {
  await handle?.shutdown();
}

export function getLogger(): StructuredLogger {
  logger ??= createStructuredLogger({ logPayloads: getConfig().telemetry.logPayloads });
  return logger;
}
