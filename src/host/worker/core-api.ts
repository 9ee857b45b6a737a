/**
 * The host's `@azure/functions-core` module: what the Node worker gives a programming model.
 * @see https://github.com/Azure/azure-functions-nodejs-worker/blob/v3.x/src/setupCoreModule.ts
 */
import type { Logger } from '../log/logger.js';
import { Disposable } from './disposable.js';
import type { FunctionRegistry } from './function-registry.js';
import type { FunctionCallback, FunctionMetadata, HookCallback, ProgrammingModel, RpcLogCategory, RpcLogLevel } from './rpc-types.js';

export interface CoreApi {
  version: string;
  hostVersion: string;
  Disposable: typeof Disposable;
  registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable;
  registerHook(hookName: string, callback: HookCallback): Disposable;
  setProgrammingModel(model: ProgrammingModel): void;
  getProgrammingModel(): ProgrammingModel | undefined;
  log(level: RpcLogLevel, category: RpcLogCategory, message: string): void;
}

/** The worker version this stand-in answers for: the v4 library checks it only for display. */
export const WORKER_VERSION = '3.10.1';
/** A Functions host version new enough for every feature the v4 library gates (HTTP streams need 4.28+). */
export const HOST_VERSION = '4.1037.0';

export interface CoreApiState {
  programmingModel: ProgrammingModel | undefined;
}

export function createCoreApi(registry: FunctionRegistry, log: Logger, state: CoreApiState): CoreApi {
  return {
    version: WORKER_VERSION,
    hostVersion: HOST_VERSION,
    Disposable,
    registerFunction: (metadata, callback) => registry.register(metadata, callback),
    registerHook: (hookName, callback) => registry.registerHook(hookName, callback),
    setProgrammingModel(model) {
      if (state.programmingModel && state.programmingModel !== model) {
        log.log('warn', 'programming model replaced', { previous: state.programmingModel.name, next: model.name });
      }
      state.programmingModel = model;
    },
    getProgrammingModel: () => state.programmingModel,
    log(level, category, message) {
      log.log(toLogLevel(level), message, { category });
    },
  };
}

export function toLogLevel(level: RpcLogLevel): 'debug' | 'info' | 'warn' | 'error' {
  switch (level) {
    case 'trace':
    case 'debug':
    case 'none':
      return 'debug';
    case 'information':
      return 'info';
    case 'warning':
      return 'warn';
    case 'error':
    case 'critical':
      return 'error';
  }
}
