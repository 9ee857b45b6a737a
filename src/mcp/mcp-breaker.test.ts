import { describe, expect, it } from 'vitest';
import { DEFAULT_MCP_CALL_POLICY, McpServerPolicies, mcpServerPolicy, policyFailureCode } from './mcp-breaker.js';

const fail = () => Promise.reject(new Error('connection refused'));

describe('MCP server policy', () => {
  it('defaults to a 10 s timeout, 3 consecutive failures and a 30 s half-open delay', () => {
    expect(DEFAULT_MCP_CALL_POLICY).toEqual({ timeoutMs: 10_000, consecutiveFailures: 3, halfOpenAfterMs: 30_000 });
  });

  it('opens after the configured consecutive failures and then refuses without calling', async () => {
    const policy = mcpServerPolicy({ timeoutMs: 1000, consecutiveFailures: 2, halfOpenAfterMs: 60_000 });
    await expect(policy.execute(fail)).rejects.toThrow('connection refused');
    expect(policy.state).toBe('closed');
    await expect(policy.execute(fail)).rejects.toThrow('connection refused');
    expect(policy.state).toBe('open');
    let called = false;
    const refused = await policy.execute(async () => (called = true)).catch((e: unknown) => e);
    expect(called).toBe(false);
    expect(policyFailureCode(refused)).toBe('CIRCUIT_OPEN');
  });

  it('times out a call that does not answer and counts it as a failure', async () => {
    const policy = mcpServerPolicy({ timeoutMs: 20, consecutiveFailures: 1, halfOpenAfterMs: 60_000 });
    let aborted = false;
    const err = await policy
      .execute((signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => ((aborted = true), reject(new Error('aborted'))))))
      .catch((e: unknown) => e);
    expect(policyFailureCode(err)).toBe('TIMEOUT');
    expect(aborted).toBe(true);
    expect(policy.state).toBe('open');
  });

  it('starts the failure count again after a success', async () => {
    const policy = mcpServerPolicy({ timeoutMs: 1000, consecutiveFailures: 2, halfOpenAfterMs: 60_000 });
    await policy.execute(fail).catch(() => undefined);
    await expect(policy.execute(async () => 'ok')).resolves.toBe('ok');
    await policy.execute(fail).catch(() => undefined);
    expect(policy.state).toBe('closed');
  });

  it('keeps one breaker per server URL', async () => {
    const policies = new McpServerPolicies({ timeoutMs: 1000, consecutiveFailures: 1, halfOpenAfterMs: 60_000 });
    await policies.for('http://a/mcp').execute(fail).catch(() => undefined);
    expect(policies.for('http://a/mcp').state).toBe('open');
    expect(policies.for('http://b/mcp').state).toBe('closed');
    expect(policyFailureCode(new Error('other'))).toBeUndefined();
  });
});
