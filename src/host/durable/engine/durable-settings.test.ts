import { describe, expect, it } from 'vitest';
import { durableSettings } from './durable-settings.js';

describe('durableSettings', () => {
  it('takes the hub from host.json and lets AOS_TASK_HUB override it', () => {
    const hostJson = { extensions: { durableTask: { hubName: 'MyHub', storageProvider: { partitionCount: 2 } } } };
    expect(durableSettings(hostJson, {}, 2)).toMatchObject({ hubName: 'MyHub', partitionCount: 2, maxConcurrentActivityFunctions: 20 });
    expect(durableSettings(hostJson, { AOS_TASK_HUB: 'Other' }, 2).hubName).toBe('Other');
  });

  it('names the settings it ignores', () => {
    const s = durableSettings({ extensions: { durableTask: { hubName: 'H1b', tracing: {}, extendedSessionsEnabled: true } } }, {}, 1);
    expect(s.ignoredKeys).toEqual(['tracing', 'extendedSessionsEnabled']);
  });

  it('refuses invalid and reserved hub names', () => {
    expect(() => durableSettings({}, { AOS_TASK_HUB: 'a-b' }, 1)).toThrow(/invalid/);
    expect(() => durableSettings({}, { AOS_TASK_HUB: 'DurableTask' }, 1)).toThrow(/reserved/);
  });
});
