/**
 * The messages an entity turn sends: responses to calling orchestrations, signals to other
 * entities, and lock requests forwarded along a lock set. Ids are deterministic so that a redone
 * post-commit sends the same messages again (and receivers drop them).
 * @see durable-protocol.md C.2, C.4, C.6
 */
import { createHash } from 'node:crypto';
import { EntityMessageName, entityInstanceId, type RequestMessage, type RequestSequence, type ResponseMessage } from './entity-messages.js';
import type { InstanceMessage } from './work.js';
import type { EntitySignal } from '../wire/entity-batch.js';

/** The exception type the extension reports for a failed out-of-proc entity operation. */
export const ENTITY_OPERATION_EXCEPTION_TYPE = 'Error';

/** Builds the outbound messages of one turn, numbering them `<entity>|<turn>|<i>` in order. */
export class EntityOutbox {
  readonly messages: InstanceMessage[] = [];
  readonly #timestamp: string;
  /** Index of the newest request this turn sent to each entity, for the next request's `seq.prev`. */
  readonly #lastRequestTo = new Map<string, number>();

  constructor(
    private readonly instanceId: string,
    private readonly turn: number,
    now: Date,
  ) {
    this.#timestamp = now.toISOString();
  }

  /** Answers a call: an EventRaised named by the request id, for the caller's execution. */
  respond(request: RequestMessage, response: ResponseMessage): void {
    if (!request.parent) return; // clients only signal; nobody waits for an answer
    this.#send(request.parent, request.id, JSON.stringify(response), request.parentExecution ?? undefined);
  }

  /** Sends a signal from an operation to another entity, as an `op` request whose parent is this entity. */
  signal(signal: EntitySignal): void {
    const messageId = this.#nextId();
    // The JS keeps the case the user wrote in `target`; the scheduler id lower-cases the name (C.1).
    const target = entityInstanceId(signal.target);
    const request: RequestMessage = {
      op: signal.name,
      signal: true,
      // The JS sends `""` for a falsy input; the receiving JS reads `""` and null alike (undefined).
      ...(signal.input ? { input: signal.input } : {}),
      id: nameBasedUuid(messageId),
      parent: this.instanceId,
      Timestamp: this.#timestamp,
      seq: this.#sequence(target),
    };
    this.#send(target, EntityMessageName.Request, JSON.stringify(request), undefined, messageId);
  }

  /**
   * Passes a lock request on to the next entity of its lock set. It travels in this entity's
   * stream (its `seq` is this turn's), not in the orchestration's, which numbered it for the first entity.
   */
  forwardLock(request: RequestMessage, targetInstanceId: string): void {
    const forwarded: RequestMessage = { ...request, pos: (request.pos ?? 0) + 1, seq: this.#sequence(targetInstanceId) };
    this.#send(targetInstanceId, EntityMessageName.Request, JSON.stringify(forwarded));
  }

  /** The `seq` of the request about to be sent to `target`: this turn, its index, the previous request's index. */
  #sequence(target: string): RequestSequence {
    const n = this.messages.length;
    const prev = this.#lastRequestTo.get(target);
    this.#lastRequestTo.set(target, n);
    return { n, ...(prev !== undefined ? { prev } : {}), from: this.instanceId, turn: this.turn };
  }

  #nextId(): string {
    return `${this.instanceId}|${this.turn}|${this.messages.length}`;
  }

  #send(target: string, name: string, input: string, targetExecutionId?: string, messageId = this.#nextId()): void {
    this.messages.push({
      messageId,
      targetInstanceId: target,
      ...(targetExecutionId ? { targetExecutionId } : {}),
      event: { type: 'EventRaised', eventId: -1, isPlayed: false, timestamp: this.#timestamp, name, input },
      sender: this.instanceId,
    });
  }
}

/** A version-5-style UUID from a name: stable across re-runs, unique per message id. */
export function nameBasedUuid(name: string): string {
  const bytes = createHash('sha1').update('aos-entity-request:').update(name).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
