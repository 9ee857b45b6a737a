// Proves that reading a history by point reads (the mode the host uses on Azurite, whose queries
// scan whole tables) gives exactly what the partition query gives, including after continue-as-new
// left older rows behind, and stops at the sentinel's EventCount.
import { beforeAll, describe, expect, it } from 'vitest';
import { TaskHubStore } from '../../src/host/durable/store/index.js';
import { silentLogger } from '../../src/host/log/logger.js';
import { connectionString, firstTurn, newExecutionId, secondTurn, ticker } from './taskhub-support.js';

const HUB = 'HistReads';

describe('TaskHubStore history reads', () => {
  let byQuery: TaskHubStore;
  let byPoints: TaskHubStore;
  beforeAll(async () => {
    byQuery = await TaskHubStore.open({ connectionString: connectionString(), hubName: HUB, historyReads: 'query', log: silentLogger });
    byPoints = await TaskHubStore.open({ connectionString: connectionString(), hubName: HUB, historyReads: 'point', log: silentLogger });
  });

  it('reads the same events and sentinel by point reads as by the partition query', async () => {
    const id = 'two-turns-points';
    const exec = newExecutionId();
    const at = ticker();
    const etag1 = await byQuery.commitTurn({ instanceId: id, executionId: exec, startIndex: 0, events: firstTurn(id, exec, at), sentinelEtag: undefined, turnNumber: 1, lastTurnStart: 0, consumedKeys: ['m-1'] });
    await byQuery.commitTurn({ instanceId: id, executionId: exec, startIndex: 4, events: secondTurn(at), sentinelEtag: etag1, turnNumber: 2, lastTurnStart: 4, consumedKeys: [] });
    const [q, p] = await Promise.all([byQuery.loadInstance(id), byPoints.loadInstance(id)]);
    expect(p.history?.events).toHaveLength(8);
    expect(p.history).toEqual(q.history);
  });

  it('reads only the current execution after a shorter new execution left older rows behind', async () => {
    const id = 'continued-points';
    const at = ticker();
    const first = newExecutionId();
    const etag1 = await byQuery.commitTurn({ instanceId: id, executionId: first, startIndex: 0, events: firstTurn(id, first, at), sentinelEtag: undefined, turnNumber: 1, lastTurnStart: 0, consumedKeys: [] });
    const etag2 = await byQuery.commitTurn({ instanceId: id, executionId: first, startIndex: 4, events: secondTurn(at), sentinelEtag: etag1, turnNumber: 2, lastTurnStart: 4, consumedKeys: [] });
    const second = newExecutionId();
    await byQuery.commitTurn({ instanceId: id, executionId: second, startIndex: 0, events: firstTurn(id, second, at), sentinelEtag: etag2, turnNumber: 3, lastTurnStart: 0, consumedKeys: [], newExecution: true });
    const [q, p] = await Promise.all([byQuery.loadInstance(id), byPoints.loadInstance(id)]);
    expect(p.history?.executionId).toBe(second);
    expect(p.history?.events).toHaveLength(4);
    expect(p.history).toEqual(q.history);
  });

  it('answers no history for an instance that has none', async () => {
    expect((await byPoints.loadInstance('never-written')).history).toBeUndefined();
  });
});
