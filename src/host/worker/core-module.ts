/**
 * Makes `require('@azure/functions-core')` return the host's core API, the way the Node worker
 * does, before the app's entry point loads. `@azure/functions` is a CommonJS bundle, so ESM apps
 * reach it through `require` as well.
 */
import Module from 'node:module';
import type { CoreApi } from './core-api.js';

const CORE_MODULE_ID = '@azure/functions-core';

type RequireFn = (this: NodeJS.Module, id: string) => unknown;

let installed: CoreApi | undefined;

export function installCoreModule(api: CoreApi): void {
  if (installed) {
    installed = api;
    return;
  }
  installed = api;
  const proto = (Module as unknown as { prototype: { require: RequireFn } }).prototype;
  const original = proto.require;
  proto.require = function patchedRequire(this: NodeJS.Module, id: string): unknown {
    if (id === CORE_MODULE_ID && installed) return installed;
    return original.call(this, id);
  };
}
