/** The errors of the agent domain: typed classes with stable codes (mapped to HTTP in `src/api/error-response.ts`). */
import type { z } from 'zod';
import { AosError, ErrorKind } from './aos-error.js';

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

export class AgentNotFoundError extends AosError {
  readonly code = 'AGENT_NOT_FOUND';
  readonly kind = ErrorKind.notFound;
  override name = 'AgentNotFoundError';
  constructor(readonly agentId: string) {
    super(`agent ${agentId} is not registered`, { details: { agentId } });
  }
}

/** Registering an id that already exists with a different definition. */
export class AgentConflictError extends AosError {
  readonly code = 'AGENT_CONFLICT';
  readonly kind = ErrorKind.conflict;
  override name = 'AgentConflictError';
  constructor(readonly agentId: string) {
    super(`agent ${agentId} is already registered with a different definition`, { details: { agentId } });
  }
}

export class LifecycleTransitionError extends AosError {
  readonly code = 'LIFECYCLE_TRANSITION_INVALID';
  readonly kind = ErrorKind.conflict;
  override name = 'LifecycleTransitionError';
  constructor(
    readonly agentId: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`agent ${agentId} cannot go from ${from} to ${to}`, { details: { agentId, from, to } });
  }
}

/** Any change but reading to an agent that is terminated (its context is kept, read-only). */
export class AgentTerminatedError extends AosError {
  readonly code = 'AGENT_TERMINATED';
  readonly kind = ErrorKind.conflict;
  override name = 'AgentTerminatedError';
  constructor(readonly agentId: string) {
    super(`agent ${agentId} is terminated`, { details: { agentId } });
  }
}

export class MailboxFullError extends AosError {
  readonly code = 'MAILBOX_FULL';
  readonly kind = ErrorKind.rateLimited;
  override readonly retryable = true;
  override name = 'MailboxFullError';
  constructor(
    readonly agentId: string,
    readonly capacity: number,
  ) {
    super(`the mailbox of agent ${agentId} is full (${capacity} events)`, { details: { agentId, capacity } });
  }
}

export class EventTooLargeError extends AosError {
  readonly code = 'EVENT_TOO_LARGE';
  readonly kind = ErrorKind.tooLarge;
  override name = 'EventTooLargeError';
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`the event is ${bytes} bytes, over the limit of ${limit}`, { details: { bytes, limit } });
  }
}

export class GoalNotFoundError extends AosError {
  readonly code = 'GOAL_NOT_FOUND';
  readonly kind = ErrorKind.notFound;
  override name = 'GoalNotFoundError';
  constructor(
    readonly agentId: string,
    readonly goalId: string,
  ) {
    super(`agent ${agentId} has no goal ${goalId}`, { details: { agentId, goalId } });
  }
}

export class GoalConflictError extends AosError {
  readonly code = 'GOAL_CONFLICT';
  readonly kind = ErrorKind.conflict;
  override name = 'GoalConflictError';
  constructor(
    readonly agentId: string,
    readonly goalId: string,
  ) {
    super(`agent ${agentId} already has a different goal ${goalId}`, { details: { agentId, goalId } });
  }
}

/** Acknowledging or recording against a batch that is not the one in flight. */
export class BatchMismatchError extends AosError {
  readonly code = 'BATCH_MISMATCH';
  readonly kind = ErrorKind.conflict;
  override name = 'BatchMismatchError';
  constructor(
    readonly agentId: string,
    readonly token: string,
  ) {
    super(`agent ${agentId} has no batch in flight with token ${token}`, { details: { agentId, token } });
  }
}

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
