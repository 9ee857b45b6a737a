/** Blob and table clients for the bindings, one per account (and table), with "create if missing" done once. */
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { TableClient } from '@azure/data-tables';
import type { StorageConnection } from '../storage/storage-connection.js';

export class BindingStorageClients {
  readonly #blobServices = new Map<string, BlobServiceClient>();
  readonly #tables = new Map<string, TableClient>();
  readonly #created = new Map<string, Promise<unknown>>();

  container(storage: StorageConnection, name: string): ContainerClient {
    let service = this.#blobServices.get(storage.connectionString);
    if (!service) {
      service = BlobServiceClient.fromConnectionString(storage.connectionString);
      this.#blobServices.set(storage.connectionString, service);
    }
    return service.getContainerClient(name);
  }

  table(storage: StorageConnection, name: string): TableClient {
    const key = `${storage.connectionString}\n${name}`;
    let table = this.#tables.get(key);
    if (!table) {
      // Azurite and other http endpoints need the SDK's explicit opt-in.
      table = TableClient.fromConnectionString(storage.connectionString, name, { allowInsecureConnection: storage.endpoints.table.startsWith('http:') });
      this.#tables.set(key, table);
    }
    return table;
  }

  /** Creates the container or table once per host run (a failed attempt is tried again next time). */
  async ensure(kind: 'container' | 'table', storage: StorageConnection, name: string, create: () => Promise<unknown>): Promise<void> {
    const key = `${kind}\n${storage.connectionString}\n${name}`;
    let created = this.#created.get(key);
    if (!created) {
      created = create();
      this.#created.set(key, created);
      created.catch(() => this.#created.delete(key));
    }
    await created;
  }

  /** Forget a creation, after the container or table was deleted behind the host's back. */
  forget(kind: 'container' | 'table', storage: StorageConnection, name: string): void {
    this.#created.delete(`${kind}\n${storage.connectionString}\n${name}`);
  }
}
