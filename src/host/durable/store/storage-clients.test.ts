import { describe, expect, it } from 'vitest';
import { RequestCounter, tableRequestKind } from './storage-clients.js';

const base = 'http://127.0.0.1:10002/devstoreaccount1';

describe('storage request kinds', () => {
  it('tells point reads from queries, and names batches and writes', () => {
    expect(tableRequestKind('GET', `${base}/HubHistory(PartitionKey='agent-a1',RowKey='sentinel')`)).toBe('get');
    expect(tableRequestKind('GET', `${base}/HubHistory(PartitionKey='a%27b',RowKey='0000000000000001')`)).toBe('get');
    expect(tableRequestKind('GET', `${base}/HubHistory()?$filter=PartitionKey%20eq%20'x'`)).toBe('query');
    expect(tableRequestKind('GET', `${base}/HubWork?$select=PartitionKey,RowKey`)).toBe('query');
    expect(tableRequestKind('POST', `${base}/$batch`)).toBe('batch');
    expect(tableRequestKind('POST', `${base}/Tables`)).toBe('createTable');
    expect(tableRequestKind('POST', `${base}/HubInstances`)).toBe('insert');
    expect(tableRequestKind('PUT', `${base}/HubInstances(PartitionKey='x',RowKey='')`)).toBe('put');
    expect(tableRequestKind('PATCH', `${base}/HubInstances(PartitionKey='x',RowKey='')`)).toBe('merge');
    expect(tableRequestKind('DELETE', `${base}/HubWork(PartitionKey='x',RowKey='m-1')`)).toBe('delete');
  });

  it('counts in total and by kind, largest first', () => {
    const counter = new RequestCounter();
    counter.add(1, 'History.get');
    counter.add(3, 'Work.batch');
    counter.add();
    expect(counter.count).toBe(5);
    expect(counter.kindsText()).toBe('Work.batch:3;History.get:1;blob:1');
  });
});
