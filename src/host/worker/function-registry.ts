/** The functions and hooks an app registered through `@azure/functions-core`. */
import { Disposable } from './disposable.js';
import type { FunctionCallback, FunctionMetadata, HookCallback, RpcBindingInfo } from './rpc-types.js';

export interface RegisteredFunction {
  functionId: string;
  name: string;
  metadata: FunctionMetadata & { functionId: string };
  callback: FunctionCallback;
  /** The trigger binding: exactly one binding whose type ends with `Trigger`. */
  trigger: RpcBindingInfo & { type: string };
  triggerBindingName: string;
}

export class RegistrationError extends Error {
  override name = 'RegistrationError';
}

/** Functions by id, hooks by name, and a lock that closes registration after start-up (as the worker does). */
export class FunctionRegistry {
  readonly #functions = new Map<string, RegisteredFunction>();
  readonly #hooks = new Map<string, Set<HookCallback>>();
  #locked = false;

  register(metadata: FunctionMetadata, callback: FunctionCallback): Disposable {
    if (this.#locked) {
      throw new RegistrationError('A function can only be registered during app startup.');
    }
    const functionId = metadata.functionId ?? metadata.name;
    if (this.#functions.has(functionId)) {
      throw new RegistrationError(`A function with id "${functionId}" has already been registered.`);
    }
    const triggers = Object.entries(metadata.bindings ?? {}).filter(
      ([, b]) => typeof b.type === 'string' && b.type.toLowerCase().endsWith('trigger'),
    );
    const first = triggers[0];
    if (!first || triggers.length > 1) {
      throw new RegistrationError(`Function "${metadata.name}" must have exactly one trigger binding, found ${triggers.length}.`);
    }
    const [triggerBindingName, trigger] = first;
    this.#functions.set(functionId, {
      functionId,
      name: metadata.name,
      metadata: { ...metadata, functionId },
      callback,
      trigger: trigger as RpcBindingInfo & { type: string },
      triggerBindingName,
    });
    return new Disposable(() => {
      if (this.#locked) throw new RegistrationError('A function can only be disposed during app startup.');
      this.#functions.delete(functionId);
    });
  }

  registerHook(name: string, callback: HookCallback): Disposable {
    let set = this.#hooks.get(name);
    if (!set) {
      set = new Set();
      this.#hooks.set(name, set);
    }
    set.add(callback);
    return new Disposable(() => set.delete(callback));
  }

  hooks(name: string): HookCallback[] {
    return [...(this.#hooks.get(name) ?? [])];
  }

  lock(): void {
    this.#locked = true;
  }

  all(): RegisteredFunction[] {
    return [...this.#functions.values()];
  }

  get(functionId: string): RegisteredFunction | undefined {
    return this.#functions.get(functionId);
  }

  /** Functions whose trigger type equals `type`, case-insensitively (the host matches binding types that way). */
  byTriggerType(type: string): RegisteredFunction[] {
    const wanted = type.toLowerCase();
    return this.all().filter((f) => f.trigger.type.toLowerCase() === wanted);
  }

  /** Function lookup by name is case-insensitive in the Functions host. */
  findByName(name: string): RegisteredFunction | undefined {
    const wanted = name.toLowerCase();
    return this.all().find((f) => f.name.toLowerCase() === wanted);
  }
}
