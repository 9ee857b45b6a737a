/**
 * Starts the local Functions host for one app folder: settings, storage (Azurite when wanted),
 * the worker stand-in, the app's entry points, the HTTP front and every trigger service.
 * The only place that creates the real clock, logger and storage connection for the host.
 */
import path from 'node:path';
import { HostStartError } from './config/host-config-error.js';
import { functionTimeoutOf, readHostJson, routePrefixOf } from './config/host-json.js';
import { applyLocalSettings, readLocalSettings } from './config/local-settings.js';
import type { HostContext, HostService, HostServiceFactory } from './host-services.js';
import { corsPolicyFrom } from './http/cors.js';
import { functionKeysFromSettings } from './http/function-keys.js';
import { HttpFront } from './http/http-front.js';
import { HttpTriggerRouter } from './http/http-trigger-router.js';
import type { Logger } from './log/logger.js';
import { AzuriteProcess } from './storage/azurite-supervisor.js';
import { localPorts, parseStorageConnection, type StorageConnection } from './storage/storage-connection.js';
import { verifyStorage } from './storage/verify-storage.js';
import { BindingExtensions } from './worker/binding-extensions.js';
import { createCoreApi, type CoreApiState } from './worker/core-api.js';
import { installCoreModule } from './worker/core-module.js';
import { loadEntryPoint, readAppPackageJson, resolveEntryPoints } from './worker/app-loader.js';
import { FunctionRegistry } from './worker/function-registry.js';
import { FunctionRunner } from './worker/function-runner.js';
import { Invoker, runAppHooks } from './worker/invoker.js';

export interface StartHostOptions {
  appDir: string;
  /** @default local.settings.json `Host.LocalHttpPort`, else 7071 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** A storage connection string; overrides `AzureWebJobsStorage`. */
  storage?: string;
  /** Where a host-started Azurite keeps its data. @default '<cwd>/.aos/azurite' */
  azuriteLocation?: string;
  env?: NodeJS.ProcessEnv;
  log: Logger;
  /** Comma-separated CORS origins (`*` for any); overrides local.settings.json `Host.CORS`. */
  cors?: string;
  /** Allow credentials on CORS requests; overrides local.settings.json `Host.CORSCredentials`. */
  corsCredentials?: boolean;
  /** Trigger services beyond HTTP (timer, queue, durable). */
  services?: HostServiceFactory[];
}

export interface RunningHost {
  port: number;
  baseUrl: string;
  storage: StorageConnection;
  registry: FunctionRegistry;
  stop(): Promise<void>;
}

export async function startHost(options: StartHostOptions): Promise<RunningHost> {
  const env = options.env ?? process.env;
  const log = options.log;
  const appDir = path.resolve(options.appDir);
  const host = options.host ?? '127.0.0.1';

  const settings = await readLocalSettings(appDir);
  // Core Tools' order: the --port flag, then local.settings.json Host.LocalHttpPort, then 7071.
  const requestedPort = options.port ?? settings.Host?.LocalHttpPort ?? 7071;
  applyLocalSettings(settings, env);
  const hostJson = await readHostJson(appDir);
  const functionTimeoutMs = functionTimeoutOf(hostJson);
  const pkg = await readAppPackageJson(appDir);
  const entryPoints = await resolveEntryPoints(appDir, pkg);

  // Bind the port before anything slow, so "port in use" is the first thing a user hears.
  const functionKeys = functionKeysFromSettings(env);
  const cors = corsPolicyFrom({ origins: options.cors ?? settings.Host?.CORS, credentials: options.corsCredentials ?? settings.Host?.CORSCredentials });
  const front = new HttpFront({
    host,
    port: requestedPort,
    routePrefix: routePrefixOf(hostJson),
    log,
    ...(functionKeys ? { functionKeys } : {}),
    ...(cors ? { cors } : {}),
  });
  const port = await front.listen();
  const baseUrl = `http://${host}:${port}`;
  const cleanups: (() => Promise<void>)[] = [() => front.close()];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  };

  try {
    const storage = parseStorageConnection(options.storage ?? env.AzureWebJobsStorage);
    if (storage.mayStartEmulator) {
      const ports = localPorts(storage);
      if (!ports) throw new HostStartError('development storage endpoints have no ports', 'STORAGE_CONNECTION_INVALID');
      const azurite = await AzuriteProcess.ensure({ ports, location: options.azuriteLocation ?? path.join(process.cwd(), '.aos', 'azurite'), log });
      if (azurite) cleanups.push(() => azurite.stop());
    }
    await verifyStorage(storage);
    env.AzureWebJobsStorage = storage.connectionString;
    // durable-functions rewrites management URLs to localhost:7071 unless this is set (durable-protocol E.2).
    env.WEBSITE_HOSTNAME = `127.0.0.1:${port}`;
    env.FUNCTIONS_WORKER_RUNTIME ??= 'node';
    // What the Functions host tells the worker about where the app lives.
    env.FUNCTIONS_APPLICATION_DIRECTORY = appDir;

    const registry = new FunctionRegistry();
    const state: CoreApiState = { programmingModel: undefined };
    installCoreModule(createCoreApi(registry, log.child({ category: 'system' }), state));
    for (const file of entryPoints) await loadEntryPoint(file, pkg);
    const model = state.programmingModel;
    if (!model) {
      throw new HostStartError(`the app in ${appDir} registered no functions through @azure/functions v4 (is it installed in the app?)`, 'APP_NO_FUNCTIONS');
    }
    const capabilities = (await model.getCapabilities?.({})) ?? {};
    registry.lock();

    // Routes resolve app settings and may fail: before any hook or trigger service runs.
    const router = new HttpTriggerRouter(registry.byTriggerType('httpTrigger'), log, env);
    const invoker = new Invoker(registry, () => state.programmingModel, log, functionTimeoutMs);
    const extensions = new BindingExtensions();
    extensions.addTrigger('httpTrigger');
    const runner = new FunctionRunner(invoker, extensions);
    const ctx: HostContext = { appDir, hostJson, env, storage, registry, runner, extensions, front, baseUrl, log };
    const services: HostService[] = [];
    for (const factory of options.services ?? []) {
      const service = await factory(ctx);
      if (service) services.push(service);
    }
    for (const fn of registry.all()) extensions.checkFunction(fn, log);

    try {
      await runAppHooks(registry, 'appStart', invoker, appDir);
    } catch (err) {
      const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new HostStartError(`the app's appStart hook failed: ${reason}`, 'APP_START_HOOK_FAILED', { cause: err });
    }
    cleanups.push(() => runAppHooks(registry, 'appTerminate', invoker, appDir));
    for (const service of services) {
      await service.start();
      cleanups.push(() => service.stop());
    }
    front.setApp({ router, runner, streamProxyUri: capabilities.HttpUri });
    const prefix = routePrefixOf(hostJson);
    for (const { fn, route, methods } of router.routes) {
      const url = `${baseUrl}/${[prefix, route.template.replace(/^\/+/, '')].filter((p) => p !== '').join('/')}`;
      log.log('info', 'http function', { functionName: fn.name, methods: methods.size > 0 ? [...methods].join(',') : 'ANY', url });
    }
    log.log('info', 'app loaded', { functions: registry.all().map((f) => `${f.name} (${f.trigger.type})`) });
    return { port, baseUrl, storage, registry, stop: cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
