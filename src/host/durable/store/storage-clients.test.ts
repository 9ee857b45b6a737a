import { describe, expect, it } from 'vitest';
import { RequestCounter, tableRequestKind } from './storage-clients.js';

describe('tableRequestKind', () => {
  const base = 'http://127.0.0.1:10002/devstoreaccount1';
  it('tells point reads from queries, and names batches and writes', () => {
    expect(tableRequestKind('History', 'POST', `${base}/$batch`)).toBe('History.batch');
    expect(tableRequestKind('Instances', 'GET', `${base}/HubInstances(PartitionKey='a%27%27b',RowKey='')`)).toBe('Instances.get');
    expect(tableRequestKind('History', 'GET', `${base}/HubHistory()?$filter=PartitionKey%20eq%20'a'`)).toBe('History.query');
    expect(tableRequestKind('Instances', 'PATCH', `${base}/HubInstances(PartitionKey='a',RowKey='')`)).toBe('Instances.merge');
    expect(tableRequestKind('Instances', 'POST', `${base}/HubInstances`)).toBe('Instances.insert');
    expect(tableRequestKind('Work', 'DELETE', `${base}/HubWork(PartitionKey='a',RowKey='m')`)).toBe('Work.delete');
  });
});

describe('RequestCounter', () => {
  it('counts in all and by kind', () => {
    const counter = new RequestCounter();
    counter.add(1, 'History.batch');
    counter.add(2, 'Instances.merge');
    counter.add();
    expect(counter.count).toBe(4);
    expect(counter.byKind()).toBe('History.batch:1/Instances.merge:2/other:1');
  });
});
