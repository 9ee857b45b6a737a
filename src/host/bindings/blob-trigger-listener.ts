/**
 * Runs one blob-triggered function over its container, as the host's container scan does: list the
 * blobs matching the path pattern, run the function once for each new or changed blob (a version
 * is its ETag), and write a receipt after it succeeded, so neither this run nor a restart runs it
 * again. A failed blob is tried again on later scans; after `maxAttempts` failures it goes to the
 * `webjobs-blobtrigger-poison` queue and gets a receipt. Scans back off like the queue listener's
 * polls (at once while blobs come, then up to `maxPollingIntervalMs`) and run at once on `wake()`.
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-blob-trigger#poison-blobs
 */
import type { ContainerClient } from '@azure/storage-blob';
import type { Logger } from '../log/logger.js';
import { nextPollDelay } from '../triggers/poll-backoff.js';
import type { TriggeredBlob } from './blob-trigger-data.js';
import type { BlobTriggerPattern } from './blob-trigger-pattern.js';
import type { BlobReceipts } from './blob-receipts.js';
import { WakeableSleep } from '../triggers/wakeable-sleep.js';

export interface BlobPoisonMessage {
  Type: 'BlobTrigger';
  FunctionId: string;
  BlobType: string;
  ContainerName: string;
  BlobName: string;
  ETag: string;
}

export interface BlobTriggerListenerOptions {
  functionName: string;
  pattern: BlobTriggerPattern;
  container: ContainerClient;
  receipts: BlobReceipts;
  maxAttempts: number;
  maxPollingIntervalMs: number;
  /** Runs the function for one blob; rejects when the invocation fails. */
  invoke(blob: TriggeredBlob): Promise<unknown>;
  poison(message: BlobPoisonMessage): Promise<void>;
  log: Logger;
}

export class BlobTriggerListener {
  readonly #o: BlobTriggerListenerOptions;
  /** The ETag each blob name was last settled (receipted) at, so a scan skips it without a request. */
  readonly #settled = new Map<string, string>();
  readonly #failures = new Map<string, number>();
  #loop: Promise<void> | undefined;
  #stopped = false;
  #delayMs = 0;
  readonly #pause = new WakeableSleep();

  constructor(options: BlobTriggerListenerOptions) {
    this.#o = options;
  }

  get containerName(): string {
    return this.#o.pattern.container;
  }

  async start(): Promise<void> {
    this.#loop = this.#scanLoop();
  }

  /** Scan now: a blob was just written to this container from inside the host. */
  wake(): void {
    this.#delayMs = 0;
    this.#pause.wake();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#pause.wake();
    await this.#loop;
  }

  async #scanLoop(): Promise<void> {
    while (!this.#stopped) {
      let ran = false;
      try {
        ran = await this.#scan();
      } catch (err) {
        if (!this.#stopped) this.#o.log.log('warn', 'blob container scan failed', { functionName: this.#o.functionName, container: this.containerName, err });
      }
      this.#delayMs = nextPollDelay(this.#delayMs, ran, this.#o.maxPollingIntervalMs);
      if (this.#delayMs > 0 && !this.#stopped) await this.#pause.sleep(this.#delayMs);
    }
  }

  /** One pass over the container; true when the function ran for some blob. */
  async #scan(): Promise<boolean> {
    const { pattern, container } = this.#o;
    if (!(await container.exists())) return false;
    let ran = false;
    for await (const item of container.listBlobsFlat({ prefix: pattern.prefix })) {
      if (this.#stopped) break;
      const captures = pattern.match(item.name);
      const etag = item.properties.etag ?? '';
      if (!captures || this.#settled.get(item.name) === etag) continue;
      if (await this.#o.receipts.has(this.#o.functionName, etag, pattern.container, item.name)) {
        this.#settled.set(item.name, etag);
        continue;
      }
      if (await this.#process(item.name, captures)) ran = true;
    }
    return ran;
  }

  /** True when the function ran and succeeded; a failure lets the scans back off before the next attempt. */
  async #process(name: string, captures: Record<string, string>): Promise<boolean> {
    const { functionName, pattern, container } = this.#o;
    const client = container.getBlobClient(name);
    let blob: TriggeredBlob;
    let etag: string;
    try {
      const res = await client.download(0);
      etag = res.etag ?? '';
      blob = {
        container: pattern.container,
        name,
        url: client.url,
        content: await streamToBuffer(res.readableStreamBody),
        properties: { BlobType: res.blobType ?? 'BlockBlob', ContentType: res.contentType, ContentLength: res.contentLength, ETag: res.etag, LastModified: res.lastModified?.toISOString() },
        metadata: res.metadata ?? {},
        captures,
      };
    } catch (err) {
      // Deleted between the listing and the download: nothing to run.
      if ((err as { statusCode?: number }).statusCode === 404) return false;
      throw err;
    }
    const key = `${name}\n${etag}`;
    let succeeded = true;
    try {
      await this.#o.invoke(blob);
    } catch (err) {
      succeeded = false;
      const attempts = (this.#failures.get(key) ?? 0) + 1;
      this.#failures.set(key, attempts);
      this.#o.log.log('error', 'blob function failed', { functionName, blob: `${pattern.container}/${name}`, attempt: attempts, err });
      if (attempts < this.#o.maxAttempts) return false;
      this.#o.log.log('warn', 'blob failed maxDequeueCount times; sending it to the poison queue', { functionName, blob: `${pattern.container}/${name}`, poisonQueue: 'webjobs-blobtrigger-poison' });
      await this.#o.poison({ Type: 'BlobTrigger', FunctionId: `Host.Functions.${functionName}`, BlobType: 'BlockBlob', ContainerName: pattern.container, BlobName: name, ETag: etag });
    }
    this.#failures.delete(key);
    await this.#o.receipts.write(functionName, etag, pattern.container, name);
    this.#settled.set(name, etag);
    return succeeded;
  }

}

async function streamToBuffer(stream: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  if (!stream) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
