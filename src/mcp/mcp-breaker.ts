/**
 * Resilience around external MCP servers: a timeout inside a circuit breaker, one breaker per server
 * URL (cockatiel). A server that keeps failing is not called again until its breaker half-opens,
 * so a dead tool server costs the agent loop one fast refusal instead of a timeout per event.
 */
import { CircuitState, ConsecutiveBreaker, TaskCancelledError, TimeoutStrategy, circuitBreaker, handleAll, isBrokenCircuitError, timeout, wrap, type IPolicy } from 'cockatiel';

export interface McpCallPolicyConfig {
  /** Longest wait for one server operation (connect + list, or one tool call). @default 10000 */
  timeoutMs: number;
  /** Consecutive failures (timeouts included) that open a server's breaker. @default 3 */
  consecutiveFailures: number;
  /** How long an open breaker refuses calls before letting one through to test the server. @default 30000 */
  halfOpenAfterMs: number;
}

export const DEFAULT_MCP_CALL_POLICY: Readonly<McpCallPolicyConfig> = Object.freeze({ timeoutMs: 10_000, consecutiveFailures: 3, halfOpenAfterMs: 30_000 });

export interface McpServerPolicy {
  /** Runs `fn` with the timeout's abort signal, through the breaker. */
  execute<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** `closed`, `open`, `half-open` or `isolated`. */
  readonly state: string;
}

const STATE_NAMES: Readonly<Record<CircuitState, string>> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/**
 * The breaker wraps the timeout, so a timeout counts as a failure. The timeout is aggressive: the
 * call is abandoned at the deadline even if the transport ignores the abort signal.
 */
export function mcpServerPolicy(config: McpCallPolicyConfig = DEFAULT_MCP_CALL_POLICY): McpServerPolicy {
  const breaker = circuitBreaker(handleAll, { halfOpenAfter: config.halfOpenAfterMs, breaker: new ConsecutiveBreaker(config.consecutiveFailures) });
  const policy: IPolicy = wrap(breaker, timeout(config.timeoutMs, TimeoutStrategy.Aggressive));
  return {
    // A call that honours the signal rejects with its own abort error before the timeout's
    // rejection wins the race; it is reported as the timeout it is.
    execute: (fn) =>
      policy.execute(({ signal }) =>
        fn(signal).catch((err: unknown) => {
          throw signal.aborted ? new TaskCancelledError(`no answer within ${config.timeoutMs} ms`) : err;
        }),
      ),
    get state() {
      return STATE_NAMES[breaker.state];
    },
  };
}

/** One policy per server URL, for the life of the process (breaker state is not shared between hosts). */
export class McpServerPolicies {
  readonly #policies = new Map<string, McpServerPolicy>();

  constructor(private readonly config: McpCallPolicyConfig = DEFAULT_MCP_CALL_POLICY) {}

  for(url: string): McpServerPolicy {
    let policy = this.#policies.get(url);
    if (!policy) {
      policy = mcpServerPolicy(this.config);
      this.#policies.set(url, policy);
    }
    return policy;
  }

  get timeoutMs(): number {
    return this.config.timeoutMs;
  }
}

/** A stable code for what the policy made of a failure: `CIRCUIT_OPEN`, `TIMEOUT`, or undefined for the call's own error. */
export function policyFailureCode(err: unknown): 'CIRCUIT_OPEN' | 'TIMEOUT' | undefined {
  if (isBrokenCircuitError(err)) return 'CIRCUIT_OPEN';
  // instanceof, not cockatiel 3.2's isTaskCancelledError, which tests the bulkhead marker by mistake.
  if (err instanceof TaskCancelledError) return 'TIMEOUT';
  return undefined;
}
