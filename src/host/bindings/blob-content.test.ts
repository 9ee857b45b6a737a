import { describe, expect, it } from 'vitest';
import { blobContentOf, blobInputData, parseBlobPath } from './blob-content.js';

describe('blobContentOf', () => {
  it('writes strings as UTF-8, bytes as they are, objects as their JSON text and numbers as text', () => {
    expect(blobContentOf({ string: 'héllo' })?.toString('utf8')).toBe('héllo');
    expect(blobContentOf({ bytes: new Uint8Array([0, 255, 1]) })).toEqual(Buffer.from([0, 255, 1]));
    expect(blobContentOf({ json: '{"a":1}' })?.toString('utf8')).toBe('{"a":1}');
    expect(blobContentOf({ int: 42 })?.toString('utf8')).toBe('42');
    expect(blobContentOf({ double: 2.5 })?.toString('utf8')).toBe('2.5');
    expect(blobContentOf({})).toBeUndefined();
  });
});

describe('blobInputData', () => {
  it('sends bytes by default and a string for dataType string; a missing blob sends no value', () => {
    expect(blobInputData(Buffer.from('x'), undefined)).toEqual({ bytes: Buffer.from('x') });
    expect(blobInputData(Buffer.from('x'), 'binary')).toEqual({ bytes: Buffer.from('x') });
    expect(blobInputData(Buffer.from('x'), 'String')).toEqual({ string: 'x' });
    expect(blobInputData(undefined, 'string')).toEqual({});
  });
});

describe('parseBlobPath', () => {
  it('splits the container from a blob name that may hold slashes', () => {
    expect(parseBlobPath('backups/site/a.txt')).toEqual({ container: 'backups', blobName: 'site/a.txt' });
  });

  it('rejects a path without a blob name or with an invalid container', () => {
    expect(() => parseBlobPath('backups')).toThrow(/must be 'container\/blob'/);
    expect(() => parseBlobPath('backups/')).toThrow(/must be 'container\/blob'/);
    expect(() => parseBlobPath('Back_ups/x')).toThrow(/not a valid container name/);
    expect(() => parseBlobPath('a--b/x')).toThrow(/not a valid container name/);
  });
});
