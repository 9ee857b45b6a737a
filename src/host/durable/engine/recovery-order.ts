/**
 * The order in which recovery loads the instances it finds in `<Hub>Work` after a restart.
 */
import { isActivityRowKey } from '../store/key-sanitation.js';

/**
 * Instances with open activities (an activity marker row) first: their activities were under way
 * before the crash and run again as soon as the instance is loaded, in parallel with the loading
 * of the rest, whose work (inbound messages only) has not started yet. Otherwise table order.
 * Without it an instance's place was its id's: W6 loaded about 85 agent instances (`@agent@...`,
 * `agent-...`) before the first sequence (`w6-...`), 0.8 s of a 1.7 s recovery.
 */
export function recoveryOrder<T extends { rowKeys: readonly string[] }>(partitions: readonly T[]): T[] {
  const open: T[] = [];
  const rest: T[] = [];
  for (const p of partitions) (p.rowKeys.some(isActivityRowKey) ? open : rest).push(p);
  return [...open, ...rest];
}
