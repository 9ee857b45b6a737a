/**
 * Blob trigger receipts: an empty blob per function, blob and ETag in `azure-webjobs-hosts`, at
 * `blobreceipts/<hostId>/Host.Functions.<Function>/<etag>/<container>/<blob>` as the host lays them
 * out, written once the function has run for that version of the blob. A restart finds the
 * receipt and does not run the function again; a new version (new ETag) has none and runs.
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-blob-trigger#blob-receipts
 */
import type { ContainerClient } from '@azure/storage-blob';

export const RECEIPTS_CONTAINER = 'azure-webjobs-hosts';

export function receiptName(hostId: string, functionName: string, etag: string, container: string, blobName: string): string {
  return `blobreceipts/${hostId}/Host.Functions.${functionName}/${etag.replace(/"/g, '')}/${container}/${blobName}`;
}

export class BlobReceipts {
  #created: Promise<unknown> | undefined;

  constructor(
    private readonly hosts: ContainerClient,
    private readonly hostId: string,
  ) {}

  async has(functionName: string, etag: string, container: string, blobName: string): Promise<boolean> {
    return this.hosts.getBlobClient(receiptName(this.hostId, functionName, etag, container, blobName)).exists();
  }

  async write(functionName: string, etag: string, container: string, blobName: string): Promise<void> {
    this.#created ??= this.hosts.createIfNotExists().catch((err: unknown) => {
      this.#created = undefined;
      throw err;
    });
    await this.#created;
    await this.hosts.getBlockBlobClient(receiptName(this.hostId, functionName, etag, container, blobName)).uploadData(Buffer.alloc(0));
  }
}
