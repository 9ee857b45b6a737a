/** The `Disposable` class that `@azure/functions-core` exposes to programming models. */
export class Disposable {
  #callOnDispose: (() => void) | undefined;

  constructor(callOnDispose: () => void) {
    this.#callOnDispose = callOnDispose;
  }

  /** Combine many disposables into one. */
  static from(...inDisposables: { dispose(): void }[]): Disposable {
    return new Disposable(() => {
      for (const d of inDisposables) d.dispose();
    });
  }

  dispose(): void {
    const fn = this.#callOnDispose;
    this.#callOnDispose = undefined;
    fn?.();
  }
}
