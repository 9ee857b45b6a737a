/**
 * Blob bindings' values on the wire: what an output binding's typed data writes (strings as UTF-8,
 * bytes as they are, objects as their JSON text, numbers as text), what an input binding hands the
 * worker (bytes, or a string for `dataType: 'string'`, as the host converts for Node; the library
 * then gives a Buffer or the string), and the `container/blob` path.
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-blob-input
 */
import type { RpcTypedData } from '../worker/rpc-types.js';
import { BindingInvocationError } from './binding-expressions.js';

/** The bytes an output value writes; undefined when the value is empty (nothing is written). */
export function blobContentOf(data: RpcTypedData): Buffer | undefined {
  if (typeof data.string === 'string') return Buffer.from(data.string, 'utf8');
  if (typeof data.json === 'string') return Buffer.from(data.json, 'utf8');
  if (data.bytes) return Buffer.from(data.bytes);
  if (data.stream) return Buffer.from(data.stream);
  if (typeof data.int === 'number') return Buffer.from(String(data.int), 'utf8');
  if (typeof data.double === 'number') return Buffer.from(String(data.double), 'utf8');
  return undefined;
}

/** The typed data an input binding sends for a blob's content; `{}` (no value) for a missing blob. */
export function blobInputData(content: Buffer | undefined, dataType: unknown): RpcTypedData {
  if (content === undefined) return {};
  if (typeof dataType === 'string' && dataType.toLowerCase() === 'string') return { string: content.toString('utf8') };
  return { bytes: content };
}

export interface BlobPath {
  container: string;
  blobName: string;
}

/** Splits a resolved `container/name/with/slashes` path, checking the container naming rules. */
export function parseBlobPath(path: string): BlobPath {
  const slash = path.indexOf('/');
  const container = slash === -1 ? path : path.slice(0, slash);
  const blobName = slash === -1 ? '' : path.slice(slash + 1);
  if (blobName === '' || blobName.length > 1024) {
    throw new BindingInvocationError(`Invalid blob path '${path}': it must be 'container/blob', with a blob name of 1 to 1024 characters.`);
  }
  if (!/^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/.test(container) && container !== '$root') {
    throw new BindingInvocationError(`Invalid blob path '${path}': '${container}' is not a valid container name (3-63 lowercase letters, digits and single dashes).`);
  }
  return { container, blobName };
}
