/** Errors of authentication (401) and authorization (403); the HTTP edge maps their kinds. */
import { AosError, ErrorKind } from '../../domain/index.js';

/** No credentials, or credentials that do not check out. The message never echoes what was sent. */
export class UnauthenticatedError extends AosError {
  readonly code = 'UNAUTHENTICATED';
  readonly kind = ErrorKind.unauthenticated;
  override name = 'UnauthenticatedError';
}

export class ForbiddenError extends AosError {
  readonly code = 'FORBIDDEN';
  readonly kind = ErrorKind.forbidden;
  override name = 'ForbiddenError';
  constructor(
    readonly required: string,
    readonly granted: readonly string[],
  ) {
    super(`this operation needs the ${required} role`, { details: { required, granted } });
  }
}
