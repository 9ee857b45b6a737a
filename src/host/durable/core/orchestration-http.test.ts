import * as df from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { HTTP_ACTIVITY_NAME } from './orchestration-scheduling.js';
import { OrchestrationKit } from './testing/orchestration-kit.js';

describe('callHttp from real durable-functions orchestrations', () => {
  it('schedules the request as the built-in HTTP activity and returns the response', async () => {
    const requests: Record<string, unknown>[] = [];
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Fetcher', function* (context) {
        const res: { statusCode: number; content: string } = yield context.df.callHttp({ method: 'POST', url: 'http://example.test/items', body: { a: 1 } });
        return [res.statusCode, res.content];
      });
    }, { http: async (request) => { requests.push(request); return { statusCode: 201, headers: { 'Content-Type': 'text/plain' }, content: 'created' }; } });
    const id = await kit.start('Fetcher');
    expect(kit.output(id)).toEqual([201, 'created']);
    expect(requests).toEqual([{ method: 'POST', uri: 'http://example.test/items', content: '{"a":1}', asynchronousPatternEnabled: true }]);
    const scheduled = kit.instance(id).history.find((e) => e.type === 'TaskScheduled');
    expect(scheduled).toMatchObject({ name: HTTP_ACTIVITY_NAME, eventId: 0 });
  });

  it('polls the Location of a 202 after Retry-After with a timer and a new request per 202', async () => {
    const requests: Record<string, unknown>[] = [];
    const replies: { statusCode: number; headers: Record<string, string>; content: string }[] = [
      { statusCode: 202, headers: { Location: 'http://example.test/status/1', 'Retry-After': '5' }, content: '' },
      { statusCode: 202, headers: { Location: 'http://example.test/status/1' }, content: '' },
      { statusCode: 200, headers: {}, content: 'finished' },
    ];
    const kit = await OrchestrationKit.create(() => {
      df.app.orchestration('Poller', function* (context) {
        const res: { statusCode: number; content: string } = yield context.df.callHttp({ method: 'GET', url: 'http://example.test/start', headers: { 'x-functions-key': 'secret', Accept: 'text/plain' } });
        const after: string = yield context.df.callActivity('Echo', 'next');
        return [res.statusCode, res.content, after];
      });
      df.app.activity('Echo', { handler: (x: unknown) => x });
    }, { http: async (request) => { requests.push(request); return replies.shift() ?? { statusCode: 500, headers: {}, content: '' }; } });
    const id = await kit.start('Poller');
    expect(kit.pendingTimers().map((t) => t.fireAt)).toEqual(['2024-01-01T00:00:05.000Z']);
    await kit.advance(5000);
    expect(kit.pendingTimers().map((t) => t.fireAt)).toEqual(['2024-01-01T00:00:35.000Z']);
    await kit.advance(30_000);
    expect(kit.output(id)).toEqual([200, 'finished', 'next']);
    expect(requests.slice(1)).toEqual([
      { method: 'GET', uri: 'http://example.test/status/1', headers: { Accept: 'text/plain' }, asynchronousPatternEnabled: true },
      { method: 'GET', uri: 'http://example.test/status/1', headers: { Accept: 'text/plain' }, asynchronousPatternEnabled: true },
    ]);
    const trace = kit.instance(id).history.flatMap((e) => (e.type === 'TaskScheduled' || e.type === 'TimerCreated' ? [`${e.type} ${e.eventId}`] : []));
    expect(trace).toEqual(['TaskScheduled 0', 'TimerCreated 1', 'TaskScheduled 2', 'TimerCreated 3', 'TaskScheduled 4', 'TaskScheduled 5']);
  });
});
