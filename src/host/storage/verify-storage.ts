/** Checks at start-up that the storage account answers, so a bad connection fails fast with one line. */
import { TableServiceClient } from '@azure/data-tables';
import { HostStartError } from '../config/host-config-error.js';
import type { StorageConnection } from './storage-connection.js';

export async function verifyStorage(connection: StorageConnection, timeoutMs = 15_000): Promise<void> {
  const client = TableServiceClient.fromConnectionString(connection.connectionString, {
    allowInsecureConnection: connection.endpoints.table.startsWith('http:'),
    retryOptions: { maxRetries: 1 },
  });
  const abortSignal = AbortSignal.timeout(timeoutMs);
  try {
    await client.listTables({ abortSignal }).byPage({ maxPageSize: 1 }).next();
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new HostStartError(`storage account ${connection.accountName} at ${connection.endpoints.table} is unreachable: ${reason}`, 'STORAGE_UNREACHABLE', { cause: err });
  }
}
