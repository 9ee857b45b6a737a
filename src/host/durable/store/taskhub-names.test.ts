import { describe, expect, it } from 'vitest';
import { InvalidHubNameError } from './errors.js';
import { taskHubNames, validateHubName } from './taskhub-names.js';

describe('task hub names', () => {
  it('names tables with the hub case and queues and containers lower-cased', () => {
    const names = taskHubNames('MyHub', 4);
    expect(names).toMatchObject({
      instancesTable: 'MyHubInstances',
      historyTable: 'MyHubHistory',
      workTable: 'MyHubWork',
      timersTable: 'MyHubTimers',
      workItemQueue: 'myhub-workitems',
      largeMessagesContainer: 'myhub-largemessages',
      leasesContainer: 'myhub-leases',
    });
    expect(names.controlQueues).toEqual(['myhub-control-00', 'myhub-control-01', 'myhub-control-02', 'myhub-control-03']);
  });

  it('accepts 3-45 alphanumerics starting with a letter', () => {
    expect(() => validateHubName('abc')).not.toThrow();
    expect(() => validateHubName(`a${'1'.repeat(44)}`)).not.toThrow();
  });

  it.each(['ab', '1hub', 'my-hub', 'my_hub', `a${'1'.repeat(45)}`, 'DurableTask', 'durabletask'])('rejects %s', (name) => {
    expect(() => validateHubName(name)).toThrow(InvalidHubNameError);
  });

  it('rejects a partition count outside 1-16', () => {
    expect(() => taskHubNames('MyHub', 0)).toThrow(RangeError);
    expect(() => taskHubNames('MyHub', 17)).toThrow(RangeError);
    expect(taskHubNames('MyHub', 16).controlQueues.at(-1)).toBe('myhub-control-15');
  });
});
