/**
 * Invokes a registered function exactly as the Node worker does: the programming model builds
 * the arguments, hooks run around the call, and the model converts the result.
 * @see https://github.com/Azure/azure-functions-nodejs-worker/blob/v3.x/src/eventHandlers/InvocationHandler.ts
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log/logger.js';
import { toLogLevel } from './core-api.js';
import { childTraceContext } from './trace-context.js';
import type { FunctionRegistry, RegisteredFunction } from './function-registry.js';
import type {
  CoreInvocationContext,
  ProgrammingModel,
  RpcInvocationResponse,
  RpcLogCategory,
  RpcLogLevel,
  RpcParameterBinding,
  RpcTypedData,
} from './rpc-types.js';

export interface InvokeRequest {
  inputData: RpcParameterBinding[];
  triggerMetadata?: Record<string, RpcTypedData>;
  invocationId?: string;
  retryContext?: { retryCount: number; maxRetryCount: number };
  traceContext?: { traceParent?: string; traceState?: string; attributes?: Record<string, string> };
}

/** The programming model's response, and whether the handler (after hooks) returned nothing. */
export interface InvokeResult extends RpcInvocationResponse {
  /**
   * True when the final result was null or undefined. In HTTP stream mode the library then
   * never answers on its proxy, so the HTTP front needs to know to answer itself.
   */
  resultIsEmpty: boolean;
}

/** A failed invocation; `cause` is the error the handler (or a hook) threw. */
export class InvocationFailedError extends Error {
  override name = 'InvocationFailedError';
  constructor(
    readonly functionName: string,
    readonly invocationId: string,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

export class Invoker {
  /** Shared by every hook of this app, as `appHookData` in the worker. */
  readonly appHookData: Record<string, unknown> = {};
  /** `hookData` of the app-level hooks only: what appStart stores, appTerminate reads (the worker's `appLevelOnlyHookData`). */
  readonly appLevelHookData: Record<string, unknown> = {};

  constructor(
    private readonly registry: FunctionRegistry,
    private readonly model: () => ProgrammingModel | undefined,
    private readonly log: Logger,
    /** host.json `functionTimeout` in ms; undefined: no limit. */
    private readonly timeoutMs?: number,
  ) {}

  async invoke(fn: RegisteredFunction, request: InvokeRequest): Promise<InvokeResult> {
    const model = this.model();
    if (!model) throw new Error('the app registered no programming model; is @azure/functions v4 installed in the app?');
    const invocationId = request.invocationId ?? randomUUID();
    const functionLog = this.log.child({ functionName: fn.name, invocationId });
    const coreCtx: CoreInvocationContext = {
      invocationId,
      request: {
        invocationId,
        functionId: fn.functionId,
        inputData: request.inputData,
        triggerMetadata: request.triggerMetadata ?? {},
        retryContext: request.retryContext ?? null,
        // Apps read context.traceContext.traceParent unguarded: the real host always sends one.
        traceContext: request.traceContext ?? childTraceContext(),
      },
      metadata: fn.metadata,
      state: undefined,
      log: (level: RpcLogLevel, category: RpcLogCategory, message: string) => {
        functionLog.log(toLogLevel(level), message, { category });
        this.#runLogHooks(level, category, message, invocationContext);
      },
    };
    let invocationContext: unknown;
    const invocationModel = await model.getInvocationModel(coreCtx);
    const args = await invocationModel.getArguments();
    invocationContext = args.context;
    const hookData: Record<string, unknown> = {};

    // As in the worker: a preInvocation hook that throws fails the invocation before the handler
    // runs, and postInvocation hooks then do not run.
    const pre: Record<string, unknown> = {
      hookData,
      appHookData: this.appHookData,
      invocationContext: args.context,
      inputs: args.inputs,
      functionCallback: fn.callback,
    };
    coreCtx.state = 'preInvocationHooks';
    try {
      for (const hook of this.registry.hooks('preInvocation')) await hook(pre);
    } catch (err) {
      throw new InvocationFailedError(fn.name, invocationId, err);
    }

    // `result` and `error` start as null, not undefined: hooks that print them see what the worker shows.
    const post: Record<string, unknown> = {
      hookData,
      appHookData: this.appHookData,
      invocationContext: args.context,
      inputs: pre.inputs,
      result: null,
      error: null,
    };
    coreCtx.state = 'invocation';
    try {
      const running = invocationModel.invokeFunction(args.context, pre.inputs as unknown[], pre.functionCallback as RegisteredFunction['callback']);
      post.result = this.timeoutMs === undefined ? await running : await withTimeout(running, this.timeoutMs, fn.name, invocationId, functionLog);
    } catch (err) {
      post.error = err;
    }

    coreCtx.state = 'postInvocationHooks';
    try {
      for (const hook of this.registry.hooks('postInvocation')) await hook(post);
    } catch (err) {
      post.error = err;
    }
    coreCtx.state = undefined;
    if (post.error !== undefined && post.error !== null) {
      throw new InvocationFailedError(fn.name, invocationId, post.error);
    }
    const response = await invocationModel.getResponse(args.context, post.result);
    return { ...response, resultIsEmpty: post.result === null || post.result === undefined };
  }

  #runLogHooks(level: RpcLogLevel, category: RpcLogCategory, message: string, invocationContext: unknown): void {
    for (const hook of this.registry.hooks('log')) {
      try {
        void hook({ level, category, message, invocationContext, hookData: {}, appHookData: this.appHookData });
      } catch {
        // a failing log hook must not fail the invocation that logged
      }
    }
  }
}

/** The invocation outlived host.json `functionTimeout`; the message is the Functions host's. */
export class FunctionTimeoutError extends Error {
  override name = 'FunctionTimeoutException';
}

/**
 * Fails the invocation when the handler outlives `timeoutMs`. The Functions host then restarts
 * its worker process to stop the handler; here the handler shares the host's process and cannot be
 * stopped, so it runs on, and whatever it returns or throws later is ignored (and logged).
 */
async function withTimeout<T>(running: Promise<T>, timeoutMs: number, functionName: string, invocationId: string, log: Logger): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const message = `Timeout value of ${formatTimeSpan(timeoutMs)} exceeded by function 'Functions.${functionName}' (Id: '${invocationId}'). Initiating cancellation.`;
      log.log('error', message);
      running.then(
        () => log.log('warn', 'a timed-out invocation finished later; its result was ignored'),
        () => log.log('warn', 'a timed-out invocation failed later; its error was ignored'),
      );
      reject(new FunctionTimeoutError(message));
    }, timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([running, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** `hh:mm:ss` (with `d.` and `.fff` when needed), as .NET prints a TimeSpan. */
export function formatTimeSpan(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(ms / 3_600_000) % 24;
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const frac = ms % 1000;
  return `${days > 0 ? `${days}.` : ''}${pad(h)}:${pad(m)}:${pad(s)}${frac > 0 ? `.${String(frac).padStart(3, '0')}0000` : ''}`;
}

/** Runs the app-level hooks (`appStart`, `appTerminate`) in registration order, with the worker's read-only hook context. */
export async function runAppHooks(
  registry: FunctionRegistry,
  name: 'appStart' | 'appTerminate',
  invoker: Pick<Invoker, 'appHookData' | 'appLevelHookData'>,
  functionAppDirectory: string,
): Promise<void> {
  const context = {
    get hookData() {
      return invoker.appLevelHookData;
    },
    get appHookData() {
      return invoker.appHookData;
    },
    functionAppDirectory,
  };
  for (const hook of registry.hooks(name)) {
    await hook(context);
  }
}
