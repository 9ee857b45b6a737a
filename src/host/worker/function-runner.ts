/** Runs one function invocation end to end: trigger data plus host-provided inputs in, outputs carried out. */
import type { BindingExtensions } from './binding-extensions.js';
import type { RegisteredFunction } from './function-registry.js';
import type { InvokeRequest, InvokeResult, Invoker } from './invoker.js';
import type { RpcTypedData } from './rpc-types.js';

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
    const extra = await this.extensions.inputsFor(fn);
    const inputData = [
      invocation.triggerData === undefined ? { name: fn.triggerBindingName } : { name: fn.triggerBindingName, data: invocation.triggerData },
      ...extra,
    ];
    const response = await this.invoker.invoke(fn, {
      inputData,
      triggerMetadata: invocation.triggerMetadata,
      invocationId: invocation.invocationId,
      retryContext: invocation.retryContext,
      traceContext: invocation.traceContext,
    });
    await this.extensions.applyOutputs(fn, response.outputData);
    return response;
  }
}
