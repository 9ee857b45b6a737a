/** A start-up problem the host reports as one line and a non-zero exit. */
export class HostStartError extends Error {
  override name = 'HostStartError';
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
