/** Errors of messaging and multi-agent workflows (mapped to HTTP by kind in `src/api/error-response.ts`). */
import { ErrorKind, aosErrorClass } from './aos-error.js';

/** A workflow names agents that are not registered: 400, naming every one of them. */
export class UnknownAgentsError extends aosErrorClass({ name: 'UnknownAgentsError', code: 'UNKNOWN_AGENTS', kind: ErrorKind.validation, fields: ['agentIds'], message: (agentIds: readonly string[]) => `unknown agents: ${agentIds.join(', ')}` }) {}

export class WorkflowNotFoundError extends aosErrorClass({ name: 'WorkflowNotFoundError', code: 'WORKFLOW_NOT_FOUND', kind: ErrorKind.notFound, fields: ['workflowId'], message: (workflowId: string) => `there is no workflow ${workflowId}` }) {}

/** The result of a workflow that is still pending or running. */
export class WorkflowNotFinishedError extends aosErrorClass({ name: 'WorkflowNotFinishedError', code: 'WORKFLOW_NOT_FINISHED', kind: ErrorKind.conflict, retryable: true, fields: ['workflowId', 'status'], message: (workflowId: string, status: string) => `workflow ${workflowId} is ${status}; its result is not there yet` }) {}

/** Cancelling a workflow that already ended. */
export class WorkflowFinishedError extends aosErrorClass({ name: 'WorkflowFinishedError', code: 'WORKFLOW_FINISHED', kind: ErrorKind.conflict, fields: ['workflowId', 'status'], message: (workflowId: string, status: string) => `workflow ${workflowId} already ended (${status})` }) {}

/** Starting a workflow with an id that another, different workflow already uses. */
export class WorkflowConflictError extends aosErrorClass({ name: 'WorkflowConflictError', code: 'WORKFLOW_CONFLICT', kind: ErrorKind.conflict, fields: ['workflowId'], message: (workflowId: string) => `workflow id ${workflowId} is already used by a different workflow` }) {}
