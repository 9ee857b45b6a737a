/**
 * The full agent transcript in Blob storage: one JSON blob per processed event (event + decision),
 * named from the orchestration time and the event id, so a retried write overwrites itself.
 */
import type { ContainerClient } from '@azure/storage-blob';
import { z } from 'zod';
import { DecideOutputSchema, EventEnvelopeSchema } from '../domain/index.js';
import { ensureContainer } from './storage-clients.js';

export const TranscriptRecordSchema = z.object({ agentId: z.string(), at: z.string(), event: EventEnvelopeSchema, decision: DecideOutputSchema });
export type TranscriptRecord = z.infer<typeof TranscriptRecordSchema>;

export interface TranscriptStore {
  /** Writes the record and returns its pointer (the blob name). */
  append(record: TranscriptRecord): Promise<string>;
  read(ref: string): Promise<TranscriptRecord | undefined>;
  list(agentId: string, options?: { max?: number }): Promise<string[]>;
}

/** `<agentId>/<yyyy>/<mm>/<dd>/<ISO time>-<event id>.json`: listing an agent's prefix returns time order. */
export function transcriptBlobName(agentId: string, at: string, eventId: string): string {
  const [date] = at.split('T');
  const [y, m, d] = (date ?? '0000-00-00').split('-');
  return `${agentId}/${y}/${m}/${d}/${at.replace(/:/g, '')}-${encodeURIComponent(eventId)}.json`;
}

export class BlobTranscriptStore implements TranscriptStore {
  private readonly ready: () => Promise<void>;

  constructor(private readonly container: ContainerClient) {
    this.ready = ensureContainer(container);
  }

  async append(record: TranscriptRecord): Promise<string> {
    await this.ready();
    const name = transcriptBlobName(record.agentId, record.at, record.event.id);
    const body = JSON.stringify(record);
    await this.container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), { blobHTTPHeaders: { blobContentType: 'application/json' } });
    return name;
  }

  async read(ref: string): Promise<TranscriptRecord | undefined> {
    await this.ready();
    try {
      const buffer = await this.container.getBlockBlobClient(ref).downloadToBuffer();
      return TranscriptRecordSchema.parse(JSON.parse(buffer.toString('utf8')));
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
  }

  async list(agentId: string, options: { max?: number } = {}): Promise<string[]> {
    await this.ready();
    const names: string[] = [];
    for await (const blob of this.container.listBlobsFlat({ prefix: `${agentId}/` })) {
      names.push(blob.name);
      if (options.max !== undefined && names.length >= options.max) break;
    }
    return names;
  }
}
