/**
 * In-process wake-ups for queue listeners: when a function of this host writes to a queue that
 * another of its functions listens on, that listener polls at once instead of waiting out its
 * back-off (the host's SharedQueueWatcher does the same).
 */
export class QueueWatcher {
  readonly #listeners = new Map<string, Set<() => void>>();

  /** Call `wake` whenever `queueName` (on `account`) gets a message from this host. */
  subscribe(account: string, queueName: string, wake: () => void): () => void {
    const key = keyOf(account, queueName);
    let set = this.#listeners.get(key);
    if (!set) {
      set = new Set();
      this.#listeners.set(key, set);
    }
    set.add(wake);
    return () => set.delete(wake);
  }

  notify(account: string, queueName: string): void {
    for (const wake of this.#listeners.get(keyOf(account, queueName)) ?? []) wake();
  }
}

function keyOf(account: string, queueName: string): string {
  return `${account}\n${queueName}`;
}
