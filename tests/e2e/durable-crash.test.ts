// Proves the engine's reliability contract by killing the host: `kill -9` of the `aos` process at
// several moments during a fan-out of 100 activities, a chain of sub-orchestrations, continue-as-new
// chains, external events and 1,000 signals to one counter entity (Azurite keeps running) loses
// nothing and applies nothing twice. After the last restart every orchestration completes with
// the output it would have had without a crash, the counter is exactly 1,000, every raised event
// is consumed once, and `<Hub>Work` drains to empty. Work a client wrote while the host was down
// (a start and signals from another process) is found at the next start. When the kills land
// varies from run to run; what is asserted does not.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DurableClient } from '../../src/host/durable/engine/durable-client.js';
import { TaskHubStore } from '../../src/host/durable/store/index.js';
import { silentLogger } from '../../src/host/log/logger.js';
import { REPO_ROOT, startAos, type AosProcess } from '../support/aos-process.js';
import { killLabel, waitForMoment } from '../support/kill-moment.js';
import { waitUntil } from '../support/wait-until.js';

const APP = path.join(REPO_ROOT, 'tests', 'fixtures', 'apps', 'durable-crash');
const API = '/runtime/webhooks/durabletask';
const sumOfSquares = (n: number): number => (n * (n + 1) * (2 * n + 1)) / 6; // 0² + … + n²

const FAN_OUT = 100;
const CHAIN_DEPTH = 8;
const GENERATIONS = 20;
const COUNTDOWN = 40; // more generations than the engine runs in one turn
const HTTP_SIGNALS = 100;
const ORCHESTRATION_SIGNALS = 300;
const OFFLINE_SIGNALS = 600; // written by another process while the host is down
const EVENTS = [11, 22, 33, 44, 55];
const TOTAL_SIGNALS = HTTP_SIGNALS + ORCHESTRATION_SIGNALS + OFFLINE_SIGNALS;

interface Status {
  runtimeStatus: string;
  output: unknown;
}

/** What each orchestration must end with, exactly. */
const expected: Record<string, unknown> = {
  fan: sumOfSquares(FAN_OUT - 1),
  fan2: sumOfSquares(FAN_OUT - 1),
  chain: sumOfSquares(CHAIN_DEPTH),
  gens: sumOfSquares(GENERATIONS),
  countdown: COUNTDOWN,
  collect: EVENTS,
  signaller: ORCHESTRATION_SIGNALS * ORCHESTRATION_SIGNALS,
  offline: sumOfSquares(9),
};

describe('durable engine under kill -9', () => {
  const hub = `Crash${randomBytes(4).toString('hex')}`;
  const logFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'aos-crash-')), 'activities.log');
  const env = { AOS_TASK_HUB: hub, CRASH_LOG: logFile };
  let aos: AosProcess | undefined;
  const kills: string[] = [];

  afterAll(async () => {
    await aos?.stop();
  });

  async function call(method: string, route: string, body?: unknown): Promise<Response> {
    if (!aos) throw new Error('host is down');
    return fetch(`${aos.baseUrl}${API}${route}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
  }

  /** A request the host must accept with 202 (the promise the contract is about). */
  async function accepted(route: string, body: unknown): Promise<void> {
    const res = await call('POST', route, body);
    expect(res.status, `POST ${route}`).toBe(202);
    await res.arrayBuffer();
  }

  async function status(instanceId: string): Promise<Status | undefined> {
    const res = await call('GET', `/instances/${instanceId}`);
    return res.status === 404 ? undefined : ((await res.json()) as Status);
  }

  async function restart(): Promise<void> {
    aos = await startAos({ app: APP, env });
  }

  /** SIGKILL right away. */
  async function kill(label: string): Promise<void> {
    kills.push(label);
    await aos?.kill();
    aos = undefined;
  }

  /**
   * SIGKILL once `progress` says the host is in the middle of something (this only picks the
   * moment; if the moment passes unseen, the kill lands when `maxWaitMs` runs out).
   */
  async function killWhen(label: string, progress: () => Promise<boolean>, maxWaitMs: number): Promise<void> {
    await kill(killLabel(label, await waitForMoment(progress, maxWaitMs)));
  }

  const activityLines = (): number => (existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').length - 1 : 0);

  async function counterValue(): Promise<number | undefined> {
    const res = await call('GET', '/entities/Counter/total');
    return res.status === 200 ? ((await res.json()) as number) : undefined;
  }

  async function sendSignals(count: number): Promise<void> {
    const concurrency = 16;
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          next++;
          await accepted('/entities/Counter/total?op=add', 1);
        }
      }),
    );
  }

  it('completes every instance with its exact result after repeated kills', async () => {
    await restart();

    // 1. The load, all of it accepted (202), then a kill at once: nothing is finished yet.
    await sendSignals(HTTP_SIGNALS);
    await Promise.all([
      accepted('/orchestrators/FanOut/fan', FAN_OUT),
      accepted('/orchestrators/Chain/chain', CHAIN_DEPTH),
      accepted('/orchestrators/Generations/gens', { n: GENERATIONS, acc: 0 }),
      accepted('/orchestrators/Countdown/countdown', { n: COUNTDOWN, visited: 0 }),
      accepted('/orchestrators/Collect/collect', EVENTS.length),
      accepted('/orchestrators/SignalMany/signaller', ORCHESTRATION_SIGNALS),
    ]);
    await accepted('/instances/collect/raiseEvent/Item', EVENTS[0]);
    await accepted('/instances/collect/raiseEvent/Item', EVENTS[1]);
    await kill('right after the last 202');

    // 2. While the host is down, another process starts an orchestration and signals the counter.
    const store = await TaskHubStore.open({ connectionString: inject('storageConnectionString'), hubName: hub, log: silentLogger });
    const offline = new DurableClient({
      store,
      taskHubName: hub,
      orchestratorName: (name) => name,
      entityName: (name) => name,
      defaultVersion: undefined,
      notify: () => undefined,
    });
    await offline.startNew('FanOut', { instanceId: 'offline', input: '10' });
    for (let i = 0; i < OFFLINE_SIGNALS; i += 50) {
      await Promise.all(Array.from({ length: 50 }, () => offline.signalEntity('Counter', 'total', 'add', '1')));
    }

    // 3. Recovery finds it all; kill while the counter works through its queue.
    await restart();
    await killWhen('while the counter works through its queue', async () => {
      const value = await counterValue();
      return value !== undefined && value > HTTP_SIGNALS && value < TOTAL_SIGNALS - 100;
    }, 3_000);

    // 4. A second fan-out; kill while its activities run.
    await restart();
    await accepted('/orchestrators/FanOut/fan2', FAN_OUT);
    await accepted('/instances/collect/raiseEvent/Item', EVENTS[2]);
    await accepted('/instances/collect/raiseEvent/Item', EVENTS[3]);
    const before = activityLines();
    await killWhen('while fan-out activities run', async () => activityLines() >= before + 30, 3_000);

    // 5. The last event, then run to the end.
    await restart();
    await accepted('/instances/collect/raiseEvent/Item', EVENTS[4]);

    const ids = Object.keys(expected);
    let last: Record<string, Status | undefined> = {};
    const finals = await waitUntil(
      async () => {
        last = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await status(id)] as const)));
        return Object.values(last).every((s) => s?.runtimeStatus === 'Completed' || s?.runtimeStatus === 'Failed') ? last : undefined;
      },
      { timeoutMs: 60_000, describe: `every orchestration finished (kills: ${kills.join(', ')})` },
    ).catch(async (err: unknown) => {
      const seen = Object.entries(last).map(([id, s]) => `${id}: ${s?.runtimeStatus ?? 'absent'}`);
      throw new Error(`${String(err)}\nhub ${hub}, statuses: ${seen.join(', ')}\nhost output (tail):\n${aos?.output().slice(-3000) ?? ''}`);
    });
    const work = TableClient.fromConnectionString(inject('storageConnectionString'), `${hub}Work`, { allowInsecureConnection: true });
    await waitUntil(
      async () => {
        for await (const _row of work.listEntities()) return false;
        return true;
      },
      { timeoutMs: 30_000, describe: `${hub}Work drained (nothing in flight)` },
    );

    for (const id of ids) {
      expect({ id, status: finals[id]?.runtimeStatus, output: finals[id]?.output }).toEqual({ id, status: 'Completed', output: expected[id] });
    }
    const counter = await call('GET', '/entities/Counter/total');
    expect(counter.status).toBe(200);
    expect(await counter.json()).toBe(TOTAL_SIGNALS);

    // Each event is in the history once: a re-delivered event would show as a sixth EventRaised.
    const history = (await (await call('GET', '/instances/collect?showHistory=true')).json()) as { historyEvents: { EventType: string }[] };
    expect(history.historyEvents.filter((e) => e.EventType === 'EventRaised')).toHaveLength(EVENTS.length);

    // Activities may run again after a kill (at least once); every one ran.
    const executions = activityLines();
    const minimum = 2 * FAN_OUT + (CHAIN_DEPTH + 1) + (GENERATIONS + 1) + 1 + 10;
    expect(executions).toBeGreaterThanOrEqual(minimum);
    console.info(`kills: ${kills.join(', ')}; activity executions ${executions} for ${minimum} activities`);
  });
});
