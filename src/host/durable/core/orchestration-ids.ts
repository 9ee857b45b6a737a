/**
 * Deterministic identifiers an orchestration episode hands out. Determinism matters because a
 * turn may be decided again after a crash: the same history must yield the same ids, so that a
 * re-sent message overwrites instead of duplicating, and the JS (which only reads ids back from
 * history) stays consistent.
 */
import { createHash } from 'node:crypto';

/** Namespace for entity request ids (a fixed random UUID; only stability matters). */
const ENTITY_REQUEST_NAMESPACE = 'a4d3c0de-5b1e-4f6a-9c8e-2f0d7b3e6a91';

/** RFC 4122 version-5 UUID (SHA-1 of namespace bytes + name), as DTFx's and the JS's `NewGuid` do. */
export function uuidV5(name: string, namespace: string = ENTITY_REQUEST_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Id of a message an instance sends for its scheduling event `eventId` (`<sender>|<executionId>|<eventId>`). */
export function outboundMessageId(instanceId: string, executionId: string, eventId: number | string): string {
  return `${instanceId}|${executionId}|${eventId}`;
}

/** Request id of an entity call or signal; the JS reads it back from `EventSent.Input.id`. */
export function entityRequestId(instanceId: string, executionId: string, eventId: number): string {
  return uuidV5(`${instanceId}|${executionId}|${eventId}`);
}

/**
 * Instance id of a sub-orchestration started without one: DTFx's `<parent ExecutionId>:<k>`
 * (TaskOrchestrationContext.CreateSubOrchestrationInstanceCore), durable-protocol.md B.8.
 */
export function defaultSubOrchestrationId(parentExecutionId: string, sequenceNumber: number): string {
  return `${parentExecutionId}:${sequenceNumber}`;
}
