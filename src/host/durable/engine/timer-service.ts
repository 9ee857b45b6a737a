/**
 * Durable timers with one `setTimeout` for the earliest due timer, whatever the number of
 * sleeping instances: the index of the rest stays in storage (`<Hub>Timers`, ordered by fire time).
 */
export interface DueTimer {
  instanceId: string;
  executionId: string;
  timerId: number;
  fireAt: Date;
}

export interface TimerIndex {
  /** The earliest timer in the index, if any. */
  nextTimer(): Promise<DueTimer | undefined>;
  /** Timers due at `now`, earliest first, at most `limit`. */
  dueTimers(now: Date, limit: number): Promise<DueTimer[]>;
}

export interface TimerServiceOptions {
  index: TimerIndex;
  /** Makes the fired timers durable for their instances (and removes them from the index). */
  fire(timers: DueTimer[]): Promise<void>;
  now?: () => Date;
  onError?: (err: unknown) => void;
}

/** setTimeout's ceiling (about 24.8 days); longer waits re-arm. */
const MAX_DELAY_MS = 2 ** 31 - 1;
const BATCH = 100;

export class TimerService {
  #handle: NodeJS.Timeout | undefined;
  #armedAt: number | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  readonly #now: () => Date;

  constructor(private readonly options: TimerServiceOptions) {
    this.#now = options.now ?? (() => new Date());
  }

  /** `setTimeout`s this service holds: 0 or 1, however many timers are stored. */
  get armedCount(): number {
    return this.#handle === undefined ? 0 : 1;
  }

  async start(): Promise<void> {
    this.#stopped = false;
    await this.#drain();
  }

  /** A timer was added at `fireAt`: wake earlier if it is before what is armed. */
  scheduled(fireAt: Date): void {
    if (this.#stopped) return;
    const at = fireAt.getTime();
    if (this.#armedAt === undefined || at < this.#armedAt) this.#arm(at);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#handle) clearTimeout(this.#handle);
    this.#handle = undefined;
    await this.#running;
  }

  #arm(at: number): void {
    if (this.#handle) clearTimeout(this.#handle);
    this.#armedAt = at;
    const delay = Math.max(0, Math.min(at - this.#now().getTime(), MAX_DELAY_MS));
    this.#handle = setTimeout(() => {
      this.#handle = undefined;
      this.#armedAt = undefined;
      void this.#drain();
    }, delay);
    this.#handle.unref?.();
  }

  /** Fire everything due, then arm for the next timer. One drain at a time. */
  async #drain(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        try {
          for (;;) {
            if (this.#stopped) return;
            const due = await this.options.index.dueTimers(this.#now(), BATCH);
            if (due.length === 0) break;
            await this.options.fire(due);
            if (due.length < BATCH) break;
          }
          if (this.#stopped) return;
          const next = await this.options.index.nextTimer();
          if (next) this.#arm(next.fireAt.getTime());
        } catch (err) {
          this.options.onError?.(err);
          // storage hiccup: try again shortly rather than losing the timer
          if (!this.#stopped) this.#arm(this.#now().getTime() + 1_000);
        }
      } while (this.#again && !this.#stopped);
    })();
    try {
      await this.#running;
    } finally {
      this.#running = undefined;
    }
  }
}
