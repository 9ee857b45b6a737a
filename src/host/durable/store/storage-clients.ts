/**
 * The Azure SDK clients of one task hub, built from a connection string, with every request
 * counted (the benchmarks report storage requests per step, and by kind to find what loads Azurite).
 */
import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import type { TaskHubNames } from './taskhub-names.js';

/**
 * Counts storage requests, in total and by kind (`<table>.<operation>`, `blob`, `queue`). Table
 * requests are counted on the wire (retries included) by a pipeline policy; blob and queue calls
 * are counted per SDK call, each of which is one request.
 */
export class RequestCounter {
  #count = 0;
  readonly #byKind = new Map<string, number>();
  get count(): number {
    return this.#count;
  }
  add(n = 1, kind = 'blob'): void {
    this.#count += n;
    this.#byKind.set(kind, (this.#byKind.get(kind) ?? 0) + n);
  }
  /** `History.query:12;Work.batch:3;...`, largest first (one token, for the diagnostics line). */
  kindsText(): string {
    return [...this.#byKind].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${kind}:${n}`).join(';');
  }
}

/**
 * The kind of a Table service request, from its method and URL: a point read (`get`, keys in the
 * path) costs the emulator an index lookup, a `query` (a filter, or a partition scan) scans the
 * whole table in Azurite 3.35, so the two are told apart.
 */
export function tableRequestKind(method: string, url: string): string {
  const path = new URL(url).pathname;
  if (path.endsWith('/$batch')) return 'batch';
  const keyed = /\(PartitionKey=.*RowKey=.*\)$/.test(decodeURIComponent(path));
  switch (method.toUpperCase()) {
    case 'GET':
      return keyed ? 'get' : 'query';
    case 'POST':
      return path.endsWith('/Tables') ? 'createTable' : 'insert';
    case 'PUT':
      return 'put';
    case 'PATCH':
    case 'MERGE':
      return 'merge';
    case 'DELETE':
      return 'delete';
    default:
      return method.toLowerCase();
  }
}

export interface TaskHubClients {
  instances: TableClient;
  history: TableClient;
  work: TableClient;
  timers: TableClient;
  blobs: BlobServiceClient;
  largeMessages: ContainerClient;
  queues: QueueServiceClient;
}

export function createTaskHubClients(connectionString: string, names: TaskHubNames, counter: RequestCounter): TaskHubClients {
  const insecure = /DefaultEndpointsProtocol=http;|Endpoint=http:\/\//i.test(connectionString) || /UseDevelopmentStorage=true/i.test(connectionString);
  const tableOptions = (label: string): TableServiceClientOptions => ({
    allowInsecureConnection: insecure,
    additionalPolicies: [
      {
        position: 'perRetry',
        policy: {
          name: 'aosRequestCounter',
          sendRequest(request, next) {
            counter.add(1, `${label}.${tableRequestKind(request.method, request.url)}`);
            return next(request);
          },
        },
      },
    ],
  });
  const table = (name: string, label: string) => TableClient.fromConnectionString(connectionString, name, tableOptions(label));
  const blobs = BlobServiceClient.fromConnectionString(connectionString);
  return {
    instances: table(names.instancesTable, 'Instances'),
    history: table(names.historyTable, 'History'),
    work: table(names.workTable, 'Work'),
    timers: table(names.timersTable, 'Timers'),
    blobs,
    largeMessages: blobs.getContainerClient(names.largeMessagesContainer),
    queues: QueueServiceClient.fromConnectionString(connectionString),
  };
}
