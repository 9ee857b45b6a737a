import { describe, expect, it } from 'vitest';
import { bindingDataFor } from './binding-data.js';
import { resolveTemplate } from './binding-expressions.js';
import { receiptName } from './blob-receipts.js';
import { blobTriggerInput } from './blob-trigger-data.js';

const blob = {
  container: 'samples',
  name: 'in/report.csv',
  url: 'http://127.0.0.1:10000/devstoreaccount1/samples/in/report.csv',
  content: Buffer.from('a,b'),
  properties: { ContentLength: 3 },
  metadata: { owner: 'me' },
  captures: { name: 'report' },
};

describe('blobTriggerInput', () => {
  it('sends the content as bytes, or a string for dataType string, with the host metadata', () => {
    const input = blobTriggerInput(blob, undefined);
    expect(input.triggerData).toEqual({ bytes: Buffer.from('a,b') });
    expect(blobTriggerInput(blob, 'string').triggerData).toEqual({ string: 'a,b' });
    expect(input.triggerMetadata).toEqual({
      name: { string: 'report' },
      BlobTrigger: { string: 'samples/in/report.csv' },
      Uri: { string: blob.url },
      Properties: { json: '{"ContentLength":3}' },
      Metadata: { json: '{"owner":"me"}' },
    });
  });

  it('gives other bindings the captured names and the path as binding data', () => {
    const data = bindingDataFor({ name: 'f' }, blobTriggerInput(blob, undefined));
    expect(resolveTemplate('out/{name}-{metadata.owner}/{blobTrigger}', data)).toBe('out/report-me/samples/in/report.csv');
  });
});

describe('receiptName', () => {
  it("lays receipts out as the host does, per host, function, ETag and blob", () => {
    expect(receiptName('myhost', 'onUpload', '"0x8DABC"', 'samples', 'in/report.csv')).toBe('blobreceipts/myhost/Host.Functions.onUpload/0x8DABC/samples/in/report.csv');
  });
});
