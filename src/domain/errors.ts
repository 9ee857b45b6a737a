/** The errors of the agent domain: typed classes with stable codes (mapped to HTTP in `src/api/error-response.ts`). */
import type { z } from 'zod';
import { AosError, ErrorKind, aosErrorClass } from './aos-error.js';

/** Input failed a zod schema. `details` lists the issues (path and message). */
export class ValidationError extends AosError {
  readonly code = 'VALIDATION_FAILED';
  readonly kind = ErrorKind.validation;
  override name = 'ValidationError';

  static fromZod(what: string, error: z.ZodError): ValidationError {
    const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    return new ValidationError(`invalid ${what}`, { details: { issues } });
  }
}

export class AgentNotFoundError extends aosErrorClass({ name: 'AgentNotFoundError', code: 'AGENT_NOT_FOUND', kind: ErrorKind.notFound, fields: ['agentId'], message: (agentId: string) => `agent ${agentId} is not registered` }) {}

/** Registering an id that already exists with a different definition. */
export class AgentConflictError extends aosErrorClass({ name: 'AgentConflictError', code: 'AGENT_CONFLICT', kind: ErrorKind.conflict, fields: ['agentId'], message: (agentId: string) => `agent ${agentId} is already registered with a different definition` }) {}

export class LifecycleTransitionError extends aosErrorClass({ name: 'LifecycleTransitionError', code: 'LIFECYCLE_TRANSITION_INVALID', kind: ErrorKind.conflict, fields: ['agentId', 'from', 'to'], message: (agentId: string, from: string, to: string) => `agent ${agentId} cannot go from ${from} to ${to}` }) {}

/** Any change but reading to an agent that is terminated (its context is kept, read-only). */
export class AgentTerminatedError extends aosErrorClass({ name: 'AgentTerminatedError', code: 'AGENT_TERMINATED', kind: ErrorKind.conflict, fields: ['agentId'], message: (agentId: string) => `agent ${agentId} is terminated` }) {}

export class MailboxFullError extends aosErrorClass({ name: 'MailboxFullError', code: 'MAILBOX_FULL', kind: ErrorKind.rateLimited, retryable: true, fields: ['agentId', 'capacity'], message: (agentId: string, capacity: number) => `the mailbox of agent ${agentId} is full (${capacity} events)` }) {}

export class EventTooLargeError extends aosErrorClass({ name: 'EventTooLargeError', code: 'EVENT_TOO_LARGE', kind: ErrorKind.tooLarge, fields: ['bytes', 'limit'], message: (bytes: number, limit: number) => `the event is ${bytes} bytes, over the limit of ${limit}` }) {}

export class GoalNotFoundError extends aosErrorClass({ name: 'GoalNotFoundError', code: 'GOAL_NOT_FOUND', kind: ErrorKind.notFound, fields: ['agentId', 'goalId'], message: (agentId: string, goalId: string) => `agent ${agentId} has no goal ${goalId}` }) {}

export class GoalConflictError extends aosErrorClass({ name: 'GoalConflictError', code: 'GOAL_CONFLICT', kind: ErrorKind.conflict, fields: ['agentId', 'goalId'], message: (agentId: string, goalId: string) => `agent ${agentId} already has a different goal ${goalId}` }) {}

/** Acknowledging or recording against a batch that is not the one in flight. */
export class BatchMismatchError extends aosErrorClass({ name: 'BatchMismatchError', code: 'BATCH_MISMATCH', kind: ErrorKind.conflict, fields: ['agentId', 'token'], message: (agentId: string, token: string) => `agent ${agentId} has no batch in flight with token ${token}` }) {}

/** An error reported by another process (an entity operation, an activity) and rebuilt on this side. */
export class RemoteOperationError extends AosError {
  readonly kind: (typeof ErrorKind)[keyof typeof ErrorKind];
  override name = 'RemoteOperationError';
  constructor(
    readonly code: string,
    kind: (typeof ErrorKind)[keyof typeof ErrorKind],
    message: string,
    details?: unknown,
  ) {
    super(message, { details });
    this.kind = kind;
  }
}
