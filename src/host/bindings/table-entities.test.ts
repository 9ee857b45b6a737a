import { describe, expect, it } from 'vitest';
import { entitiesToWrite, entityToJson, tableQueryFilter, validTableName } from './table-entities.js';

describe('entitiesToWrite', () => {
  it("takes one entity or an array; the entity's keys win over the binding's", () => {
    expect(entitiesToWrite({ PartitionKey: 'p', RowKey: 'r', Name: 'n', n: 1 }, {})).toEqual([{ partitionKey: 'p', rowKey: 'r', Name: 'n', n: 1 }]);
    expect(entitiesToWrite([{ rowKey: 'a' }, { RowKey: 'b', partitionKey: 'own' }], { partitionKey: 'bound', rowKey: 'x' })).toEqual([
      { partitionKey: 'bound', rowKey: 'a' },
      { partitionKey: 'own', rowKey: 'b' },
    ]);
  });

  it('fills keys from the binding and drops what the service owns', () => {
    expect(entitiesToWrite({ v: true, Timestamp: 'x', 'odata.etag': 'e' }, { partitionKey: 'p', rowKey: 'r' })).toEqual([{ partitionKey: 'p', rowKey: 'r', v: true }]);
  });

  it('refuses entities without keys, with bad keys, nested values, or non-objects', () => {
    expect(() => entitiesToWrite({ RowKey: 'r' }, {})).toThrow(/no PartitionKey/);
    expect(() => entitiesToWrite({ PartitionKey: 'a/b', RowKey: 'r' }, {})).toThrow(/PartitionKey 'a\/b' is not valid/);
    expect(() => entitiesToWrite({ PartitionKey: 'p', RowKey: 'r', nested: { a: 1 } }, {})).toThrow(/'nested' is an object or array/);
    expect(() => entitiesToWrite('text', { partitionKey: 'p', rowKey: 'r' })).toThrow(/must be an object/);
  });
});

describe('entityToJson', () => {
  it("shapes an SDK entity as the extension's JSON", () => {
    const ts = new Date('2026-01-02T03:04:05.000Z');
    const json = entityToJson({ etag: 'W/"1"', partitionKey: 'p', rowKey: 'r', timestamp: ts, Name: 'n', Big: { value: '12', type: 'Int64' }, Bin: new Uint8Array([1, 2]) });
    expect(json).toEqual({ 'odata.etag': 'W/"1"', PartitionKey: 'p', RowKey: 'r', Timestamp: ts, Name: 'n', Big: 12, Bin: 'AQI=' });
  });
});

describe('tableQueryFilter', () => {
  it('joins the partition key and the filter as the extension does', () => {
    expect(tableQueryFilter('p', undefined)).toBe("PartitionKey eq 'p'");
    expect(tableQueryFilter("o'k", 'n gt 1')).toBe("PartitionKey eq 'o''k' and n gt 1");
    expect(tableQueryFilter(undefined, 'n gt 1')).toBe('n gt 1');
    expect(tableQueryFilter(undefined, ' ')).toBeUndefined();
  });
});

describe('validTableName', () => {
  it('accepts 3-63 letters and digits starting with a letter', () => {
    expect(validTableName('Orders2026')).toBe('Orders2026');
    expect(() => validTableName('2x')).toThrow(/not a valid table name/);
    expect(() => validTableName('my-table')).toThrow(/not a valid table name/);
  });
});
