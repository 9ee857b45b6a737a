import { describe, expect, it } from 'vitest';
import { InstanceRowSchema, instanceFieldsToColumns, instanceRowToRecord } from './instance-row.js';

describe('instance rows', () => {
  it('write DTFx columns with DateTime times, an Int32 generation and our TurnNumber', () => {
    const columns = instanceFieldsToColumns(
      {
        instanceId: 'hello-001',
        name: 'HelloCities',
        version: '',
        runtimeStatus: 'Completed',
        input: '"Tokyo"',
        output: '"Hello Tokyo!"',
        createdTime: '2025-05-01T10:00:00.000Z',
        lastUpdatedTime: '2025-05-01T10:01:10.020Z',
        completedTime: '2025-05-01T10:01:10.031Z',
        executionId: '7c9e',
        generation: 0,
        turnNumber: 3,
      },
      'MyHub',
    );
    expect(columns).toEqual({
      Name: 'HelloCities',
      Version: '',
      RuntimeStatus: 'Completed',
      Input: '"Tokyo"',
      Output: '"Hello Tokyo!"',
      CustomStatus: 'null',
      CreatedTime: new Date('2025-05-01T10:00:00.000Z'),
      LastUpdatedTime: new Date('2025-05-01T10:01:10.020Z'),
      CompletedTime: new Date('2025-05-01T10:01:10.031Z'),
      ExecutionId: '7c9e',
      Generation: 0,
      TaskHubName: 'MyHub',
      TurnNumber: 3,
    });
  });

  it('leave out what a merge should not touch', () => {
    expect(instanceFieldsToColumns({ instanceId: 'x', runtimeStatus: 'Running' }, 'H')).toEqual({ RuntimeStatus: 'Running', CustomStatus: 'null', TaskHubName: 'H' });
  });

  it('read back with "null" custom status as absent', () => {
    const row = InstanceRowSchema.parse({
      partitionKey: 'a^^b',
      etag: 'W/"1"',
      Name: 'N',
      RuntimeStatus: 'Running',
      CustomStatus: 'null',
      CreatedTime: new Date('2025-05-01T10:00:00Z'),
      LastUpdatedTime: new Date('2025-05-01T10:00:01Z'),
      ExecutionId: 'e',
      Generation: 1,
      Tags: '{"k":"v"}',
    });
    expect(instanceRowToRecord(row, 'a^b')).toEqual({
      instanceId: 'a^b',
      name: 'N',
      version: '',
      runtimeStatus: 'Running',
      createdTime: '2025-05-01T10:00:00.000Z',
      lastUpdatedTime: '2025-05-01T10:00:01.000Z',
      executionId: 'e',
      generation: 1,
      tags: { k: 'v' },
      etag: 'W/"1"',
    });
  });

  it('read a DTFx v1 Pending row that lacks CustomStatus, ExecutionId and LastUpdatedTime', () => {
    const row = InstanceRowSchema.parse({ partitionKey: 'p', RuntimeStatus: 'Pending', CreatedTime: new Date('2025-05-01T10:00:00Z') });
    expect(instanceRowToRecord(row, 'p')).toMatchObject({ runtimeStatus: 'Pending', executionId: '', generation: 0, lastUpdatedTime: '2025-05-01T10:00:00.000Z' });
  });

  it('reject a RuntimeStatus DTFx would not parse', () => {
    expect(() => InstanceRowSchema.parse({ partitionKey: 'p', RuntimeStatus: 'completed', CreatedTime: new Date() })).toThrow();
  });
});
