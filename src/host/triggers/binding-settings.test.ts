import { describe, expect, it } from 'vitest';
import { HostStartError } from '../config/host-config-error.js';
import { developmentConnection } from '../storage/storage-connection.js';
import { isFunctionDisabled, resolveBinding, storageConnectionFor } from './binding-settings.js';

const ACCOUNT = 'DefaultEndpointsProtocol=https;AccountName=other;AccountKey=eA==;EndpointSuffix=core.windows.net';

describe('resolveBinding', () => {
  it('resolves %Setting% in every string property and keeps the rest', () => {
    const binding = { type: 'queueTrigger', direction: 'in' as const, queueName: '%Prefix%-%Name%', connection: '%Conn%', batch: 3 };
    expect(resolveBinding('f', 'b', binding, { Prefix: 'jobs', Name: 'high', Conn: 'MyStorage' })).toEqual({ ...binding, queueName: 'jobs-high', connection: 'MyStorage' });
  });

  it('stops start-up naming the function and the missing setting', () => {
    const run = () => resolveBinding('everySecond', 'timerTrigger1a2b', { type: 'timerTrigger', schedule: '%Schedule%' }, {});
    expect(run).toThrow(HostStartError);
    expect(run).toThrow("function 'everySecond' (timerTrigger): schedule '%Schedule%' refers to app setting 'Schedule', which is not defined");
  });
});

describe('isFunctionDisabled', () => {
  it('reads the host switch AzureWebJobs.<Function>.Disabled', () => {
    expect(isFunctionDisabled('tick', { 'AzureWebJobs.tick.Disabled': 'true' })).toBe(true);
    expect(isFunctionDisabled('tick', { AzureWebJobs_tick_Disabled: '1' })).toBe(true);
    expect(isFunctionDisabled('tick', { 'AzureWebJobs.tick.Disabled': 'false' })).toBe(false);
    expect(isFunctionDisabled('tick', {})).toBe(false);
  });
});

describe('storageConnectionFor', () => {
  const host = developmentConnection();

  it('uses the host account without a connection or for AzureWebJobsStorage', () => {
    expect(storageConnectionFor('f', undefined, {}, host)).toBe(host);
    expect(storageConnectionFor('f', 'AzureWebJobsStorage', {}, host)).toBe(host);
  });

  it('reads the connection string from the app setting the connection names, then with the AzureWebJobs prefix', () => {
    expect(storageConnectionFor('f', 'Other', { Other: ACCOUNT }, host).accountName).toBe('other');
    expect(storageConnectionFor('f', 'Other', { AzureWebJobsOther: ACCOUNT }, host).accountName).toBe('other');
  });

  it('stops start-up when the named setting does not exist', () => {
    expect(() => storageConnectionFor('f', 'Nope', {}, host)).toThrow(/function 'f': connection 'Nope': no app setting/);
    expect(() => storageConnectionFor('f', 'Id', { Id__queueServiceUri: 'https://x.queue.core.windows.net' }, host)).toThrow(/identity-based/);
  });
});
