/** Small statistics for the bench: medians and nearest-rank percentiles. */

/** @param {number[]} values @param {number} p 0-100 @returns {number} */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return /** @type {number} */ (sorted[rank - 1]);
}

/** @param {number[]} values */
export const median = (values) => percentile(values, 50);

/** @param {number[]} values */
export const max = (values) => (values.length === 0 ? Number.NaN : Math.max(...values));

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Run `fn` over `items` with at most `limit` in flight; results in input order.
 * @template T, R
 * @param {readonly T[]} items @param {number} limit @param {(item: T, index: number) => Promise<R>} fn
 * @returns {Promise<R[]>}
 */
export async function mapLimit(items, limit, fn) {
  /** @type {R[]} */
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(/** @type {T} */ (items[i]), i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Poll `probe` until it returns something other than undefined/false, or fail after `timeoutMs`.
 * @template T
 * @param {() => Promise<T | undefined | false>} probe @param {{ timeoutMs: number, intervalMs?: number, describe: string }} options
 * @returns {Promise<T>}
 */
export async function waitFor(probe, options) {
  const deadline = Date.now() + options.timeoutMs;
  /** @type {unknown} */
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${options.timeoutMs} ms waiting until ${options.describe}${why}`);
    }
    await sleep(options.intervalMs ?? 50);
  }
}
