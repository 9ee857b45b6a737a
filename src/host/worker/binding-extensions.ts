/**
 * What the host does with non-trigger bindings: input bindings it can fill (for example
 * `durableClient`, `blob`), and output bindings it carries out after an invocation (for example
 * `queue`, `blob`). An output binding may also be prepared before the invocation (its
 * `{...}` expressions resolved), so a binding that cannot be bound fails the invocation before
 * the function runs, as in the Functions host. Binding types nobody handles are accepted at load
 * time with a warning, as the issue of an app that uses a binding this host does not implement
 * should not stop the others.
 */
import type { BindingData } from '../bindings/binding-expressions.js';
import type { Logger } from '../log/logger.js';
import type { RegisteredFunction } from './function-registry.js';
import type { RpcBindingInfo, RpcParameterBinding, RpcTypedData } from './rpc-types.js';

export interface InputBindingContext {
  fn: RegisteredFunction;
  bindingName: string;
  binding: RpcBindingInfo;
  /** The invocation's binding data, built on first use (most bindings never need it). */
  bindingData: () => BindingData;
}

export type InputBindingProvider = (ctx: InputBindingContext) => Promise<RpcTypedData | undefined> | RpcTypedData | undefined;
export type OutputBindingHandler<P = undefined> = (ctx: InputBindingContext & { data: RpcTypedData; prepared: P }) => Promise<void>;
export type OutputBindingPreparer<P> = (ctx: InputBindingContext) => Promise<P> | P;

interface OutputEntry {
  handler: OutputBindingHandler<unknown>;
  prepare?: OutputBindingPreparer<unknown>;
}

/** What `prepareOutputs` resolved, by output binding name, for `applyOutputs`. */
export type PreparedOutputs = ReadonlyMap<string, unknown>;

const noBindingData = (): never => {
  throw new Error('binding data is only available during an invocation');
};

export class BindingExtensions {
  readonly #inputs = new Map<string, InputBindingProvider>();
  readonly #outputs = new Map<string, OutputEntry>();
  /** Trigger types some part of the host serves (http, timer, queue, durable triggers...). */
  readonly #triggers = new Set<string>();

  addInput(type: string, provider: InputBindingProvider): void {
    this.#inputs.set(type.toLowerCase(), provider);
  }

  addOutput<P = undefined>(type: string, handler: OutputBindingHandler<P>, prepare?: OutputBindingPreparer<P>): void {
    // Erased here: `prepare`'s result is only ever handed back to the same handler.
    this.#outputs.set(type.toLowerCase(), { handler: handler as OutputBindingHandler<unknown>, prepare });
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
  async inputsFor(fn: RegisteredFunction, bindingData: () => BindingData = noBindingData): Promise<RpcParameterBinding[]> {
    const out: RpcParameterBinding[] = [];
    for (const [bindingName, binding] of Object.entries(fn.metadata.bindings)) {
      if (bindingName === fn.triggerBindingName || binding.direction === 'out') continue;
      const provider = this.#inputs.get(String(binding.type ?? '').toLowerCase());
      if (!provider) continue;
      const data = await provider({ fn, bindingName, binding, bindingData });
      if (data !== undefined) out.push({ name: bindingName, data });
    }
    return out;
  }

  /** Before the invocation: what each output binding with a preparer resolves (a throw fails the invocation). */
  async prepareOutputs(fn: RegisteredFunction, bindingData: () => BindingData = noBindingData): Promise<PreparedOutputs> {
    const prepared = new Map<string, unknown>();
    for (const [bindingName, binding] of Object.entries(fn.metadata.bindings)) {
      if (binding.direction !== 'out' || bindingName === fn.triggerBindingName) continue;
      const entry = this.#outputs.get(String(binding.type ?? '').toLowerCase());
      if (entry?.prepare) prepared.set(bindingName, await entry.prepare({ fn, bindingName, binding, bindingData }));
    }
    return prepared;
  }

  /** Carry out the output bindings the invocation produced. */
  async applyOutputs(
    fn: RegisteredFunction,
    outputData: RpcParameterBinding[] | null | undefined,
    prepared: PreparedOutputs = new Map(),
    bindingData: () => BindingData = noBindingData,
  ): Promise<void> {
    for (const item of outputData ?? []) {
      if (!item.name || !item.data) continue;
      const binding = fn.metadata.bindings[item.name];
      if (!binding) continue;
      const entry = this.#outputs.get(String(binding.type ?? '').toLowerCase());
      if (entry) await entry.handler({ fn, bindingName: item.name, binding, data: item.data, prepared: prepared.get(item.name), bindingData });
    }
  }
}
