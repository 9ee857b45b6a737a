/**
 * The orchestrator's reply (`OrchestratorState`, durable-protocol.md B.4) and its failure form (B.5):
 * zod schemas and the parsers the engine uses on an orchestration invocation's outcome.
 * @see https://github.com/Azure/azure-functions-durable-js/blob/v3.x/src/orchestrations/OrchestratorState.ts
 */
import { z } from 'zod';

/**
 * Action type numbers as the JS library writes them (`lib/src/actions/ActionType.js`); the
 * extension's `AsyncActionType` reads the same numbers.
 */
export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  ScheduledSignalEntity: 10,
  WhenAny: 11,
  WhenAll: 12,
  LockEntities: 13,
  ReleaseEntities: 14,
} as const;
export type ActionTypeNumber = (typeof ActionType)[keyof typeof ActionType];

/** `RetryOptions` as serialized by the JS (`lib/src/RetryOptions.js`); only the first two are always present. */
export const RetryOptionsSchema = z.looseObject({
  firstRetryIntervalInMilliseconds: z.number(),
  maxNumberOfAttempts: z.number(),
  backoffCoefficient: z.number().optional(),
  maxRetryIntervalInMilliseconds: z.number().optional(),
  retryTimeoutInMilliseconds: z.number().optional(),
});
export type RetryOptions = z.infer<typeof RetryOptionsSchema>;

/** `DurableHttpRequest` as the JS sends it in a CallHttp action (`lib/src/http/DurableHttpRequest.js`). */
export const DurableHttpRequestSchema = z.looseObject({
  method: z.string(),
  uri: z.string(),
  content: z.string().nullish(),
  headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])).nullish(),
  tokenSource: z.unknown().optional(),
  asynchronousPatternEnabled: z.boolean().optional(),
});
export type DurableHttpRequest = z.infer<typeof DurableHttpRequestSchema>;

const EntityRefSchema = z.object({ name: z.string(), key: z.string() });

/** One action of `actions[0]`. Values in `input` are raw JSON values (strings pre-encoded where the JS does so). */
export type OrchestratorAction =
  | { actionType: 0; functionName: string; input?: unknown }
  | { actionType: 1; functionName: string; input?: unknown; retryOptions: RetryOptions }
  | { actionType: 2; functionName: string; instanceId?: string | null; input?: unknown; version?: string | null }
  | { actionType: 3; functionName: string; instanceId?: string | null; input?: unknown; version?: string | null; retryOptions: RetryOptions }
  | { actionType: 4; input?: unknown }
  | { actionType: 5; fireAt: string; isCanceled: boolean }
  | { actionType: 6; externalEventName: string; reason?: string }
  | { actionType: 7; instanceId: string; operation: string; input?: unknown }
  | { actionType: 8; httpRequest: DurableHttpRequest }
  | { actionType: 9; instanceId: string; operation: string; input?: unknown }
  | { actionType: 10; instanceId: string; operation: string; input?: unknown; fireAt?: string }
  | { actionType: 11; compoundActions: OrchestratorAction[] }
  | { actionType: 12; compoundActions: OrchestratorAction[] }
  | { actionType: 13; lockRequestId: string; lockSet: { name: string; key: string }[] }
  | { actionType: 14 };

export const OrchestratorActionSchema: z.ZodType<OrchestratorAction> = z.lazy(() =>
  z.discriminatedUnion('actionType', [
    z.object({ actionType: z.literal(0), functionName: z.string(), input: z.unknown().optional() }),
    z.object({ actionType: z.literal(1), functionName: z.string(), input: z.unknown().optional(), retryOptions: RetryOptionsSchema }),
    z.object({
      actionType: z.literal(2),
      functionName: z.string(),
      instanceId: z.string().nullish(),
      input: z.unknown().optional(),
      version: z.string().nullish(),
    }),
    z.object({
      actionType: z.literal(3),
      functionName: z.string(),
      instanceId: z.string().nullish(),
      input: z.unknown().optional(),
      version: z.string().nullish(),
      retryOptions: RetryOptionsSchema,
    }),
    z.object({ actionType: z.literal(4), input: z.unknown().optional() }),
    // fireAt is a Date serialized by JSON.stringify: ISO text with milliseconds and a Z.
    z.object({ actionType: z.literal(5), fireAt: z.string(), isCanceled: z.boolean().default(false) }),
    z.object({ actionType: z.literal(6), externalEventName: z.string(), reason: z.string().optional() }),
    z.object({ actionType: z.literal(7), instanceId: z.string(), operation: z.string(), input: z.unknown().optional() }),
    z.object({ actionType: z.literal(8), httpRequest: DurableHttpRequestSchema }),
    z.object({ actionType: z.literal(9), instanceId: z.string(), operation: z.string(), input: z.unknown().optional() }),
    z.object({ actionType: z.literal(10), instanceId: z.string(), operation: z.string(), input: z.unknown().optional(), fireAt: z.string().optional() }),
    z.object({ actionType: z.literal(11), compoundActions: z.array(OrchestratorActionSchema) }),
    z.object({ actionType: z.literal(12), compoundActions: z.array(OrchestratorActionSchema) }),
    z.object({ actionType: z.literal(13), lockRequestId: z.string(), lockSet: z.array(EntityRefSchema) }),
    z.object({ actionType: z.literal(14) }),
  ]),
);

export const OrchestratorStateSchema = z.object({
  isDone: z.boolean(),
  /** V2+: `[[...every action so far, in yield order]]`; `[[]]` when none. */
  actions: z.array(z.array(OrchestratorActionSchema)),
  /** The orchestrator's return value (absent when it returned undefined or is not done). */
  output: z.unknown().optional(),
  /** Message of the uncaught error (failure form only). */
  error: z.string().optional(),
  customStatus: z.unknown().optional(),
  schemaVersion: z.number().int().optional(),
  failureDetails: z.unknown().optional(),
});
export type OrchestratorState = z.infer<typeof OrchestratorStateSchema>;

export class OrchestratorReplyError extends Error {
  override name = 'OrchestratorReplyError';
}

/** Parse a reply value (the invocation's `returnValue`, already JSON-parsed). */
export function parseOrchestratorState(value: unknown): OrchestratorState {
  const parsed = OrchestratorStateSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OrchestratorReplyError(`the orchestrator reply is not an OrchestratorState: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data;
}

/** The label `OrchestrationFailureError` puts before the state JSON (lib/src/error/OrchestrationFailureError.js). */
export const OUT_OF_PROC_DATA_LABEL = '$OutOfProcData$:';

/** What a failed orchestrator invocation tells the engine (B.5). */
export interface OrchestratorFailure {
  /** The state embedded after `$OutOfProcData$:`; absent when the error carries none (a crash outside user code). */
  state?: OrchestratorState;
  /** `state.error` when present, else the thrown error's own message. */
  message: string;
  stack?: string;
}

/**
 * Read a thrown orchestrator error. Accepts the Error itself, a wrapper whose `cause` is it (the
 * worker stand-in's InvocationFailedError), or the out-of-process text
 * `Result: Failure\nException: <message>\nStack: <stack>`.
 */
export function parseOrchestratorFailure(error: unknown): OrchestratorFailure {
  const candidates: unknown[] = [error];
  if (error instanceof Error && error.cause !== undefined) candidates.unshift(error.cause);
  for (const candidate of candidates) {
    const text = candidate instanceof Error ? candidate.message : typeof candidate === 'string' ? candidate : undefined;
    if (text === undefined) continue;
    const at = text.indexOf(OUT_OF_PROC_DATA_LABEL);
    if (at === -1) continue;
    const state = parseEmbeddedState(text.slice(at + OUT_OF_PROC_DATA_LABEL.length));
    if (state) {
      const stack = candidate instanceof Error && typeof candidate.stack === 'string' ? candidate.stack : undefined;
      return { state, message: state.error ?? text.slice(0, at).trim(), ...(stack ? { stack } : {}) };
    }
  }
  const root = candidates[0];
  const message = root instanceof Error ? root.message : String(root);
  const stack = root instanceof Error && typeof root.stack === 'string' ? root.stack : undefined;
  return { message, ...(stack ? { stack } : {}) };
}

/** The JSON after the label runs to the end, or (out-of-process text) up to a `\nStack:` line. */
function parseEmbeddedState(rest: string): OrchestratorState | undefined {
  const attempts = [rest];
  const stackAt = rest.lastIndexOf('\nStack:');
  if (stackAt !== -1) attempts.push(rest.slice(0, stackAt));
  for (const attempt of attempts) {
    try {
      const parsed = OrchestratorStateSchema.safeParse(JSON.parse(attempt.trim()));
      if (parsed.success) return parsed.data;
    } catch {
      // not JSON: try the next cut
    }
  }
  return undefined;
}
