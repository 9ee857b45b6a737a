/**
 * Messages between instances of this process (and from its client) travel twice: as a Work row,
 * which makes them durable, and in memory to the target's next turn, so a hot target does not
 * re-read its Work partition for a message it could be handed. The row is only for recovery.
 *
 * A row whose copy travels in memory is *claimed* from before it is written until the turn that
 * received the copy has ended. Storage reads of the target skip claimed rows: without that, a
 * turn that reads the partition while the write is in flight (a cold load, a recovery) would
 * apply the row, and the next turn the in-memory copy again (an EventRaised applied twice).
 */
import type { InstanceMessage } from '../core/work.js';
import { messageRowKey } from '../store/key-sanitation.js';
import type { TaskHubStore } from '../store/task-hub-store.js';
import type { StoredMessage } from '../wire/work-row.js';

/** Hands a target its messages for its next turn (the instance scheduler). */
export type HandOver = (instanceId: string, messages: StoredMessage[]) => void;

export class MessageHandover {
  /** Claimed row keys per target, counted: a re-delivery with the same key may overlap the first. */
  readonly #claims = new Map<string, Map<string, number>>();

  constructor(
    private readonly store: Pick<TaskHubStore, 'putMessages'>,
    private readonly handOver: HandOver,
  ) {}

  /** Write the messages as Work rows, then hand each target its messages in memory. */
  async send(messages: readonly InstanceMessage[]): Promise<StoredMessage[]> {
    const stored = await this.write(messages);
    this.deliver(stored);
    return stored;
  }

  /**
   * Write the messages as claimed Work rows, for a caller that has more to do before the targets
   * may run (a client start writes the Instances row in between). The caller must then
   * {@link deliver} them, or {@link release} them if it gives up.
   */
  async write(messages: readonly InstanceMessage[]): Promise<StoredMessage[]> {
    if (messages.length === 0) return [];
    // Row keys are deterministic (enqueue time and message id), so the claim precedes the write.
    const stored = messages.map((m): StoredMessage => ({ ...m, rowKey: messageRowKey(m.event.timestamp, m.messageId) }));
    for (const s of stored) this.#claim(s.targetInstanceId, s.rowKey);
    try {
      await this.store.putMessages(messages);
    } catch (err) {
      for (const s of stored) this.#unclaim(s.targetInstanceId, s.rowKey);
      throw err;
    }
    return stored;
  }

  /** Hand written messages to their targets (grouped, one notification per target). */
  deliver(stored: readonly StoredMessage[]): void {
    const byTarget = new Map<string, StoredMessage[]>();
    for (const s of stored) {
      const list = byTarget.get(s.targetInstanceId) ?? [];
      list.push(s);
      byTarget.set(s.targetInstanceId, list);
    }
    for (const [target, list] of byTarget) this.handOver(target, list);
  }

  /** The turn that received these messages has ended (or they will never be handed over): storage owns them again. */
  release(instanceId: string, messages: readonly (InstanceMessage | StoredMessage)[]): void {
    for (const m of messages) if ('rowKey' in m) this.#unclaim(instanceId, m.rowKey);
  }

  /** True when a copy of the row travels in memory to `instanceId` (a storage read must skip it). */
  isClaimed(instanceId: string, message: StoredMessage): boolean {
    const claims = this.#claims.get(instanceId);
    return claims !== undefined && claims.has(message.rowKey);
  }

  /** Instances with claimed rows (for diagnostics; 0 when nothing is in flight). */
  get size(): number {
    return this.#claims.size;
  }

  #claim(instanceId: string, key: string): void {
    const claims = this.#claims.get(instanceId) ?? new Map<string, number>();
    claims.set(key, (claims.get(key) ?? 0) + 1);
    this.#claims.set(instanceId, claims);
  }

  #unclaim(instanceId: string, key: string): void {
    const claims = this.#claims.get(instanceId);
    const n = claims?.get(key);
    if (!claims || n === undefined) return;
    if (n > 1) claims.set(key, n - 1);
    else claims.delete(key);
    if (claims.size === 0) this.#claims.delete(instanceId);
  }
}
