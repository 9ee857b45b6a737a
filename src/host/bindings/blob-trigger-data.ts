/**
 * The trigger value and metadata for one blob: its content as bytes (the Node worker always gets a
 * Buffer for blob triggers) or a string for `dataType: 'string'`, and `BlobTrigger` (the path),
 * `Uri`, `Properties`, `Metadata` and the values the path pattern captured.
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-blob-trigger#metadata
 */
import type { RpcTypedData } from '../worker/rpc-types.js';
import { blobInputData } from './blob-content.js';

export interface TriggeredBlob {
  container: string;
  name: string;
  url: string;
  content: Buffer;
  properties: Record<string, unknown>;
  metadata: Record<string, string>;
  captures: Record<string, string>;
}

export function blobTriggerInput(blob: TriggeredBlob, dataType: unknown): { triggerData: RpcTypedData; triggerMetadata: Record<string, RpcTypedData> } {
  const triggerMetadata: Record<string, RpcTypedData> = {};
  for (const [k, v] of Object.entries(blob.captures)) triggerMetadata[k] = { string: v };
  triggerMetadata.BlobTrigger = { string: `${blob.container}/${blob.name}` };
  triggerMetadata.Uri = { string: blob.url };
  triggerMetadata.Properties = { json: JSON.stringify(blob.properties) };
  triggerMetadata.Metadata = { json: JSON.stringify(blob.metadata) };
  return { triggerData: blobInputData(blob.content, dataType), triggerMetadata };
}
