import { describe, expect, it } from 'vitest';
import { childTraceContext } from './trace-context.js';

describe('childTraceContext', () => {
  it('continues the caller trace with a new span and keeps its flags and state', () => {
    const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const child = childTraceContext(parent, 'congo=t61rcWkgMzE');
    expect(child.traceParent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(child.traceParent).not.toContain('b7ad6b7169203331');
    expect(child.traceState).toBe('congo=t61rcWkgMzE');
    expect(child.attributes).toEqual({});
  });

  it('starts a new trace when the caller sent none or an invalid one', () => {
    for (const parent of [undefined, '', 'garbage', '00-00000000000000000000000000000000-b7ad6b7169203331-01', 'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01']) {
      const child = childTraceContext(parent);
      expect(child.traceParent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
      expect(child.traceParent).not.toContain('0af7651916cd43dd8448eb211c80319c');
    }
  });

  it('makes a different span for every invocation', () => {
    expect(childTraceContext().traceParent).not.toBe(childTraceContext().traceParent);
    // Past one refill of the random pool too.
    const seen = new Set(Array.from({ length: 500 }, () => childTraceContext().traceParent));
    expect(seen.size).toBe(500);
  });
});
