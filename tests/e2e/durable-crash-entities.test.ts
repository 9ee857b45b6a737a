// Proves that entity scheduled signals survive `kill -9` of the host: signals scheduled for a few
// seconds ahead (written by another process while the host is down, as `op@<time>` requests:
// neither durable-functions nor the Durable HTTP API can schedule one) are parked by the entity,
// the host is killed once right after the entity committed them and again while they come due,
// and after the last restart every signal has been applied exactly once and `<Hub>Work` and
// `<Hub>Timers` are empty. The exact crash moments (a commit whose wake-up timer is not written
// yet, a fired timer whose entity turn has not committed) are hit deterministically by
// tests/integration/entity-scheduled-signals-crash.test.ts; here the kills land where they land.
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { TaskHubStore } from '../../src/host/durable/store/index.js';
import { silentLogger } from '../../src/host/log/logger.js';
import { REPO_ROOT, startAos, type AosProcess } from '../support/aos-process.js';
import { killLabel, waitForMoment } from '../support/kill-moment.js';
import { waitUntil } from '../support/wait-until.js';

const APP = path.join(REPO_ROOT, 'tests', 'fixtures', 'apps', 'durable-crash');
const API = '/runtime/webhooks/durabletask';
const KEYS = ['s1', 's2', 's3'];
const SIGNALS_PER_KEY = 20;

describe('entity scheduled signals under kill -9', () => {
  const hub = `CrashEnt${randomBytes(4).toString('hex')}`;
  let aos: AosProcess | undefined;
  const kills: string[] = [];

  afterAll(async () => {
    await aos?.stop();
  });

  const table = (suffix: string): TableClient => TableClient.fromConnectionString(inject('storageConnectionString'), `${hub}${suffix}`, { allowInsecureConnection: true });

  async function counter(key: string): Promise<number | undefined> {
    if (!aos) return undefined;
    const res = await fetch(`${aos.baseUrl}${API}/entities/Counter/${key}`);
    return res.status === 200 ? ((await res.json()) as number) : undefined;
  }

  async function total(): Promise<number> {
    let sum = 0;
    for (const key of KEYS) sum += (await counter(key)) ?? 0;
    return sum;
  }

  /** Polls `moment` until it holds or `maxWaitMs` passes, then kills the host. */
  async function killWhen(label: string, moment: () => Promise<boolean>, maxWaitMs: number): Promise<void> {
    kills.push(killLabel(label, await waitForMoment(moment, maxWaitMs)));
    await aos?.kill();
    aos = undefined;
  }

  /** Whether an entity's committed state (its Instances row) holds parked signals. */
  async function parked(): Promise<boolean> {
    for await (const row of table('Instances').listEntities<{ Input?: string }>()) {
      if (row.Input?.includes('"scheduled"')) return true;
    }
    return false;
  }

  it('applies every scheduled signal exactly once across kills', async () => {
    // 1. While the host is down, a client schedules signals 4 to 7 s ahead, spread over the keys.
    const store = await TaskHubStore.open({ connectionString: inject('storageConnectionString'), hubName: hub, log: silentLogger });
    const start = Date.now() + 4_000;
    const messages = KEYS.flatMap((key, k) =>
      Array.from({ length: SIGNALS_PER_KEY }, (_, i) => {
        const due = new Date(start + (i * KEYS.length + k) * 50).toISOString();
        const request = { op: 'add', signal: true, input: '1', id: randomUUID(), due };
        return {
          messageId: randomUUID(),
          targetInstanceId: `@counter@${key}`,
          event: { type: 'EventRaised' as const, eventId: -1, isPlayed: false, timestamp: new Date().toISOString(), name: `op@${due}`, input: JSON.stringify(request) },
        };
      }),
    );
    await store.putMessages(messages);

    // 2. The host finds them and the entities park them; kill as soon as one entity committed that.
    aos = await startAos({ app: APP, env: { AOS_TASK_HUB: hub } });
    await killWhen('after an entity parked its signals', parked, 5_000);

    // 3. Restart; kill again while the signals come due.
    aos = await startAos({ app: APP, env: { AOS_TASK_HUB: hub } });
    const expected = KEYS.length * SIGNALS_PER_KEY;
    await killWhen('while the signals come due', async () => {
      const sum = await total();
      return sum > 0 && sum < expected;
    }, 8_000);

    // 4. The last restart runs everything left.
    aos = await startAos({ app: APP, env: { AOS_TASK_HUB: hub } });
    const isEmpty = async (suffix: string): Promise<boolean> => {
      for await (const _row of table(suffix).listEntities()) return false;
      return true;
    };
    await waitUntil(async () => (await isEmpty('Work')) && (await isEmpty('Timers')) && (await total()) >= expected, {
      timeoutMs: 30_000,
      describe: `every scheduled signal applied and ${hub}Work and ${hub}Timers drained (kills: ${kills.join(', ')})`,
    });
    for (const key of KEYS) expect({ key, value: await counter(key) }).toEqual({ key, value: SIGNALS_PER_KEY });
    console.info(`kills: ${kills.join(', ')}`);
  });
});
