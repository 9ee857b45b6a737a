/**
 * Which instances' `<Hub>Work` partitions may hold rows this process has not seen, so that a cold
 * load reads the partition only for those. Azurite 3.35 answers a partition query by scanning the
 * whole table, so a Work read per cold load made bringing thousands of instances to life O(N^2).
 *
 * Every Work row this process writes is handed to its target in memory and claimed until the
 * turn that got the copy ends (`message-handover.ts`); that turn consumes it, holds it in memory
 * (a hot instance with held messages is never retired nor evicted) or fails. So a partition can
 * hold a row memory does not know only when:
 * - it was written before this process started (the start scan of `<Hub>Work` lists those; until
 *   that scan has finished, any partition may);
 * - a turn of the instance failed or left its messages in storage on purpose (a version rejected);
 * - another process wrote it (found by the next start's scan, as before this change for hot
 *   instances; the local host is the task hub's only writer).
 * A load that read the partition makes it seen again: later rows are claimed before they are written.
 */
export class UnseenWork {
  #scanned = false;
  readonly #suspects = new Set<string>();

  /** The start scan of `<Hub>Work` finished and found rows of these instances. */
  scanned(instanceIds: Iterable<string>): void {
    for (const id of instanceIds) this.#suspects.add(id);
    this.#scanned = true;
  }

  /** Storage may hold rows of this instance that memory does not (a failed or rejected turn). */
  suspect(instanceId: string): void {
    this.#suspects.add(instanceId);
  }

  /** A load read the instance's partition: every row of it is now known. */
  seen(instanceId: string): void {
    this.#suspects.delete(instanceId);
  }

  /** True when a cold load of the instance must read its Work partition. */
  mayHold(instanceId: string): boolean {
    return !this.#scanned || this.#suspects.has(instanceId);
  }

  /** Instances still to be read (diagnostics; 0 once recovery has loaded everything it found). */
  get size(): number {
    return this.#suspects.size;
  }
}
