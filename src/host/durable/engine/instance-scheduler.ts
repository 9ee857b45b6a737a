/**
 * Runs turns one at a time per instance, with a cap on how many instances run at once
 * (`maxConcurrentOrchestratorFunctions`). Messages that arrive while an instance is busy wait in
 * memory for its next turn, so a hot instance takes a whole batch per turn.
 */
import type { InstanceMessage } from '../core/work.js';

export interface TurnRequest {
  instanceId: string;
  /** Messages delivered in memory (activity results, timer firings) since the last turn. */
  messages: InstanceMessage[];
  /** True when storage may hold messages this process has not seen (client writes, recovery). */
  checkStorage: boolean;
}

export type TurnRunner = (request: TurnRequest) => Promise<void>;

interface Slot {
  messages: InstanceMessage[];
  checkStorage: boolean;
  running: boolean;
  queued: boolean;
}

export class InstanceScheduler {
  readonly #slots = new Map<string, Slot>();
  readonly #ready: string[] = [];
  #active = 0;
  #idleWaiters: (() => void)[] = [];
  #stopped = false;

  constructor(
    private readonly run: TurnRunner,
    private readonly maxConcurrent: number,
    private readonly onError: (instanceId: string, err: unknown) => void,
  ) {}

  /** Ask for a turn of `instanceId`, with in-memory messages and/or a look at storage. */
  notify(instanceId: string, messages: InstanceMessage[] = [], checkStorage = false): void {
    if (this.#stopped) return;
    let slot = this.#slots.get(instanceId);
    if (!slot) {
      slot = { messages: [], checkStorage: false, running: false, queued: false };
      this.#slots.set(instanceId, slot);
    }
    slot.messages.push(...messages);
    slot.checkStorage ||= checkStorage;
    if (!slot.running && !slot.queued) {
      slot.queued = true;
      this.#ready.push(instanceId);
    }
    this.#pump();
  }

  /** Resolves when nothing is running or waiting. */
  async idle(): Promise<void> {
    if (this.#active === 0 && this.#ready.length === 0) return;
    await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  get activeCount(): number {
    return this.#active;
  }

  get pendingCount(): number {
    return this.#ready.length;
  }

  /** Instances with a turn running or waiting (idle instances have no slot). */
  get slotCount(): number {
    return this.#slots.size;
  }

  /** Stop taking new turns; resolves when running turns end. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#ready.length = 0;
    if (this.#active > 0) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  #pump(): void {
    while (this.#active < this.maxConcurrent && this.#ready.length > 0) {
      const instanceId = this.#ready.shift() as string;
      const slot = this.#slots.get(instanceId);
      if (!slot) continue;
      slot.queued = false;
      slot.running = true;
      const request: TurnRequest = { instanceId, messages: slot.messages, checkStorage: slot.checkStorage };
      slot.messages = [];
      slot.checkStorage = false;
      this.#active++;
      void this.run(request)
        .catch((err: unknown) => this.onError(instanceId, err))
        .finally(() => {
          this.#active--;
          slot.running = false;
          if ((slot.messages.length > 0 || slot.checkStorage) && !this.#stopped) {
            slot.queued = true;
            this.#ready.push(instanceId);
          } else {
            // no per-instance object is kept for idle instances
            this.#slots.delete(instanceId);
          }
          this.#pump();
          if (this.#active === 0 && this.#ready.length === 0) {
            const waiters = this.#idleWaiters;
            this.#idleWaiters = [];
            for (const w of waiters) w();
          }
        });
    }
  }
}
