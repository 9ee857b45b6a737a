/**
 * API keys: sent as Functions keys are (`x-functions-key` header or `code` query value) and
 * checked against the list in a secret (`role:key` or a bare key, which grants admin, as a
 * Functions key grants everything the function does). Compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { parseRole, Role, type Role as RoleValue } from './auth-roles.js';

export interface ApiKey {
  role: RoleValue;
  digest: Buffer;
}

const digestOf = (key: string) => createHash('sha256').update(key, 'utf8').digest();

/** Parses `admin:k1,operator:k2,k3`; a key whose prefix is no role is taken whole. */
export function parseApiKeys(list: string | undefined): ApiKey[] {
  if (!list) return [];
  return list
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const colon = entry.indexOf(':');
      const role = colon > 0 ? parseRole(entry.slice(0, colon)) : undefined;
      return { role: role ?? Role.admin, digest: digestOf(role ? entry.slice(colon + 1) : entry) };
    });
}

/** The role of a presented key, or undefined. Every key is compared, so timing does not reveal which matched. */
export function matchApiKey(keys: readonly ApiKey[], presented: string): RoleValue | undefined {
  const digest = digestOf(presented);
  let match: RoleValue | undefined;
  for (const key of keys) if (timingSafeEqual(key.digest, digest) && match === undefined) match = key.role;
  return match;
}
