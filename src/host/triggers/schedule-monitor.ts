/**
 * Persists timer schedule status where the Functions host does: blob container
 * `azure-webjobs-hosts`, blob `timers/<hostId>/<timerName>/status`, Newtonsoft-style JSON.
 * @see https://github.com/Azure/azure-webjobs-sdk-extensions/blob/dev/src/WebJobs.Extensions/Extensions/Timers/Scheduling/StorageScheduleMonitor.cs
 */
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import type { Logger } from '../log/logger.js';
import { ScheduleStatusWireSchema, toStatusWire, type ScheduleStatus } from './schedule-status.js';

export const HOSTS_CONTAINER = 'azure-webjobs-hosts';

export interface ScheduleMonitor {
  read(timerName: string): Promise<ScheduleStatus | undefined>;
  write(timerName: string, status: ScheduleStatus): Promise<void>;
}

/** The blob name the host uses for one timer's status. */
export function statusBlobName(hostId: string, timerName: string): string {
  return `timers/${hostId}/${timerName}/status`;
}

/**
 * The host's timer name for a function: the script host's declaring type plus the function name
 * (`Host.Functions.<Name>`), which is what Azure puts in the blob path.
 */
export function timerNameOf(functionName: string): string {
  return `Host.Functions.${functionName}`;
}

export class BlobScheduleMonitor implements ScheduleMonitor {
  readonly #container: ContainerClient;
  #created: Promise<unknown> | undefined;

  constructor(
    connectionString: string,
    private readonly hostId: string,
    private readonly log: Logger,
  ) {
    this.#container = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(HOSTS_CONTAINER);
  }

  async read(timerName: string): Promise<ScheduleStatus | undefined> {
    const blob = this.#container.getBlockBlobClient(statusBlobName(this.hostId, timerName));
    let text: string;
    try {
      text = (await blob.downloadToBuffer()).toString('utf8');
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      raw = undefined;
    }
    const parsed = ScheduleStatusWireSchema.safeParse(raw);
    if (!parsed.success) {
      // A status nobody can read is treated as absent, as a fresh timer: better than never running.
      this.log.log('warn', 'timer status blob unreadable; starting fresh', { timerName, blob: blob.name });
      return undefined;
    }
    return parsed.data;
  }

  /** Best effort, as in the host: a failed write is logged and the schedule goes on. */
  async write(timerName: string, status: ScheduleStatus): Promise<void> {
    const blob = this.#container.getBlockBlobClient(statusBlobName(this.hostId, timerName));
    const body = JSON.stringify(toStatusWire(status));
    try {
      this.#created ??= this.#container.createIfNotExists();
      await this.#created;
      await blob.upload(body, Buffer.byteLength(body), { blobHTTPHeaders: { blobContentType: 'application/json' } });
    } catch (err) {
      this.#created = undefined;
      this.log.log('error', 'timer status update failed', { timerName, err });
    }
  }
}
