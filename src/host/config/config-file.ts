/**
 * Reading one of the app's optional JSON configuration files (`host.json`, `local.settings.json`)
 * through a zod schema, with the messages Core Tools users expect: the file, and where it is wrong.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { HostStartError } from './host-config-error.js';

/**
 * Reads and checks `file`; undefined when it does not exist. A file that cannot be read, is not
 * JSON or fails the schema stops the host with a `HostStartError` under the given codes.
 */
export async function readConfigFile<S extends z.ZodType>(file: string, schema: S, codes: { unreadable: string; invalid: string }): Promise<z.output<S> | undefined> {
  const name = path.basename(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new HostStartError(`cannot read ${file}: ${(err as Error).message}`, codes.unreadable);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(stripBom(text));
  } catch (err) {
    throw new HostStartError(`invalid ${name} (${file}): ${describeJsonError(err, text)}`, codes.invalid);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new HostStartError(`invalid ${name} (${file}): ${describeZodError(parsed.error)}`, codes.invalid);
  }
  return parsed.data;
}

/** Drops a leading byte-order mark, which some editors write and JSON.parse refuses. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** JSON.parse's message with the line and column of its `position`, which is what an editor shows. */
export function describeJsonError(err: unknown, text: string): string {
  const message = err instanceof Error ? err.message : String(err);
  const m = /at position (\d+)/.exec(message);
  if (!m) return message;
  const before = stripBom(text).slice(0, Number(m[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}

/** `key.path: message` for the first problem, which is what a person fixes first. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid value';
  const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  return `${where}: ${issue.message}`;
}
