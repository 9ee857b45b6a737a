/**
 * A blob or table binding with its app settings applied: `%Setting%` resolved and `connection`
 * turned into a storage account, once per function and binding (at start-up, so a missing setting
 * or connection stops the host, as for queue bindings). `{...}` expressions stay for each invocation.
 */
import type { HostContext } from '../host-services.js';
import type { StorageConnection } from '../storage/storage-connection.js';
import { resolveBinding, storageConnectionFor } from '../triggers/binding-settings.js';
import type { RegisteredFunction } from '../worker/function-registry.js';
import type { RpcBindingInfo } from '../worker/rpc-types.js';
import { BindingInvocationError, resolveTemplate, type BindingData, type ResolveOptions } from './binding-expressions.js';

export interface BindingTarget {
  storage: StorageConnection;
  /** The binding with `%Setting%` resolved in every string property. */
  binding: RpcBindingInfo;
}

export class BindingTargets {
  readonly #targets = new Map<string, BindingTarget>();

  constructor(private readonly ctx: Pick<HostContext, 'env' | 'storage'>) {}

  of(fn: RegisteredFunction, bindingName: string, binding: RpcBindingInfo): BindingTarget {
    const key = `${fn.functionId}\n${bindingName}`;
    let t = this.#targets.get(key);
    if (!t) {
      const resolved = resolveBinding(fn.name, bindingName, binding, this.ctx.env);
      t = { storage: storageConnectionFor(fn.name, resolved.connection, this.ctx.env, this.ctx.storage), binding: resolved };
      this.#targets.set(key, t);
    }
    return t;
  }
}

/** A string property with its `{...}` expressions resolved; undefined when the binding does not set it. */
export function templateProperty(target: BindingTarget, property: string, data: () => BindingData, options?: ResolveOptions): string | undefined {
  const raw = target.binding[property];
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') {
    if (typeof raw === 'number') return String(raw);
    throw new BindingInvocationError(`binding property '${property}' must be a string`);
  }
  return raw.includes('{') || raw.includes('}') ? resolveTemplate(raw, data(), options) : raw;
}
