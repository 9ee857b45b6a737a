/**
 * Function keys on the local host, as the Functions host checks them for `authLevel` `function`
 * and `admin`: the key comes in the `x-functions-key` header or the `code` query value. Core Tools
 * checks nothing locally; this host does the same unless keys are configured (environment or
 * `local.settings.json` Values):
 *   AOS_HOST_FUNCTION_KEYS  comma-separated keys accepted by every function-level function
 *   AOS_HOST_MASTER_KEY     the master key: accepted everywhere, and the only key for admin level
 * @see https://learn.microsoft.com/azure/azure-functions/function-keys-how-to
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface FunctionKeys {
  functionKeys: Buffer[];
  masterKey?: Buffer;
}

export type KeyCheck = { ok: true } | { ok: false; message: string };

const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest();

/** The configured keys, or undefined when none are (then nothing is checked, as in Core Tools). */
export function functionKeysFromSettings(settings: Readonly<Record<string, string | undefined>>): FunctionKeys | undefined {
  const functionKeys = (settings.AOS_HOST_FUNCTION_KEYS ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '')
    .map(digest);
  const master = settings.AOS_HOST_MASTER_KEY?.trim();
  if (functionKeys.length === 0 && !master) return undefined;
  return { functionKeys, ...(master ? { masterKey: digest(master) } : {}) };
}

/** The Functions host's default authLevel for an HTTP trigger that names none is `function`. */
function authLevelOf(trigger: Record<string, unknown>): 'anonymous' | 'function' | 'admin' {
  const level = String(trigger.authLevel ?? 'function').toLowerCase();
  return level === 'anonymous' || level === 'admin' ? level : 'function';
}

function presentedKey(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers['x-functions-key'];
  const value = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('code') ?? undefined;
  return value === undefined || value === '' ? undefined : value;
}

export function checkFunctionKey(trigger: Record<string, unknown>, req: IncomingMessage, url: URL, keys: FunctionKeys | undefined): KeyCheck {
  if (!keys) return { ok: true };
  const level = authLevelOf(trigger);
  if (level === 'anonymous') return { ok: true };
  const key = presentedKey(req, url);
  if (!key) return { ok: false, message: `this function needs a ${level === 'admin' ? 'master' : 'function'} key (x-functions-key header or code query value)` };
  const presented = digest(key);
  const matches = (k: Buffer | undefined) => k !== undefined && timingSafeEqual(k, presented);
  const accepted = level === 'admin' ? matches(keys.masterKey) : matches(keys.masterKey) || keys.functionKeys.some(matches);
  return accepted ? { ok: true } : { ok: false, message: 'the key is not valid for this function' };
}
