/**
 * What the host does with non-trigger bindings: input bindings it can fill (for example
 * `durableClient`), and output bindings it carries out after an invocation (for example `queue`).
 * Binding types nobody handles are accepted at load time with a warning, as the issue of an
 * app that uses a binding this host does not implement should not stop the others.
 */
import type { Logger } from '../log/logger.js';
import type { RegisteredFunction } from './function-registry.js';
import type { RpcBindingInfo, RpcParameterBinding, RpcTypedData } from './rpc-types.js';

export interface InputBindingContext {
  fn: RegisteredFunction;
  bindingName: string;
  binding: RpcBindingInfo;
}

export type InputBindingProvider = (ctx: InputBindingContext) => Promise<RpcTypedData | undefined> | RpcTypedData | undefined;
export type OutputBindingHandler = (ctx: InputBindingContext & { data: RpcTypedData }) => Promise<void>;

export class BindingExtensions {
  readonly #inputs = new Map<string, InputBindingProvider>();
  readonly #outputs = new Map<string, OutputBindingHandler>();
  /** Trigger types some part of the host serves (http, timer, queue, durable triggers...). */
  readonly #triggers = new Set<string>();

  addInput(type: string, provider: InputBindingProvider): void {
    this.#inputs.set(type.toLowerCase(), provider);
  }

  addOutput(type: string, handler: OutputBindingHandler): void {
    this.#outputs.set(type.toLowerCase(), handler);
  }

  addTrigger(type: string): void {
    this.#triggers.add(type.toLowerCase());
  }

  /** Warn once per function about bindings nothing here implements. */
  checkFunction(fn: RegisteredFunction, log: Logger): void {
    for (const [name, b] of Object.entries(fn.metadata.bindings)) {
      const type = String(b.type ?? '').toLowerCase();
      if (name === fn.triggerBindingName) {
        if (!this.#triggers.has(type)) {
          log.log('warn', 'trigger type not supported by this host; the function will never run', { functionName: fn.name, bindingType: b.type });
        }
        continue;
      }
      if (b.direction === 'out' && (name === '$return' && type === 'http')) continue;
      const known = b.direction === 'out' ? this.#outputs.has(type) : this.#inputs.has(type);
      if (!known) {
        log.log('warn', 'binding type not supported by this host; it is ignored', { functionName: fn.name, binding: name, bindingType: b.type, direction: b.direction });
      }
    }
  }

  /** Input data for every non-trigger input binding this host can provide. */
  async inputsFor(fn: RegisteredFunction): Promise<RpcParameterBinding[]> {
    const out: RpcParameterBinding[] = [];
    for (const [bindingName, binding] of Object.entries(fn.metadata.bindings)) {
      if (bindingName === fn.triggerBindingName || binding.direction === 'out') continue;
      const provider = this.#inputs.get(String(binding.type ?? '').toLowerCase());
      if (!provider) continue;
      const data = await provider({ fn, bindingName, binding });
      if (data !== undefined) out.push({ name: bindingName, data });
    }
    return out;
  }

  /** Carry out the output bindings the invocation produced. */
  async applyOutputs(fn: RegisteredFunction, outputData: RpcParameterBinding[] | null | undefined): Promise<void> {
    for (const item of outputData ?? []) {
      if (!item.name || !item.data) continue;
      const binding = fn.metadata.bindings[item.name];
      if (!binding) continue;
      const handler = this.#outputs.get(String(binding.type ?? '').toLowerCase());
      if (handler) await handler({ fn, bindingName: item.name, binding, data: item.data });
    }
  }
}
