/**
 * The `blobTrigger` listeners of the app's enabled functions (`app.storageBlob`): one container
 * scanner per function, receipts in the host's `azure-webjobs-hosts` container of
 * `AzureWebJobsStorage`, failed blobs retried up to host.json `extensions.queues.maxDequeueCount`
 * times (as the host counts them) before the poison queue.
 */
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { HostStartError } from '../config/host-config-error.js';
import type { HostContext, HostService } from '../host-services.js';
import { isFunctionDisabled, resolveBinding, storageConnectionFor } from '../triggers/binding-settings.js';
import { hostIdFor } from '../triggers/host-id.js';
import { queueOptionsFrom } from '../triggers/queue-options.js';
import type { QueueWatcher } from '../triggers/queue-watcher.js';
import { BindingInvocationError } from './binding-expressions.js';
import { blobTriggerInput } from './blob-trigger-data.js';
import { BlobTriggerListener, type BlobPoisonMessage } from './blob-trigger-listener.js';
import { parseBlobTriggerPattern, type BlobTriggerPattern } from './blob-trigger-pattern.js';
import { BlobReceipts, RECEIPTS_CONTAINER } from './blob-receipts.js';
import type { BindingStorageClients } from './storage-clients.js';

export const BLOB_TRIGGER = 'blobTrigger';
export const BLOB_POISON_QUEUE = 'webjobs-blobtrigger-poison';
/** The host's container scan runs about every 10 seconds when nothing changes. */
const MAX_SCAN_INTERVAL_MS = 10_000;

/** Listeners for the enabled blob-triggered functions; undefined when there are none. */
export function blobTriggerService(ctx: HostContext, clients: BindingStorageClients, watcher: QueueWatcher): HostService | undefined {
  ctx.extensions.addTrigger(BLOB_TRIGGER);
  const functions = ctx.registry.byTriggerType(BLOB_TRIGGER).filter((fn) => !isFunctionDisabled(fn.name, ctx.env));
  if (functions.length === 0) return undefined;
  const log = ctx.log.child({ category: 'blob' });
  const options = queueOptionsFrom(ctx.hostJson);
  const hostBlobs = BlobServiceClient.fromConnectionString(ctx.storage.connectionString);
  const receipts = new BlobReceipts(hostBlobs.getContainerClient(RECEIPTS_CONTAINER), hostIdFor(ctx.appDir, ctx.env));
  const poisonQueue = QueueServiceClient.fromConnectionString(ctx.storage.connectionString).getQueueClient(BLOB_POISON_QUEUE);
  let poisonCreated: Promise<unknown> | undefined;
  const poison = async (message: BlobPoisonMessage) => {
    poisonCreated ??= poisonQueue.createIfNotExists().catch((err: unknown) => {
      poisonCreated = undefined;
      throw err;
    });
    await poisonCreated;
    await poisonQueue.sendMessage(Buffer.from(JSON.stringify(message), 'utf8').toString('base64'));
  };

  const listeners = functions.map((fn) => {
    const binding = resolveBinding(fn.name, fn.triggerBindingName, fn.trigger, ctx.env);
    const storage = storageConnectionFor(fn.name, binding.connection, ctx.env, ctx.storage);
    if (typeof binding.source === 'string' && binding.source.toLowerCase() === 'eventgrid') {
      log.log('warn', "blob trigger source 'EventGrid' is not supported by this host; it scans the container instead", { functionName: fn.name });
    }
    const pattern = patternOf(fn.name, binding.path);
    const listener = new BlobTriggerListener({
      functionName: fn.name,
      pattern,
      container: clients.container(storage, pattern.container),
      receipts,
      maxAttempts: options.maxDequeueCount,
      maxPollingIntervalMs: MAX_SCAN_INTERVAL_MS,
      invoke: (blob) => ctx.runner.run(fn, blobTriggerInput(blob, binding.dataType)),
      poison,
      log,
    });
    watcher.subscribe(storage.endpoints.blob, pattern.container, () => listener.wake());
    return listener;
  });

  return {
    name: 'blob',
    async start() {
      await Promise.all(listeners.map((l) => l.start()));
      log.log('info', 'blob trigger listeners started', { containers: listeners.map((l) => l.containerName) });
    },
    async stop() {
      await Promise.all(listeners.map((l) => l.stop()));
    },
  };
}

function patternOf(functionName: string, path: unknown): BlobTriggerPattern {
  try {
    return parseBlobTriggerPattern(typeof path === 'string' ? path : '');
  } catch (err) {
    if (!(err instanceof BindingInvocationError)) throw err;
    throw new HostStartError(`function '${functionName}': ${err.message}`, 'BLOB_TRIGGER_PATH_INVALID', { cause: err });
  }
}
