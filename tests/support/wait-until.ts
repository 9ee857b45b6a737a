/** Waits for a condition across processes, failing with a message that says what never became true. */
export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  describe: string;
}

export async function waitUntil<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, options: WaitOptions): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting until ${options.describe}${why}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
}
