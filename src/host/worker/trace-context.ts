/**
 * W3C trace context for invocations. The Functions host always sends one (the invocation's
 * Activity), and apps read `context.traceContext.traceParent` without checking, so the host
 * makes one for every invocation: a child of the caller's `traceparent` when there is a valid
 * one (same trace, new span), else the root of a new trace.
 * @see https://www.w3.org/TR/trace-context/#traceparent-header
 */
import { randomFillSync } from 'node:crypto';

export interface TraceContext {
  traceParent: string;
  traceState?: string;
  attributes: Record<string, string>;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ALL_ZERO = /^0+$/;

/**
 * Random bytes are taken from a pool filled 4 KiB at a time: every invocation needs 8 to 24 of
 * them, and one `randomBytes` call (a system call) per id was 3% of a busy host's CPU.
 */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

/** A span id (or trace id) that is never all zeros, which W3C declares invalid. */
function randomHex(bytes: number): string {
  for (;;) {
    if (poolOffset + bytes > pool.length) {
      randomFillSync(pool);
      poolOffset = 0;
    }
    const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
    poolOffset += bytes;
    if (!ALL_ZERO.test(hex)) return hex;
  }
}

/** The trace context of an invocation whose caller sent `parent` (and `state`), if anything. */
export function childTraceContext(parent?: string, state?: string): TraceContext {
  const m = parent ? TRACEPARENT.exec(parent.trim().toLowerCase()) : null;
  const valid = m && m[1] !== 'ff' && !ALL_ZERO.test(m[2] ?? '') && !ALL_ZERO.test(m[3] ?? '');
  if (m && valid) {
    const context: TraceContext = { traceParent: `00-${m[2]}-${randomHex(8)}-${m[4]}`, attributes: {} };
    if (state) context.traceState = state;
    return context;
  }
  return { traceParent: `00-${randomHex(16)}-${randomHex(8)}-00`, attributes: {} };
}
