// Proves durable entities end to end on the local host: signals from a client (the raw HTTP API
// and the JS DurableClient), calls from an orchestration, signals from one entity to another,
// critical sections with `context.df.lock` over two entities (concurrent transfers conserve the
// total and each transfer's effect is exact), deletion (DELETE route and destructOnExit), entity
// listing with paging and state, and refusal of unknown entity functions.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAos, type AosProcess } from '../support/aos-process.js';
import { waitUntil } from '../support/wait-until.js';
import { DurableHttp, PATTERNS_APP } from './durable-support.js';

interface EntityListItem {
  entityId: { name: string; key: string };
  lastOperationTime: string;
  state: unknown;
}

describe('durable entities on the local host', () => {
  let aos: AosProcess;
  let api: DurableHttp;
  const run = randomUUID().slice(0, 8);

  beforeAll(async () => {
    aos = await startAos({ app: PATTERNS_APP, env: { AOS_TASK_HUB: `Entities${run}` } });
    api = new DurableHttp(aos.baseUrl);
  });
  afterAll(async () => {
    await aos?.stop();
  });

  const entityState = async (name: string, key: string): Promise<unknown> => {
    const res = await api.request('GET', `entities/${name}/${key}`);
    return res.status === 200 ? res.body : undefined;
  };
  const waitForState = (name: string, key: string, expected: unknown) =>
    waitUntil(async () => JSON.stringify(await entityState(name, key)) === JSON.stringify(expected), { timeoutMs: 20_000, describe: `${name}/${key} has state ${JSON.stringify(expected)}` });

  it('applies signals sent over the HTTP API and through the JS client, in order', async () => {
    const key = `sig-${run}`;
    expect((await api.request('POST', `entities/Counter/${key}?op=add`, 3)).status).toBe(202);
    // Entity names are case-insensitive.
    expect((await api.request('POST', `entities/counter/${key}?op=add`, 4)).status).toBe(202);
    const viaClient = await api.client('signalEntity', { name: 'Counter', key, operation: 'add', input: 10 });
    expect(viaClient.status).toBe(200);
    await waitForState('Counter', key, 17);
    const read = await api.client<{ entityExists: boolean; entityState: unknown }>('readEntityState', { name: 'Counter', key });
    expect(read.result).toEqual({ entityExists: true, entityState: 17 });
    const missing = await api.client<{ entityExists: boolean }>('readEntityState', { name: 'Counter', key: `never-${run}` });
    expect(missing.result).toEqual({ entityExists: false });
  });

  it('returns the result of callEntity to the calling orchestration', async () => {
    const key = `call-${run}`;
    await api.request('POST', `entities/Counter/${key}?op=add`, 2);
    await waitForState('Counter', key, 2);
    const id = await api.start('CounterCaller', key);
    const done = await api.waitFor(id);
    expect(done).toMatchObject({ runtimeStatus: 'Completed', output: 7 });
  });

  it('delivers signals one entity sends to another', async () => {
    const counter = `relayed-${run}`;
    for (const amount of [1, 2, 3]) await api.request('POST', `entities/Relay/r-${run}?op=forward`, { counterKey: counter, amount });
    await waitForState('Counter', counter, 6);
    await waitForState('Relay', `r-${run}`, 3);
  });

  it('keeps transfers in critical sections over two accounts atomic while others run concurrently', async () => {
    const accounts = ['a', 'b', 'c'].map((k) => `${k}-${run}`);
    for (const a of accounts) await api.request('POST', `entities/Account/${a}?op=deposit`, 100);
    for (const a of accounts) await waitForState('Account', a, 100);
    const transfers: Array<{ from: string; to: string; amount: number }> = [];
    for (let i = 0; i < 6; i++) {
      transfers.push({ from: accounts[0]!, to: accounts[1]!, amount: 30 });
      transfers.push({ from: accounts[1]!, to: accounts[2]!, amount: 45 });
      transfers.push({ from: accounts[2]!, to: accounts[0]!, amount: 25 });
    }
    const ids = await Promise.all(transfers.map((t) => api.start('Transfer', t)));
    const results = await Promise.all(ids.map((id) => api.waitFor(id, undefined, 45_000)));
    expect(results.map((r) => r.runtimeStatus)).toEqual(ids.map(() => 'Completed'));
    const expected = new Map(accounts.map((a) => [a, 100]));
    results.forEach((r, i) => {
      const t = transfers[i]!;
      const moved = (r.output as { moved: number; available: number }).moved;
      expect([0, t.amount]).toContain(moved);
      expected.set(t.from, expected.get(t.from)! - moved);
      expected.set(t.to, expected.get(t.to)! + moved);
    });
    const balances = await Promise.all(accounts.map((a) => entityState('Account', a)));
    expect(balances.reduce((s: number, b) => s + Number(b), 0)).toBe(300);
    expect(balances).toEqual(accounts.map((a) => expected.get(a)));
    expect(balances.every((b) => Number(b) >= 0)).toBe(true);
    // The locks are released: no account is left locked or with queued requests.
    const all = await api.request<EntityListItem[]>('GET', 'entities/account?fetchState=true');
    const mine = all.body.filter((e) => accounts.includes(e.entityId.key));
    expect(mine.map((e) => e.state).sort()).toEqual([...balances].sort());
  });

  it('deletes an entity through the DELETE route and through destructOnExit', async () => {
    const viaRoute = `del-route-${run}`;
    const viaOp = `del-op-${run}`;
    for (const key of [viaRoute, viaOp]) {
      await api.request('POST', `entities/Counter/${key}?op=add`, 1);
      await waitForState('Counter', key, 1);
    }
    expect((await api.request('DELETE', `entities/Counter/${viaRoute}`)).status).toBe(202);
    expect((await api.request('POST', `entities/Counter/${viaOp}?op=delete`)).status).toBe(202);
    for (const key of [viaRoute, viaOp]) {
      await waitUntil(async () => (await api.request('GET', `entities/Counter/${key}`)).status === 404, { timeoutMs: 20_000, describe: `Counter/${key} is deleted` });
    }
    const listed = await api.request<EntityListItem[]>('GET', 'entities/counter');
    expect(listed.body.map((e) => e.entityId.key)).not.toContain(viaRoute);
    expect(listed.body.map((e) => e.entityId.key)).not.toContain(viaOp);
    const read = await api.client<{ entityExists: boolean }>('readEntityState', { name: 'Counter', key: viaRoute });
    expect(read.result).toEqual({ entityExists: false });
  });

  it('lists entities by name, with state on request, a page at a time', async () => {
    const keys = [1, 2, 3, 4, 5].map((i) => `list-${run}-${i}`);
    for (const [i, key] of keys.entries()) await api.request('POST', `entities/Relay/${key}?op=forward`, { counterKey: `sink-${run}`, amount: i });
    await waitForState('Counter', `sink-${run}`, 10);
    const withState = await api.request<EntityListItem[]>('GET', 'entities/relay?fetchState=true');
    expect(withState.status).toBe(200);
    const mine = withState.body.filter((e) => keys.includes(e.entityId.key));
    expect(mine).toHaveLength(5);
    for (const e of mine) {
      expect(e.entityId.name).toBe('relay');
      expect(e.state).toBe(1);
      expect(Number.isNaN(Date.parse(e.lastOperationTime))).toBe(false);
    }
    const withoutState = await api.request<EntityListItem[]>('GET', 'entities/relay');
    expect(withoutState.body.every((e) => e.state === null)).toBe(true);
    // Paging: top=2 with the continuation header until it is absent.
    const pages: EntityListItem[][] = [];
    let token: string | null = null;
    do {
      const res: Awaited<ReturnType<typeof api.request<EntityListItem[]>>> = await api.request<EntityListItem[]>('GET', 'entities/relay?top=2', undefined, token ? { 'x-ms-continuation-token': token } : {});
      expect(res.body.length).toBeLessThanOrEqual(2);
      pages.push(res.body);
      token = res.headers.get('x-ms-continuation-token');
    } while (token && pages.length < 20);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.flat().filter((e) => keys.includes(e.entityId.key))).toHaveLength(5);
    const everything = await api.request<EntityListItem[]>('GET', 'entities/');
    expect(new Set(everything.body.map((e) => e.entityId.name))).toEqual(new Set(['counter', 'relay', 'account']));
  });

  it('refuses operations on an entity function that does not exist', async () => {
    expect((await api.request('POST', `entities/NoSuchEntity/k?op=add`, 1)).status).toBe(400);
    expect((await api.request('GET', `entities/NoSuchEntity/k`)).status).toBe(400);
    const viaClient = await api.client('signalEntity', { name: 'NoSuchEntity', key: 'k', operation: 'add', input: 1 });
    expect(viaClient.status).toBe(500);
    expect(viaClient.error).toMatch(/400/);
  });
});
