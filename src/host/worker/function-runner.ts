/** Runs one function invocation end to end: trigger data plus host-provided inputs in, outputs carried out. */
import { randomUUID } from 'node:crypto';
import { bindingDataFor } from '../bindings/binding-data.js';
import { BindingInvocationError, type BindingData } from '../bindings/binding-expressions.js';
import type { BindingExtensions, PreparedOutputs } from './binding-extensions.js';
import type { RegisteredFunction } from './function-registry.js';
import { InvocationFailedError, type InvokeRequest, type InvokeResult, type Invoker } from './invoker.js';
import type { RpcParameterBinding, RpcTypedData } from './rpc-types.js';

export interface TriggerInvocation {
  /** The trigger value; omitted when the trigger has no data (an activity with null input). */
  triggerData?: RpcTypedData;
  triggerMetadata?: Record<string, RpcTypedData>;
  invocationId?: string;
  retryContext?: InvokeRequest['retryContext'];
  traceContext?: InvokeRequest['traceContext'];
}

export class FunctionRunner {
  constructor(
    private readonly invoker: Invoker,
    private readonly extensions: BindingExtensions,
  ) {}

  async run(fn: RegisteredFunction, invocation: TriggerInvocation): Promise<InvokeResult> {
    const invocationId = invocation.invocationId ?? randomUUID();
    // Built only when a binding has a `{...}` expression, once per invocation (one sys.randguid).
    let data: BindingData | undefined;
    const bindingData = () => (data ??= bindingDataFor(fn, invocation));
    let prepared: PreparedOutputs;
    let extra: RpcParameterBinding[];
    try {
      prepared = await this.extensions.prepareOutputs(fn, bindingData);
      extra = await this.extensions.inputsFor(fn, bindingData);
    } catch (err) {
      // A binding that cannot be bound (an unresolvable expression) fails this invocation before
      // the function runs, as in the host; other errors (storage down) stay what they are.
      if (err instanceof BindingInvocationError) throw new InvocationFailedError(fn.name, invocationId, err);
      throw err;
    }
    const inputData = [
      invocation.triggerData === undefined ? { name: fn.triggerBindingName } : { name: fn.triggerBindingName, data: invocation.triggerData },
      ...extra,
    ];
    const response = await this.invoker.invoke(fn, {
      inputData,
      triggerMetadata: invocation.triggerMetadata,
      invocationId,
      retryContext: invocation.retryContext,
      traceContext: invocation.traceContext,
    });
    await this.extensions.applyOutputs(fn, response.outputData, prepared, bindingData);
    return response;
  }
}
