/** Errors of the I/O adapters (inference, storage). */
import { AosError, ErrorKind } from '../domain/index.js';

/** A model endpoint answered with an error status or an unreadable body. */
export class InferenceError extends AosError {
  readonly code = 'INFERENCE_FAILED';
  readonly kind = ErrorKind.unavailable;
  override name = 'InferenceError';
  override readonly retryable: boolean;
  constructor(
    message: string,
    readonly provider: string,
    readonly status: number | undefined,
    options: { retryable: boolean; cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, { cause: options.cause, details: { provider, status } });
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** The server's `Retry-After`, when it sent one. */
  readonly retryAfterMs: number | undefined;
}

/** A model endpoint did not answer within the configured time. */
export class InferenceTimeoutError extends AosError {
  readonly code = 'INFERENCE_TIMEOUT';
  readonly kind = ErrorKind.unavailable;
  override readonly retryable = true;
  override name = 'InferenceTimeoutError';
  constructor(
    readonly provider: string,
    readonly timeoutMs: number,
  ) {
    super(`${provider} did not answer within ${timeoutMs} ms`, { details: { provider, timeoutMs } });
  }
}
