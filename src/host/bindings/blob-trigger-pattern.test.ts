import { describe, expect, it } from 'vitest';
import { parseBlobTriggerPattern } from './blob-trigger-pattern.js';

describe('parseBlobTriggerPattern', () => {
  it('splits the container, the listing prefix and the captures', () => {
    const p = parseBlobTriggerPattern('samples/in/{name}.csv');
    expect(p.container).toBe('samples');
    expect(p.prefix).toBe('in/');
    expect(p.match('in/report.csv')).toEqual({ name: 'report' });
    expect(p.match('in/sub/a.b.csv')).toEqual({ name: 'sub/a.b' });
    expect(p.match('in/report.txt')).toBeUndefined();
    expect(p.match('out/report.csv')).toBeUndefined();
  });

  it('matches every blob of a container with a bare capture, and none with a literal name only when equal', () => {
    expect(parseBlobTriggerPattern('c1c/{name}').match('x/y')).toEqual({ name: 'x/y' });
    expect(parseBlobTriggerPattern('c1c/{a}-{b}.txt').match('x-y-z.txt')).toEqual({ a: 'x-y', b: 'z' });
    expect(parseBlobTriggerPattern('c1c/fixed.txt').match('fixed.txt')).toEqual({});
  });

  it('rejects containers with expressions and captures that are not simple names', () => {
    expect(() => parseBlobTriggerPattern('{c}/x')).toThrow(/must be a literal/);
    expect(() => parseBlobTriggerPattern('c1c/{a.b}')).toThrow(/cannot capture/);
    expect(() => parseBlobTriggerPattern('c1c/{rand-guid}')).toThrow(/cannot capture/);
  });
});
