/** Builds and reads `RpcTypedData`, the worker's tagged value, on the host side. */
import type { RpcTypedData } from './rpc-types.js';

export function stringData(value: string): RpcTypedData {
  return { string: value };
}

export function jsonData(value: unknown): RpcTypedData {
  return { json: JSON.stringify(value) };
}

export function bytesData(value: Uint8Array): RpcTypedData {
  return { bytes: value };
}

/**
 * The value a function returned, as the Functions host would hand it to an extension:
 * `json` parsed, `string` as is, bytes as a Buffer, numbers as numbers.
 */
export function readTypedData(data: RpcTypedData | null | undefined): unknown {
  if (!data) return undefined;
  if (data.json !== undefined && data.json !== null) return JSON.parse(data.json);
  if (data.string !== undefined && data.string !== null) return data.string;
  if (data.bytes) return Buffer.from(data.bytes);
  if (data.stream) return Buffer.from(data.stream);
  if (data.int !== undefined && data.int !== null) return Number(data.int);
  if (data.double !== undefined && data.double !== null) return data.double;
  if (data.collectionString?.string) return data.collectionString.string;
  if (data.collectionDouble?.double) return data.collectionDouble.double;
  if (data.collectionSint64?.sint64) return data.collectionSint64.sint64.map(Number);
  if (data.collectionBytes?.bytes) return data.collectionBytes.bytes.map((b) => Buffer.from(b));
  return undefined;
}
