/**
 * Registers the Azure Storage `blob` and `table` input and output bindings and the `blobTrigger`.
 * It checks every such binding's app settings and connection at start-up, so a missing one stops
 * the host rather than failing each invocation. The service it returns runs the blob trigger
 * listeners; without blob-triggered functions there is none.
 */
import type { HostContext, HostService, HostServiceFactory } from '../host-services.js';
import { QueueWatcher } from '../triggers/queue-watcher.js';
import { BindingTargets } from './binding-targets.js';
import { BlobBindings, type PreparedBlob } from './blob-bindings.js';
import { blobTriggerService } from './blob-trigger-service.js';
import { BindingStorageClients } from './storage-clients.js';
import { TableBindings, type PreparedTable } from './table-bindings.js';

export const BLOB_BINDING = 'blob';
export const TABLE_BINDING = 'table';

export const storageBindingsService: HostServiceFactory = (ctx: HostContext): HostService | undefined => {
  const targets = new BindingTargets(ctx);
  const clients = new BindingStorageClients();
  // Keyed wake-ups by account and container (the queue watcher is keyed the same way).
  const watcher = new QueueWatcher();
  const blobs = new BlobBindings(targets, clients, (storage, container) => watcher.notify(storage.endpoints.blob, container));
  const tables = new TableBindings(targets, clients);

  ctx.extensions.addInput(BLOB_BINDING, (c) => blobs.read(c));
  ctx.extensions.addOutput<PreparedBlob>(BLOB_BINDING, (c) => blobs.write(c.prepared, c.data), (c) => blobs.prepare(c));
  ctx.extensions.addInput(TABLE_BINDING, (c) => tables.read(c));
  ctx.extensions.addOutput<PreparedTable>(TABLE_BINDING, (c) => tables.write(c.prepared, c.data), (c) => tables.prepare(c));

  for (const fn of ctx.registry.all()) {
    for (const [name, b] of Object.entries(fn.metadata.bindings)) {
      const type = String(b.type ?? '').toLowerCase();
      if (name !== fn.triggerBindingName && (type === BLOB_BINDING || type === TABLE_BINDING)) targets.of(fn, name, b);
    }
  }
  return blobTriggerService(ctx, clients, watcher);
};
