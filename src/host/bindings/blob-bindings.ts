/**
 * The `blob` input and output bindings (`input.storageBlob`, `output.storageBlob`): the input
 * reads the blob at `path` before the function runs (a missing blob gives no value); the output's
 * path is resolved before the function runs and the value it sets is uploaded after, replacing
 * any blob there, its container created when missing.
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-blob-output
 */
import { RestError } from '@azure/storage-blob';
import type { InputBindingContext } from '../worker/binding-extensions.js';
import type { RpcTypedData } from '../worker/rpc-types.js';
import { blobContentOf, blobInputData, parseBlobPath, type BlobPath } from './blob-content.js';
import { BindingInvocationError } from './binding-expressions.js';
import { templateProperty, type BindingTarget, type BindingTargets } from './binding-targets.js';
import type { BindingStorageClients } from './storage-clients.js';

export interface PreparedBlob {
  target: BindingTarget;
  path: BlobPath;
}

export class BlobBindings {
  constructor(
    private readonly targets: BindingTargets,
    private readonly clients: BindingStorageClients,
    /** Told about every blob written, so a blob trigger of this host on that container scans at once. */
    private readonly onWritten: (storage: BindingTarget['storage'], container: string) => void = () => undefined,
  ) {}

  /** The blob's path for this invocation; an expression with no value fails the invocation. */
  prepare(ctx: InputBindingContext): PreparedBlob {
    const target = this.targets.of(ctx.fn, ctx.bindingName, ctx.binding);
    const path = templateProperty(target, 'path', ctx.bindingData);
    if (path === undefined) throw new BindingInvocationError(`blob binding '${ctx.bindingName}' has no path`);
    return { target, path: parseBlobPath(path) };
  }

  async read(ctx: InputBindingContext): Promise<RpcTypedData> {
    const { target, path } = this.prepare(ctx);
    const blob = this.clients.container(target.storage, path.container).getBlobClient(path.blobName);
    try {
      return blobInputData(await blob.downloadToBuffer(), target.binding.dataType);
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 404) return blobInputData(undefined, target.binding.dataType);
      throw err;
    }
  }

  async write(prepared: PreparedBlob, data: RpcTypedData): Promise<void> {
    const content = blobContentOf(data);
    if (content === undefined) return;
    const { target, path } = prepared;
    const container = this.clients.container(target.storage, path.container);
    await this.clients.ensure('container', target.storage, path.container, () => container.createIfNotExists());
    const blob = container.getBlockBlobClient(path.blobName);
    try {
      await blob.uploadData(content);
    } catch (err) {
      if (!(err instanceof RestError && err.statusCode === 404)) throw err;
      // The container went away while the host ran: create it again and retry once.
      this.clients.forget('container', target.storage, path.container);
      await container.createIfNotExists();
      await blob.uploadData(content);
    }
    this.onWritten(target.storage, path.container);
  }
}
