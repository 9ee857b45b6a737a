/**
 * The Durable extension's part in the local host: for an app with durable functions, opens the
 * task hub, serves the Durable HTTP API and the `durableClient` binding, and runs the engine.
 */
import os from 'node:os';
import v8 from 'node:v8';
import type { HostContext, HostService, HostServiceFactory } from '../host-services.js';
import { DurableEngine } from './engine/durable-engine.js';
import { durableSettings } from './engine/durable-settings.js';
import { createDurableHttpApi, DURABLE_CLIENT_BINDING_TYPES, DURABLE_HTTP_API_PREFIX, durableClientProvider } from './http/index.js';
import { TaskHubStore } from './store/task-hub-store.js';

const DURABLE_TRIGGERS = ['orchestrationTrigger', 'activityTrigger', 'entityTrigger'] as const;

function usesDurable(ctx: HostContext): boolean {
  return ctx.registry.all().some((fn) =>
    Object.values(fn.metadata.bindings).some((b) => {
      const type = String(b.type ?? '').toLowerCase();
      return DURABLE_TRIGGERS.some((t) => t.toLowerCase() === type) || DURABLE_CLIENT_BINDING_TYPES.some((t) => t.toLowerCase() === type);
    }),
  );
}

export const durableService: HostServiceFactory = async (ctx: HostContext): Promise<HostService | undefined> => {
  if (!usesDurable(ctx)) return undefined;
  const settings = durableSettings(ctx.hostJson, ctx.env, os.availableParallelism());
  const log = ctx.log.child({ taskHub: settings.hubName });
  if (settings.ignoredKeys.length > 0) {
    log.log('info', 'host.json durableTask settings not used by the local host', { keys: settings.ignoredKeys });
  }
  for (const t of DURABLE_TRIGGERS) ctx.extensions.addTrigger(t);
  const store = await TaskHubStore.open({ connectionString: ctx.storage.connectionString, hubName: settings.hubName, partitionCount: settings.partitionCount, log });
  const engine = new DurableEngine({ store, registry: ctx.registry, runner: ctx.runner, settings, log });
  const provider = durableClientProvider({ taskHubName: settings.hubName, baseUrl: ctx.baseUrl });
  for (const t of DURABLE_CLIENT_BINDING_TYPES) ctx.extensions.addInput(t, provider);
  ctx.front.addSystemRoute(DURABLE_HTTP_API_PREFIX, createDurableHttpApi({ client: engine.client, baseUrl: ctx.baseUrl, log }));
  // Diagnostics for the benchmarks (bench/): SIGUSR2 prints the post-GC heap (when node runs with
  // --expose-gc), the storage requests so far and what the engine holds in memory (hot instances,
  // turns, armed timers: all zero but one timer when every agent sleeps); a stop prints the
  // storage request total. `codeBytes` is the part of the heap that is compiled code (bytecode,
  // optimised code and their metadata): it grows while V8 compiles and optimises the functions
  // that turns use, whatever the number of instances, so the benchmarks subtract it to see what
  // instances hold (bench/README.md, W5).
  const diagnostics = (): void => {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    const code = v8.getHeapCodeStatistics();
    const codeBytes = code.code_and_metadata_size + code.bytecode_and_metadata_size;
    log.log('info', 'host diagnostics', {
      rss: m.rss,
      heapUsed: m.heapUsed,
      codeBytes,
      storageRequests: store.requestCount,
      storageRequestKinds: store.requestKinds,
      activityExecutions: engine.activityExecutions,
      failedTurns: engine.failedTurns,
      ...engine.runtimeCounts(),
    });
  };
  return {
    name: 'durable',
    start: async () => {
      await engine.start();
      process.on('SIGUSR2', diagnostics);
    },
    stop: async () => {
      process.off('SIGUSR2', diagnostics);
      await engine.stop();
      log.log('info', 'storage requests', { count: store.requestCount, kinds: store.requestKinds });
    },
  };
};
