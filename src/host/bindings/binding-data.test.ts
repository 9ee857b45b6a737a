import { describe, expect, it } from 'vitest';
import { queueTriggerInput } from '../triggers/queue-trigger-data.js';
import { bindingDataFor } from './binding-data.js';
import { resolveTemplate } from './binding-expressions.js';

const fn = { name: 'myFunction' };
const NOW = new Date('2026-01-02T03:04:05Z');

describe('bindingDataFor', () => {
  it('HTTP: JSON body properties, then query values, then route values (route wins)', () => {
    const data = bindingDataFor(fn, {
      triggerData: { http: { body: { bytes: Buffer.from(JSON.stringify({ name: 'body', only: 'b', id: 'body-id' })) }, query: { name: 'query', q: 'qv' }, params: { id: 'route-id', name: 'query' } } },
      triggerMetadata: { id: { string: 'route-id' }, Query: { json: JSON.stringify({ name: 'query', q: 'qv' }) } },
    });
    expect(resolveTemplate('{only}/{name}/{id}/{q}/{Query.q}', data)).toBe('b/query/route-id/qv/qv');
  });

  it('HTTP: a body that is not a JSON object adds nothing', () => {
    const data = bindingDataFor(fn, { triggerData: { http: { body: { bytes: Buffer.from('[1,2]') }, params: {} } } });
    expect(() => resolveTemplate('{0}', data)).toThrow();
    expect(data.has('length')).toBe(false);
  });

  it("queue: the message's metadata and its JSON properties (metadata wins)", () => {
    const message = { messageId: 'm-1', dequeueCount: 2, insertedOn: NOW, expiresOn: NOW, nextVisibleOn: NOW, popReceipt: 'pr', messageText: '' };
    const input = queueTriggerInput('q', message, JSON.stringify({ customer: 'c-9', id: 'body-id' }), undefined, NOW);
    const data = bindingDataFor(fn, input, NOW);
    expect(resolveTemplate('{queueTrigger}', data)).toBe('{"customer":"c-9","id":"body-id"}');
    expect(resolveTemplate('{customer}/{id}/{dequeueCount}', data)).toBe('c-9/m-1/2');
  });

  it("durable activity: the input object's top-level properties and the instance id", () => {
    const data = bindingDataFor(fn, { triggerData: { string: JSON.stringify({ backupPath: 'site/a.txt', nested: { k: 'v' } }) }, triggerMetadata: { instanceId: { string: 'i-1' } } });
    expect(resolveTemplate('backups/{backupPath}/{nested.k}/{instanceId}', data)).toBe('backups/site/a.txt/v/i-1');
  });

  it('an activity whose input is a string has only the instance id', () => {
    const data = bindingDataFor(fn, { triggerData: { string: JSON.stringify('hello') } });
    expect(() => resolveTemplate('{hello}', data)).toThrow("No value for named parameter 'hello'.");
  });

  it('sys: method name, the invocation time and one GUID per invocation', () => {
    const data = bindingDataFor(fn, {}, NOW);
    expect(resolveTemplate('{sys.methodname}/{sys.utcnow}', data)).toBe('myFunction/2026-01-02T03-04-05Z');
    expect(resolveTemplate('{sys.randguid}', data)).toBe(resolveTemplate('{sys.randguid}', data));
    expect(resolveTemplate('{sys.randguid}', data)).not.toBe(resolveTemplate('{sys.randguid}', bindingDataFor(fn, {}, NOW)));
  });
});
