/**
 * The Azure SDK clients of one task hub, built from a connection string, with every request
 * counted (the benchmarks report storage requests per step).
 */
import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import type { TaskHubNames } from './taskhub-names.js';

/** Counts storage requests. Table requests are counted on the wire (retries included) by a pipeline policy; blob and queue calls are counted per SDK call, each of which is one request. */
export class RequestCounter {
  #count = 0;
  readonly #byKind = new Map<string, number>();
  get count(): number {
    return this.#count;
  }
  /** `kind` (e.g. `History.batch`, `Instances.merge`) lets the benchmarks say which requests a step costs. */
  add(n = 1, kind = 'other'): void {
    this.#count += n;
    this.#byKind.set(kind, (this.#byKind.get(kind) ?? 0) + n);
  }
  /** Requests so far by kind, as `kind:n` joined by `/` (one token for the diagnostics line). */
  byKind(): string {
    return [...this.#byKind].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}:${n}`).join('/');
  }
}

/**
 * The kind of a table request for {@link RequestCounter}: the table's short name and the operation
 * (a point read is `get`, any other read `query`: Azurite scans the whole table for those).
 */
export function tableRequestKind(table: string, method: string, url: string): string {
  const path = new URL(url).pathname;
  if (path.endsWith('/$batch')) return `${table}.batch`;
  const pointKey = /\(PartitionKey=/.test(decodeURIComponent(path));
  switch (method) {
    case 'GET':
      return `${table}.${pointKey ? 'get' : 'query'}`;
    case 'PATCH':
    case 'MERGE':
      return `${table}.merge`;
    case 'PUT':
      return `${table}.put`;
    case 'POST':
      return `${table}.insert`;
    case 'DELETE':
      return `${table}.delete`;
    default:
      return `${table}.${method.toLowerCase()}`;
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
  const tableOptions = (short: string): TableServiceClientOptions => ({
    allowInsecureConnection: insecure,
    additionalPolicies: [
      {
        position: 'perRetry',
        policy: {
          name: 'aosRequestCounter',
          sendRequest(request, next) {
            counter.add(1, tableRequestKind(short, request.method, request.url));
            return next(request);
          },
        },
      },
    ],
  });
  const table = (name: string) => TableClient.fromConnectionString(connectionString, name, tableOptions(name.startsWith(names.hub) ? name.slice(names.hub.length) : name));
  const blobs = BlobServiceClient.fromConnectionString(connectionString);
  return {
    instances: table(names.instancesTable),
    history: table(names.historyTable),
    work: table(names.workTable),
    timers: table(names.timersTable),
    blobs,
    largeMessages: blobs.getContainerClient(names.largeMessagesContainer),
    queues: QueueServiceClient.fromConnectionString(connectionString),
  };
}
