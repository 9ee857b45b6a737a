import { describe, expect, it } from 'vitest';
import type { TokenCredential } from '@azure/identity';
import { parseConfig } from '../config.js';
import { blobServiceClient, queueServiceClient, storageTarget, tableClient } from './storage-clients.js';

const credential: TokenCredential = { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 60_000 }) };

describe('storage clients', () => {
  it('reaches identity-based storage at the service URIs the account name implies', () => {
    const config = parseConfig({ AzureWebJobsStorage__accountName: 'aosdata', AzureWebJobsStorage__credential: 'managedidentity', AzureWebJobsStorage__clientId: 'cid' });
    expect(config.storage).toEqual({
      kind: 'identity',
      blobServiceUri: 'https://aosdata.blob.core.windows.net',
      tableServiceUri: 'https://aosdata.table.core.windows.net',
      queueServiceUri: 'https://aosdata.queue.core.windows.net',
      credential: { managedIdentity: true, clientId: 'cid' },
    });
    expect(tableClient(config.storage, 'AosAgents', credential).url).toBe('https://aosdata.table.core.windows.net');
    expect(blobServiceClient(config.storage, credential).url).toMatch(/^https:\/\/aosdata\.blob\.core\.windows\.net\/?$/);
    expect(queueServiceClient(config.storage, credential).url).toMatch(/^https:\/\/aosdata\.queue\.core\.windows\.net\/?$/);
  });

  it('prefers explicit service URIs and keeps a keyless connection string for code that passes strings', () => {
    const config = parseConfig({ AzureWebJobsStorage__blobServiceUri: 'https://b.example/', AzureWebJobsStorage__tableServiceUri: 'https://t.example/', AzureWebJobsStorage__queueServiceUri: 'https://q.example/' });
    expect(config.storage).toMatchObject({ kind: 'identity', blobServiceUri: 'https://b.example/', credential: { managedIdentity: false } });
    expect(storageTarget(config.storageConnection)).toMatchObject({ kind: 'identity', tableServiceUri: 'https://t.example/', queueServiceUri: 'https://q.example/' });
    expect(config.storageConnection).not.toMatch(/AccountKey/);
  });

  it('uses a connection string when one is configured, and Azurite when nothing is', () => {
    expect(parseConfig({ AzureWebJobsStorage: 'UseDevelopmentStorage=true', AzureWebJobsStorage__accountName: 'x' }).storage).toEqual({ kind: 'connection-string', connectionString: 'UseDevelopmentStorage=true' });
    expect(parseConfig({}).storageConnection).toBe('UseDevelopmentStorage=true');
    expect(storageTarget('DefaultEndpointsProtocol=https;AccountName=a;AccountKey=aGVsbG8=;EndpointSuffix=core.windows.net')).toMatchObject({ kind: 'connection-string' });
  });

  it('refuses a partial set of service URIs, naming the settings', () => {
    expect(() => parseConfig({ AzureWebJobsStorage__blobServiceUri: 'https://b.example/' })).toThrow(/AzureWebJobsStorage__accountName/);
  });
});
