/**
 * Continuation tokens handed to clients: an opaque, versioned wrapper around the table
 * service's own token, so the format can change without breaking a client mid-paging.
 */
import { z } from 'zod';
import { StoreErrorCode, TaskHubStoreError } from './errors.js';

const TokenSchema = z.object({ v: z.literal(1), t: z.string().min(1) });

export function encodeContinuationToken(tableToken: string | undefined): string | undefined {
  if (tableToken === undefined) return undefined;
  return Buffer.from(JSON.stringify({ v: 1, t: tableToken }), 'utf8').toString('base64url');
}

/** @throws TaskHubStoreError `TASKHUB_INVALID_CONTINUATION_TOKEN` for a token this store did not issue. */
export function decodeContinuationToken(token: string | undefined): string | undefined {
  if (token === undefined || token === '') return undefined;
  try {
    return TokenSchema.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))).t;
  } catch (err) {
    throw new TaskHubStoreError(StoreErrorCode.InvalidContinuationToken, 'continuation token is not valid', false, { cause: err });
  }
}
