/** What every part of the host (HTTP, timers, queues, durable engine) is given, and how it plugs in. */
import type { HostJson } from './config/host-json.js';
import type { HttpFront } from './http/http-front.js';
import type { Logger } from './log/logger.js';
import type { StorageConnection } from './storage/storage-connection.js';
import type { BindingExtensions } from './worker/binding-extensions.js';
import type { FunctionRegistry } from './worker/function-registry.js';
import type { FunctionRunner } from './worker/function-runner.js';

export interface HostContext {
  appDir: string;
  hostJson: HostJson;
  env: NodeJS.ProcessEnv;
  storage: StorageConnection;
  registry: FunctionRegistry;
  runner: FunctionRunner;
  extensions: BindingExtensions;
  front: HttpFront;
  /** The base URL clients use, e.g. `http://127.0.0.1:7071`. */
  baseUrl: string;
  log: Logger;
}

/** A long-running part of the host with an explicit start and stop. */
export interface HostService {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Creates a service for the loaded app. Runs before bindings are checked, so a factory
 * registers the trigger, input and output types it serves on `ctx.extensions`.
 * Returns undefined when the app has nothing for it to do.
 */
export type HostServiceFactory = (ctx: HostContext) => HostService | undefined | Promise<HostService | undefined>;
