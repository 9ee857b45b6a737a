import { describe, expect, it } from 'vitest';
import { decodeContinuationToken, encodeContinuationToken } from './continuation-token.js';
import { StoreErrorCode, TaskHubStoreError } from './errors.js';

describe('continuation tokens', () => {
  it('wrap and unwrap the table token', () => {
    const tableToken = 'eyJuZXh0UGFydGl0aW9uS2V5IjoiMSFhIn0=';
    const token = encodeContinuationToken(tableToken);
    expect(token).toBeTypeOf('string');
    expect(token).not.toContain(tableToken);
    expect(decodeContinuationToken(token)).toBe(tableToken);
  });

  it('are URL-safe', () => {
    expect(encodeContinuationToken('a+b/c=d?é')).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('mean "from the start" when absent', () => {
    expect(encodeContinuationToken(undefined)).toBeUndefined();
    expect(decodeContinuationToken(undefined)).toBeUndefined();
    expect(decodeContinuationToken('')).toBeUndefined();
  });

  it('reject a token the store did not issue', () => {
    for (const bad of ['not-base64!', Buffer.from('{"v":2,"t":"x"}').toString('base64url'), Buffer.from('[]').toString('base64url')]) {
      let caught: unknown;
      try {
        decodeContinuationToken(bad);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(TaskHubStoreError);
      expect((caught as TaskHubStoreError).code).toBe(StoreErrorCode.InvalidContinuationToken);
    }
  });
});
