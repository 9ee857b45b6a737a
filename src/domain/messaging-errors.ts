/** Errors of messaging and multi-agent workflows (mapped to HTTP by kind in `src/api/error-response.ts`). */
import { AosError, ErrorKind } from './aos-error.js';

/** A workflow names agents that are not registered: 400, naming every one of them. */
export class UnknownAgentsError extends AosError {
  readonly code = 'UNKNOWN_AGENTS';
  readonly kind = ErrorKind.validation;
  override name = 'UnknownAgentsError';
  constructor(readonly agentIds: readonly string[]) {
    super(`unknown agents: ${agentIds.join(', ')}`, { details: { agentIds } });
  }
}

export class WorkflowNotFoundError extends AosError {
  readonly code = 'WORKFLOW_NOT_FOUND';
  readonly kind = ErrorKind.notFound;
  override name = 'WorkflowNotFoundError';
  constructor(readonly workflowId: string) {
    super(`there is no workflow ${workflowId}`, { details: { workflowId } });
  }
}

/** The result of a workflow that is still pending or running. */
export class WorkflowNotFinishedError extends AosError {
  readonly code = 'WORKFLOW_NOT_FINISHED';
  readonly kind = ErrorKind.conflict;
  override readonly retryable = true;
  override name = 'WorkflowNotFinishedError';
  constructor(
    readonly workflowId: string,
    readonly status: string,
  ) {
    super(`workflow ${workflowId} is ${status}; its result is not there yet`, { details: { workflowId, status } });
  }
}

/** Cancelling a workflow that already ended. */
export class WorkflowFinishedError extends AosError {
  readonly code = 'WORKFLOW_FINISHED';
  readonly kind = ErrorKind.conflict;
  override name = 'WorkflowFinishedError';
  constructor(
    readonly workflowId: string,
    readonly status: string,
  ) {
    super(`workflow ${workflowId} already ended (${status})`, { details: { workflowId, status } });
  }
}

/** Starting a workflow with an id that another, different workflow already uses. */
export class WorkflowConflictError extends AosError {
  readonly code = 'WORKFLOW_CONFLICT';
  readonly kind = ErrorKind.conflict;
  override name = 'WorkflowConflictError';
  constructor(readonly workflowId: string) {
    super(`workflow id ${workflowId} is already used by a different workflow`, { details: { workflowId } });
  }
}
