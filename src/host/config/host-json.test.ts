import { describe, expect, it } from 'vitest';
import { formatTimeSpan } from '../worker/invoker.js';
import { DEFAULT_FUNCTION_TIMEOUT_MS, functionTimeoutOf, routePrefixOf } from './host-json.js';

describe('functionTimeoutOf', () => {
  it('defaults to 30 minutes, reads a TimeSpan and takes -1 as no limit', () => {
    expect(functionTimeoutOf({})).toBe(DEFAULT_FUNCTION_TIMEOUT_MS);
    expect(functionTimeoutOf({ functionTimeout: '00:05:00' })).toBe(300_000);
    expect(functionTimeoutOf({ functionTimeout: '1.02:00:00' })).toBe(26 * 3_600_000);
    expect(functionTimeoutOf({ functionTimeout: '-1' })).toBeUndefined();
  });

  it('refuses text that is not a positive TimeSpan, naming the key', () => {
    expect(() => functionTimeoutOf({ functionTimeout: 'five minutes' })).toThrow(/functionTimeout: 'five minutes' is not a positive TimeSpan/);
    expect(() => functionTimeoutOf({ functionTimeout: '00:00:00' })).toThrow(/functionTimeout/);
  });
});

describe('formatTimeSpan', () => {
  it('prints as .NET does', () => {
    expect(formatTimeSpan(1000)).toBe('00:00:01');
    expect(formatTimeSpan(300_000)).toBe('00:05:00');
    expect(formatTimeSpan(26 * 3_600_000)).toBe('1.02:00:00');
    expect(formatTimeSpan(1500)).toBe('00:00:01.5000000');
  });
});

describe('routePrefixOf', () => {
  it('defaults to api and trims slashes', () => {
    expect(routePrefixOf({})).toBe('api');
    expect(routePrefixOf({ extensions: { http: { routePrefix: '/v1/' } } })).toBe('v1');
    expect(routePrefixOf({ extensions: { http: { routePrefix: '' } } })).toBe('');
  });
});
