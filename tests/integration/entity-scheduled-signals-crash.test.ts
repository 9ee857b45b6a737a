// Proves that an entity's scheduled signal survives a crash at the two moments that used to lose
// it: right after the turn that parked the signal committed (its wake-up timer not yet written),
// and right after the timer fired (its Timers row deleted, the entity's turn not yet committed).
// The engine is driven directly on Azurite, since neither durable-functions nor the Durable HTTP
// API can schedule a signal; the "crash" is a task hub store that fails every call from the chosen
// moment on, and a second engine on a healthy store is the restarted host. The signal must then be
// applied exactly once, and `<Hub>Work` and `<Hub>Timers` must drain.
import { randomBytes, randomUUID } from 'node:crypto';
import * as df from 'durable-functions';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSchedulerState } from '../../src/host/durable/core/entity-scheduler-state.js';
import { DurableEngine } from '../../src/host/durable/engine/durable-engine.js';
import type { DurableSettings } from '../../src/host/durable/engine/durable-settings.js';
import type { TaskHubStore } from '../../src/host/durable/store/index.js';
import { silentLogger } from '../../src/host/log/logger.js';
import { BindingExtensions } from '../../src/host/worker/binding-extensions.js';
import { createCoreApi, type CoreApiState } from '../../src/host/worker/core-api.js';
import { installCoreModule } from '../../src/host/worker/core-module.js';
import { FunctionRegistry } from '../../src/host/worker/function-registry.js';
import { FunctionRunner } from '../../src/host/worker/function-runner.js';
import { Invoker } from '../../src/host/worker/invoker.js';
import { waitUntil } from '../support/wait-until.js';
import { connectionString, openStore } from './taskhub-support.js';

const registry = new FunctionRegistry();
let runner: FunctionRunner;

beforeAll(() => {
  const state: CoreApiState = { programmingModel: undefined };
  installCoreModule(createCoreApi(registry, silentLogger, state));
  df.app.entity('Tally', (context) => {
    const value = Number(context.df.getState(() => 0) ?? 0);
    if (context.df.operationName === 'add') context.df.setState(value + (context.df.getInput<number>() ?? 0));
  });
  runner = new FunctionRunner(new Invoker(registry, () => state.programmingModel, silentLogger), new BindingExtensions());
});

function settings(hubName: string): DurableSettings {
  return {
    hubName,
    partitionCount: 4,
    maxConcurrentActivityFunctions: 10,
    maxConcurrentOrchestratorFunctions: 10,
    defaultVersion: undefined,
    versionMatchStrategy: 'CurrentOrOlder',
    versionFailureStrategy: 'Reject',
    ignoredKeys: [],
  };
}

/**
 * The store as a host process sees it: `crash()` makes every later call fail, as if the process
 * died there. `after` runs after each successful call, to pick the moment.
 */
function crashableStore(store: TaskHubStore, after: (method: string, args: unknown[], crash: () => void) => void): { store: TaskHubStore; crashed: () => boolean } {
  let dead = false;
  const crash = (): void => {
    dead = true;
  };
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (dead) throw new Error(`host crashed (${String(prop)})`);
        const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        after(String(prop), args, crash);
        return result;
      };
    },
  });
  return { store: proxy, crashed: () => dead };
}

/** A client's scheduled signal (`op@<time>`), written to the entity's Work partition. */
async function scheduleSignal(store: TaskHubStore, entity: string, due: Date, amount: number): Promise<void> {
  const request = { op: 'add', signal: true, input: JSON.stringify(amount), id: randomUUID(), due: due.toISOString() };
  await store.putMessages([
    {
      messageId: randomUUID(),
      targetInstanceId: entity,
      event: { type: 'EventRaised', eventId: -1, isPlayed: false, timestamp: new Date().toISOString(), name: `op@${due.toISOString()}`, input: JSON.stringify(request) },
    },
  ]);
}

async function tally(store: TaskHubStore, entity: string): Promise<number | undefined> {
  const row = await store.readInstance(entity);
  const state = parseSchedulerState(row?.input);
  return state.state === undefined ? undefined : (JSON.parse(state.state) as number);
}

async function isEmpty(table: string): Promise<boolean> {
  const client = TableClient.fromConnectionString(connectionString(), table, { allowInsecureConnection: true });
  for await (const _row of client.listEntities()) return false;
  return true;
}

describe('entity scheduled signals under a crash', () => {
  const engines: DurableEngine[] = [];
  afterAll(async () => {
    await Promise.all(engines.map((e) => e.stop()));
  });

  function engine(store: TaskHubStore, hubName: string): DurableEngine {
    const e = new DurableEngine({ store, registry, runner, settings: settings(hubName), log: silentLogger });
    engines.push(e);
    return e;
  }

  async function restartAndExpect(hubName: string, entity: string, expected: number): Promise<void> {
    const store = await openStore(hubName);
    await engine(store, hubName).start();
    await waitUntil(async () => (await tally(store, entity)) === expected, { timeoutMs: 15_000, describe: `${entity} reaches ${expected}` });
    await waitUntil(async () => (await isEmpty(`${hubName}Work`)) && (await isEmpty(`${hubName}Timers`)), { timeoutMs: 15_000, describe: `${hubName} Work and Timers drained` });
    expect(await tally(store, entity)).toBe(expected);
  }

  it('keeps the wake-up of a signal parked by a turn that committed just before the crash', async () => {
    const hubName = `EntTimerA${randomBytes(3).toString('hex')}`;
    const entity = `@tally@a`;
    const healthy = await openStore(hubName);
    await scheduleSignal(healthy, entity, new Date(Date.now() + 2_000), 5);
    const { store, crashed } = crashableStore(healthy, (method, args, crash) => {
      if (method === 'commitTurn' && (args[0] as { instanceId: string }).instanceId === entity) crash();
    });
    await engine(store, hubName).start();
    await waitUntil(async () => crashed(), { timeoutMs: 10_000, describe: 'the entity committed the turn that parks the signal' });
    expect(await tally(healthy, entity)).toBeUndefined();

    await restartAndExpect(hubName, entity, 5);
  });

  it('keeps the wake-up of a timer that fired just before the crash', async () => {
    const hubName = `EntTimerB${randomBytes(3).toString('hex')}`;
    const entity = `@tally@b`;
    const healthy = await openStore(hubName);
    await scheduleSignal(healthy, entity, new Date(Date.now() + 1_500), 7);
    const { store, crashed } = crashableStore(healthy, (method, args, crash) => {
      if (method === 'deleteTimers' && (args[0] as { instanceId: string }[]).some((t) => t.instanceId === entity)) crash();
    });
    await engine(store, hubName).start();
    await waitUntil(async () => crashed(), { timeoutMs: 10_000, describe: 'the timer fired and its row was deleted' });
    expect(await tally(healthy, entity)).toBeUndefined();

    await restartAndExpect(hubName, entity, 7);
  });
});
