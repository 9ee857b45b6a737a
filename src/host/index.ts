/** The local Functions host: runs any Azure Functions Node v4 app unmodified. */
export { startHost, type RunningHost, type StartHostOptions } from './start.js';
export { defaultServices } from './default-services.js';
export { HostStartError } from './config/host-config-error.js';
export { createLogger, silentLogger, type Logger, type LogLevel } from './log/logger.js';
export type { HostContext, HostService, HostServiceFactory } from './host-services.js';
