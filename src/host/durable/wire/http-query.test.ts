import { describe, expect, it } from 'vitest';
import { ListInstancesQuerySchema, QueryParameterError, StatusQuerySchema, parseQuery } from './http-query.js';

const url = (q: string) => new URL(`http://h/runtime/webhooks/durabletask/instances/?${q}`);

describe('parseQuery', () => {
  it('matches parameter names case-insensitively and applies the defaults', () => {
    expect(parseQuery(StatusQuerySchema, url('SHOWHISTORY=True&code=k'))).toEqual({
      showHistory: true,
      showHistoryOutput: false,
      showInput: true,
      returnInternalServerErrorOnFailure: false,
    });
  });

  it('reads runtime statuses by name in any case or by number, without duplicates', () => {
    const q = parseQuery(ListInstancesQuerySchema, url('runtimeStatus=running,1,Running&top=5&createdTimeFrom=2024-01-01T00:00:00.000Z'));
    expect(q.runtimeStatus).toEqual(['Running', 'Completed']);
    expect(q.top).toBe(5);
    expect(q.createdTimeFrom?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });

  it('throws a QueryParameterError naming the parameter', () => {
    expect(() => parseQuery(ListInstancesQuerySchema, url('top=0'))).toThrow(QueryParameterError);
    expect(() => parseQuery(ListInstancesQuerySchema, url('top=0'))).toThrow(/'top'/);
  });
});
