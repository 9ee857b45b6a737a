/** Azure Storage clients for the app's own data, from one connection string (Azurite or an account). */
import { TableClient } from '@azure/data-tables';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';

/** Table names of app data. They end in neither `Instances` nor `History`, so task hub tools ignore them. */
export const AppTables = { inferenceCache: 'AosInferenceCache', agents: 'AosAgents' } as const;

function isLocalHttp(connectionString: string): boolean {
  return /UseDevelopmentStorage=true/i.test(connectionString) || /(Blob|Table)Endpoint=http:\/\//i.test(connectionString);
}

export function tableClient(connectionString: string, table: string): TableClient {
  // Azurite speaks plain HTTP on loopback; the SDK refuses that unless told.
  return TableClient.fromConnectionString(connectionString, table, isLocalHttp(connectionString) ? { allowInsecureConnection: true } : {});
}

export function containerClient(connectionString: string, container: string): ContainerClient {
  return BlobServiceClient.fromConnectionString(connectionString).getContainerClient(container);
}

/** Creates a table once per client; "already exists" is success. */
export function ensureTable(client: TableClient): () => Promise<void> {
  let ready: Promise<void> | undefined;
  return () => {
    ready ??= client.createTable().catch((err: unknown) => {
      ready = undefined;
      throw err;
    });
    return ready;
  };
}

/** Creates a blob container once per client; "already exists" is success. */
export function ensureContainer(client: ContainerClient): () => Promise<void> {
  let ready: Promise<void> | undefined;
  return () => {
    ready ??= client.createIfNotExists().then(
      () => undefined,
      (err: unknown) => {
        ready = undefined;
        throw err;
      },
    );
    return ready;
  };
}
