/**
 * Azure Storage clients for the app's own data: from a connection string (Azurite, or an account
 * with a key), or from service URIs with a token credential when the app runs with an identity
 * (the `AzureWebJobsStorage__accountName` / `__*ServiceUri` settings in Azure).
 */
import { TableClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import type { StorageTarget } from '../config.js';
import { azureCredential } from './azure-credential.js';

/** Table names of app data. They end in neither `Instances` nor `History`, so task hub tools ignore them. */
export const AppTables = { inferenceCache: 'AosInferenceCache', agents: 'AosAgents' } as const;

/** A connection string, or a resolved target (see `Config.storage`). */
export type StorageSource = string | StorageTarget;

function isLocalHttp(connectionString: string): boolean {
  return /UseDevelopmentStorage=true/i.test(connectionString) || /(Blob|Table|Queue)Endpoint=http:\/\//i.test(connectionString);
}

/**
 * A connection string that names endpoints but carries no key or SAS is the keyless form
 * `Config.storageConnection` takes for identity-based storage: it is reached with a credential.
 */
export function storageTarget(source: StorageSource): StorageTarget {
  if (typeof source !== 'string') return source;
  if (/AccountKey=|SharedAccessSignature=|UseDevelopmentStorage=true/i.test(source)) return { kind: 'connection-string', connectionString: source };
  const endpoint = (name: string) => new RegExp(`(?:^|;)\\s*${name}Endpoint=([^;]+)`, 'i').exec(source)?.[1]?.trim();
  const blob = endpoint('Blob');
  const table = endpoint('Table');
  const queue = endpoint('Queue');
  if (blob && table && queue) return { kind: 'identity', blobServiceUri: blob, tableServiceUri: table, queueServiceUri: queue, credential: { managedIdentity: false } };
  return { kind: 'connection-string', connectionString: source };
}

function credentialOf(target: Extract<StorageTarget, { kind: 'identity' }>, credential?: TokenCredential): TokenCredential {
  return credential ?? azureCredential(target.credential);
}

export function tableClient(source: StorageSource, table: string, credential?: TokenCredential): TableClient {
  const target = storageTarget(source);
  if (target.kind === 'identity') return new TableClient(target.tableServiceUri, table, credentialOf(target, credential));
  // Azurite speaks plain HTTP on loopback; the SDK refuses that unless told.
  return TableClient.fromConnectionString(target.connectionString, table, isLocalHttp(target.connectionString) ? { allowInsecureConnection: true } : {});
}

export function blobServiceClient(source: StorageSource, credential?: TokenCredential): BlobServiceClient {
  const target = storageTarget(source);
  if (target.kind === 'identity') return new BlobServiceClient(target.blobServiceUri, credentialOf(target, credential));
  return BlobServiceClient.fromConnectionString(target.connectionString);
}

export function containerClient(source: StorageSource, container: string, credential?: TokenCredential): ContainerClient {
  return blobServiceClient(source, credential).getContainerClient(container);
}

export function queueServiceClient(source: StorageSource, credential?: TokenCredential): QueueServiceClient {
  const target = storageTarget(source);
  if (target.kind === 'identity') return new QueueServiceClient(target.queueServiceUri, credentialOf(target, credential));
  return QueueServiceClient.fromConnectionString(target.connectionString);
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
