/**
 * Columns too large for a table property go, gzip-compressed, to a blob in `<hub>-largemessages`
 * (DTFx `MessageManager`): the column is left `""` with `<Col>BlobName` naming the blob, or, for
 * Instances Input/Output, holds the blob's absolute URL. Readers fetch them back transparently.
 * @see taskhub-layout.md section 5.2
 */
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { ContainerClient } from '@azure/storage-blob';
import type { Columns } from '../wire/table-columns.js';
import { statusOf } from './errors.js';
import type { RequestCounter } from './storage-clients.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** DTFx `MaxTablePropertySizeInBytes` is 60 KiB of UTF-16, i.e. 30,720 characters. */
export const MAX_INLINE_CHARS = 30_720;
const BLOB_NAME_SUFFIX = 'BlobName';

export class LargeValues {
  readonly #container: ContainerClient;
  readonly #counter: RequestCounter;
  readonly #urlPrefix: string;

  constructor(container: ContainerClient, counter: RequestCounter) {
    this.#container = container;
    this.#counter = counter;
    this.#urlPrefix = `${container.url.replace(/\/+$/, '')}/`;
  }

  /**
   * Move every string column over {@link MAX_INLINE_CHARS} to a blob.
   * @param blobName name for a column's blob (DTFx: `{escapedId}/history-{RowKey}-{EventType}-{rand}-{Col}.json.gz`).
   * @param urlColumns columns that hold the blob URL instead of `""` + `<Col>BlobName` (Instances Input/Output).
   */
  async offload(columns: Columns, blobName: (column: string, random: string) => string, urlColumns: ReadonlySet<string> = new Set()): Promise<Columns> {
    const large = Object.entries(columns).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].length > MAX_INLINE_CHARS);
    if (large.length === 0) return columns;
    const out: Columns = { ...columns };
    await Promise.all(
      large.map(async ([column, value]) => {
        const name = blobName(column, randomBytes(4).toString('hex').toUpperCase());
        const blob = this.#container.getBlockBlobClient(name);
        this.#counter.add(1, 'blob');
        await blob.uploadData(await gzipAsync(Buffer.from(value, 'utf8')), { blobHTTPHeaders: { blobContentType: 'application/octet-stream' } });
        if (urlColumns.has(column)) {
          out[column] = blob.url;
        } else {
          out[column] = '';
          out[`${column}${BLOB_NAME_SUFFIX}`] = name;
        }
      }),
    );
    return out;
  }

  /**
   * Replace `<Col>BlobName` columns (and URL-valued `urlColumns`) of a row read from a table with
   * the blob contents. Returns a copy; the `<Col>BlobName` columns are removed.
   */
  async resolve<T extends Record<string, unknown>>(row: T, urlColumns: readonly string[] = []): Promise<T> {
    const fetches: Promise<void>[] = [];
    const out: Record<string, unknown> = { ...row };
    for (const [key, value] of Object.entries(row)) {
      if (key.endsWith(BLOB_NAME_SUFFIX) && typeof value === 'string' && value !== '') {
        const column = key.slice(0, -BLOB_NAME_SUFFIX.length);
        delete out[key];
        fetches.push(this.#read(value).then((text) => void (out[column] = text ?? '')));
      }
    }
    for (const column of urlColumns) {
      const name = this.blobNameOfUrl(row[column]);
      if (name !== undefined) fetches.push(this.#read(name).then((text) => void (text !== undefined && (out[column] = text))));
    }
    await Promise.all(fetches);
    return out as T;
  }

  /** The blob name when `value` is a URL into our large-message container. */
  blobNameOfUrl(value: unknown): string | undefined {
    if (typeof value !== 'string' || !value.startsWith(this.#urlPrefix)) return undefined;
    return value
      .slice(this.#urlPrefix.length)
      .split('/')
      .map((segment) => decodeURIComponent(segment))
      .join('/');
  }

  /** Delete every blob whose name starts with `prefix` (an instance's blobs: `{escapedId}/`). */
  async deletePrefix(prefix: string): Promise<number> {
    let deleted = 0;
    const pages = this.#container.listBlobsFlat({ prefix }).byPage({ maxPageSize: 500 });
    for (;;) {
      const page = await pages.next();
      if (page.done) break;
      this.#counter.add(1, 'blob');
      const names = page.value.segment.blobItems.map((b) => b.name);
      await Promise.all(
        names.map(async (name) => {
          this.#counter.add(1, 'blob');
          await this.#container.deleteBlob(name).catch((err: unknown) => {
            if (statusOf(err) !== 404) throw err;
          });
        }),
      );
      deleted += names.length;
    }
    return deleted;
  }

  /** Gunzipped UTF-8 text of a blob, or undefined when it is gone (a purge raced the read). */
  async #read(name: string): Promise<string | undefined> {
    this.#counter.add(1, 'blob');
    try {
      const response = await this.#container.getBlobClient(name).download(0);
      const chunks: Buffer[] = [];
      for await (const chunk of response.readableStreamBody ?? []) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
      return (await gunzipAsync(Buffer.concat(chunks))).toString('utf8');
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }
}
