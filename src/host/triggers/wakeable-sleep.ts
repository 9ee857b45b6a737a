/**
 * The pause of a poll loop between two polls, which `wake()` cuts short: a message or blob written
 * from inside the host (an output binding) is then picked up at once instead of after the back-off.
 * A wake with nobody asleep does nothing; the loop polls at once anyway when its delay was reset.
 */
export class WakeableSleep {
  #wake: (() => void) | undefined;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }

  wake(): void {
    this.#wake?.();
  }
}
