/** Errors of the task hub store; callers branch on the class or `code`, never on message text. */

export const StoreErrorCode = {
  Concurrency: 'TASKHUB_CONCURRENCY',
  InvalidHubName: 'TASKHUB_INVALID_NAME',
  CorruptRow: 'TASKHUB_CORRUPT_ROW',
  InvalidContinuationToken: 'TASKHUB_INVALID_CONTINUATION_TOKEN',
} as const;
export type StoreErrorCodeName = (typeof StoreErrorCode)[keyof typeof StoreErrorCode];

export class TaskHubStoreError extends Error {
  override name = 'TaskHubStoreError';
  constructor(
    readonly code: StoreErrorCodeName,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The instance's history changed since it was loaded (sentinel ETag mismatch, or the sentinel
 * already exists on a first write). Nothing of the failed transaction was stored; reload and retry.
 */
export class ConcurrencyError extends TaskHubStoreError {
  override name = 'ConcurrencyError';
  constructor(
    readonly instanceId: string,
    options?: { cause?: unknown },
  ) {
    super(StoreErrorCode.Concurrency, `history of instance ${instanceId} was changed by another writer`, true, options);
  }
}

export class InvalidHubNameError extends TaskHubStoreError {
  override name = 'InvalidHubNameError';
  constructor(readonly hubName: string, reason: string) {
    super(StoreErrorCode.InvalidHubName, `task hub name "${hubName}" is invalid: ${reason}`, false);
  }
}

/** The HTTP status of an Azure SDK error, if it has one. */
export function statusOf(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'statusCode' in err && typeof err.statusCode === 'number') return err.statusCode;
  return undefined;
}
