/**
 * Picking the moment of a `kill -9` in the crash tests. Unlike `waitUntil`, running out of time is
 * not a failure: the moment only steers where the kill lands, and the kill lands anyway.
 */

/** Polls `moment` (a probe that throws counts as "not yet") until it holds or `maxWaitMs` passes; whether it was seen. */
export async function waitForMoment(moment: () => Promise<boolean>, maxWaitMs: number): Promise<boolean> {
  const deadline = Date.now() + maxWaitMs;
  let seen = false;
  while (!seen && Date.now() < deadline) {
    seen = await moment().catch(() => false);
    if (!seen) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return seen;
}

/** The label a kill is reported under, saying when its moment was not seen. */
export function killLabel(label: string, seen: boolean): string {
  return `${label}${seen ? '' : ' (moment not seen)'}`;
}
