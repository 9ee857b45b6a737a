/**
 * The failure texts the Durable extension writes for orchestrations; they are observable (status
 * output, the parent's caught error), so they copy the extension's wording.
 * @see https://github.com/Azure/azure-functions-durable-extension/blob/v2.13.7/src/WebJobs.Extensions.DurableTask/Listener/OutOfProcOrchestrationShim.cs
 */

/** Reason and details of a failed execution (ExecutionCompleted.Result and the parent's SubOrchestrationInstanceFailed). */
export interface OrchestrationFailureText {
  reason: string;
  details: string;
}

/** An uncaught error in the orchestrator (durable-protocol.md B.5). */
export function orchestratorFailed(orchestrationName: string, message: string, stack?: string): OrchestrationFailureText {
  return {
    reason: `Orchestrator function '${orchestrationName}' failed: ${message}`,
    details: `Message: ${message}, StackTrace: ${stack ?? ''}`,
  };
}

/** What an unregistered callee is; the wording follows the extension's in-process message for a missing function. */
export type CalleeKind = 'activity' | 'orchestration' | 'entity';

const calleeNoun: Record<CalleeKind, string> = { activity: 'activity', orchestration: 'orchestrator', entity: 'entity' };

/**
 * A call to a function the app does not register. The extension would schedule nothing and leave
 * the instance running forever (durable-js issue #197); this host fails the orchestration instead.
 */
export function unknownCallee(orchestrationName: string, kind: CalleeKind, calleeName: string): OrchestrationFailureText {
  const message = `The function '${calleeName}' doesn't exist, is disabled, or is not an ${calleeNoun[kind]} function.`;
  return orchestratorFailed(orchestrationName, message);
}

/** A sub-orchestration id the extension rejects (its own id, or an entity-style `@` id). */
export function invalidSubOrchestrationId(orchestrationName: string, childId: string): OrchestrationFailureText {
  return orchestratorFailed(orchestrationName, `The sub-orchestration instance id '${childId}' is not valid: it must differ from the parent's id and must not start with '@'.`);
}
