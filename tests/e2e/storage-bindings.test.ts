// Proves the blob and table bindings of the local host over real Azurite, on an unmodified
// CommonJS v4 app: blob output then blob input round trips (string, JSON object, Buffer), with
// paths from route values, JSON body properties, query values and {rand-guid}; a missing blob
// reads as no value; table output inserts (a second insert of the same keys fails) and table
// input reads one entity or a filtered partition; a durable activity writes to a path built from
// its input; an expression that cannot be resolved fails the invocation before the function runs.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT, startAos, type AosProcess } from '../support/aos-process.js';
import { waitUntil } from '../support/wait-until.js';
import { DurableHttp } from './durable-support.js';

const APP = path.join(REPO_ROOT, 'tests', 'fixtures', 'apps', 'storage-bindings-app');

describe('storage blob and table bindings', () => {
  const suffix = randomUUID().slice(0, 8);
  const containerName = `bind-${suffix}`;
  const tableName = `People${suffix}`;
  let aos: AosProcess;
  let container: ContainerClient;

  const call = async (method: string, route: string, body?: string | Buffer) => {
    const res = await fetch(`${aos.baseUrl}/api/${route}`, { method, body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body) });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
  };
  const blobText = async (name: string) => (await container.getBlobClient(name).downloadToBuffer()).toString('utf8');
  const blobNames = async (prefix: string) => {
    const names: string[] = [];
    if (!(await container.exists())) return names;
    for await (const b of container.listBlobsFlat({ prefix })) names.push(b.name);
    return names;
  };

  beforeAll(async () => {
    const connectionString = inject('storageConnectionString');
    container = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(containerName);
    aos = await startAos({ app: APP, env: { BlobContainer: containerName, PeopleTable: tableName, StorageConnString: connectionString } });
  });

  afterAll(async () => {
    await aos?.stop();
    await container?.deleteIfExists();
  });

  it('loads blob and table bindings without the "not supported" warning', () => {
    expect(aos.output()).not.toMatch(/binding type not supported/);
  });

  it('writes a string to a path from a route value, creating the container, and reads it back as bytes and as a string', async () => {
    expect((await call('PUT', 'blobs/hello', 'héllo wörld')).status).toBe(201);
    expect(await blobText('text/hello.txt')).toBe('héllo wörld');
    const read = await call('GET', 'blobs/hello');
    expect(read.status).toBe(200);
    expect(read.json()).toEqual({ isBuffer: true, fromBytes: 'héllo wörld', text: 'héllo wörld', textType: 'string' });
  });

  it('reads a missing blob as no value', async () => {
    const read = await call('GET', 'blobs/never-written');
    expect(read.status).toBe(404);
    expect(read.json()).toEqual({ missing: true, text: null });
  });

  it('writes an object as JSON to a path from a JSON body property', async () => {
    expect((await call('POST', 'json', JSON.stringify({ id: 'order-7', total: 3 }))).status).toBe(201);
    expect(JSON.parse(await blobText('json/order-7.json'))).toEqual({ id: 'order-7', total: 3, stored: true });
  });

  it('writes a Buffer as it is to a path from a query value and {rand-guid}', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    expect((await call('POST', 'bytes?prefix=raw', bytes)).status).toBe(201);
    const names = await blobNames('bytes/raw-');
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^bytes\/raw-[0-9a-f-]{36}\.bin$/);
    expect(await container.getBlobClient(names[0] ?? '').downloadToBuffer()).toEqual(bytes);
  });

  it('fails an invocation whose blob path cannot be resolved, before the function runs, writing nothing', async () => {
    const res = await call('POST', 'broken', 'x');
    expect(res.status).toBe(500);
    expect(res.text).toContain("No value for named parameter 'notThere'.");
    expect(aos.output()).not.toContain('BROKEN HANDLER RAN');
    expect(await blobNames('broken/')).toEqual([]);
  });

  it('inserts table entities with the partition key from the route and reads one back by keys', async () => {
    const people = [
      { RowKey: 'ada', Name: 'Ada', Age: 36 },
      { RowKey: 'alan', Name: 'Alan', Age: 41 },
      { RowKey: 'grace', Name: 'Grace', Admiral: true },
    ];
    expect((await call('POST', 'people/red', JSON.stringify(people))).status).toBe(201);
    const ada = await call('GET', 'people/red/ada');
    expect(ada.status).toBe(200);
    expect(ada.json()).toMatchObject({ PartitionKey: 'red', RowKey: 'ada', Name: 'Ada', Age: 36 });
    expect(typeof ada.json().Timestamp).toBe('string');
    expect((await call('GET', 'people/red/nobody')).status).toBe(404);
  });

  it('reads a filtered partition, at most `take` entities', async () => {
    const all = await call('GET', 'teams/red?exclude=Nobody');
    expect((all.json() as unknown as Array<{ RowKey: string }>).map((e) => e.RowKey)).toEqual(['ada', 'alan']);
    const filtered = await call('GET', 'teams/red?exclude=Alan');
    expect((filtered.json() as unknown as Array<{ RowKey: string }>).map((e) => e.RowKey)).toEqual(['ada', 'grace']);
  });

  it('inserts, never replaces: writing an existing entity fails the invocation', async () => {
    const again = await call('POST', 'people/red', JSON.stringify({ RowKey: 'ada', Name: 'Someone else' }));
    expect(again.status).toBe(500);
    expect((await call('GET', 'people/red/ada')).json()).toMatchObject({ Name: 'Ada' });
  });

  it('writes from a durable activity to a blob path built from its input', async () => {
    const durable = new DurableHttp(aos.baseUrl);
    const files = [
      { backupPath: 'site/index.html', content: '<h1>home</h1>' },
      { backupPath: 'site/css/main.css', content: 'body{}' },
    ];
    const id = await durable.start('backupSiteContent', files);
    const status = await durable.waitFor(id);
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toBe(19);
    expect(await blobText('backups/site/index.html')).toBe('<h1>home</h1>');
    expect(await blobText('backups/site/css/main.css')).toBe('body{}');
  });
});

describe('blob trigger', () => {
  const suffix = randomUUID().slice(0, 8);
  const containerName = `trig-${suffix}`;
  let container: ContainerClient;
  let aos: AosProcess | undefined;
  const start = () => startAos({ app: APP, env: { BlobContainer: containerName, PeopleTable: `People${suffix}`, StorageConnString: inject('storageConnectionString') } });
  const processed = async (name: string) => {
    const blob = container.getBlobClient(`processed/${name}.txt`);
    return (await blob.exists()) ? { etag: (await blob.getProperties()).etag, body: JSON.parse((await blob.downloadToBuffer()).toString('utf8')) as Record<string, unknown> } : undefined;
  };
  const upload = (name: string, text: string) => container.getBlockBlobClient(`uploads/${name}.txt`).uploadData(Buffer.from(text));

  beforeAll(async () => {
    container = BlobServiceClient.fromConnectionString(inject('storageConnectionString')).getContainerClient(containerName);
    await container.createIfNotExists();
    aos = await start();
  });

  afterAll(async () => {
    await aos?.stop();
    await container?.deleteIfExists();
  });

  it('runs the function once for a new blob matching the pattern, with the captured name', async () => {
    await upload('first', 'hello');
    await container.getBlockBlobClient('elsewhere/first.txt').uploadData(Buffer.from('not matched'));
    const out = await waitUntil(() => processed('first'), { timeoutMs: 20_000, describe: 'processed/first.txt was written' });
    expect(out.body).toEqual({ text: 'HELLO', isBuffer: true, name: 'first', blobTrigger: `${containerName}/uploads/first.txt` });
    expect(aos?.output()).toContain(`onUpload ran for ${containerName}/uploads/first.txt`);
  });

  it('runs again for a changed blob, and not again after a restart (receipts)', async () => {
    await upload('first', 'changed');
    const changed = await waitUntil(async () => {
      const p = await processed('first');
      return p?.body.text === 'CHANGED' ? p : undefined;
    }, { timeoutMs: 20_000, describe: 'processed/first.txt has the changed text' });

    await aos?.stop();
    aos = await start();
    // Blobs are scanned in name order, so once `uploads/second` is processed `uploads/first` was passed over.
    await upload('second', 'two');
    await waitUntil(() => processed('second'), { timeoutMs: 20_000, describe: 'processed/second.txt was written after the restart' });
    expect((await processed('first'))?.etag).toBe(changed.etag);
    expect(aos.output()).toContain(`onUpload ran for ${containerName}/uploads/second.txt`);
    expect(aos.output()).not.toContain(`onUpload ran for ${containerName}/uploads/first.txt`);
  });

  it('sends a blob that keeps failing to the poison queue after maxDequeueCount (5) attempts, once', async () => {
    const poison = QueueServiceClient.fromConnectionString(inject('storageConnectionString')).getQueueClient('webjobs-blobtrigger-poison');
    await upload('bad', 'fail always');
    const message = await waitUntil(
      async () => {
        if (!(await poison.exists())) return undefined;
        const peeked = await poison.peekMessages({ numberOfMessages: 32 });
        return peeked.peekedMessageItems
          .map((m) => JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as Record<string, unknown>)
          .find((m) => m.ContainerName === containerName);
      },
      { timeoutMs: 30_000, describe: 'a poison message for uploads/bad.txt' },
    );
    expect(message).toMatchObject({ Type: 'BlobTrigger', FunctionId: 'Host.Functions.onUpload', ContainerName: containerName, BlobName: 'uploads/bad.txt' });
    // Each run logs this line once; the receipt written with the poison message stops further runs.
    const runs = (aos?.output() ?? '').split(`onUpload ran for ${containerName}/uploads/bad.txt`).length - 1;
    expect(runs).toBe(5);
  });
});
