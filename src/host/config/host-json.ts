/** `host.json`: the parts of the Functions host configuration this host honours, validated with zod. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { HostStartError } from './host-config-error.js';

const DurableTaskSchema = z
  .object({
    hubName: z.string().optional(),
    maxConcurrentActivityFunctions: z.number().int().positive().optional(),
    maxConcurrentOrchestratorFunctions: z.number().int().positive().optional(),
    defaultVersion: z.string().optional(),
    versionMatchStrategy: z.enum(['None', 'Strict', 'CurrentOrOlder']).optional(),
    versionFailureStrategy: z.enum(['Reject', 'Fail']).optional(),
    storageProvider: z
      .object({
        partitionCount: z.number().int().min(1).max(16).optional(),
        connectionStringName: z.string().optional(),
        connectionName: z.string().optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

export const HostJsonSchema = z
  .object({
    version: z.string().optional(),
    extensions: z
      .object({
        http: z.object({ routePrefix: z.string().optional() }).loose().optional(),
        queues: z
          .object({
            maxPollingInterval: z.union([z.string(), z.number()]).optional(),
            batchSize: z.number().int().positive().max(32).optional(),
            maxDequeueCount: z.number().int().positive().optional(),
            visibilityTimeout: z.union([z.string(), z.number()]).optional(),
            messageEncoding: z.enum(['base64', 'none']).optional(),
          })
          .loose()
          .optional(),
        durableTask: DurableTaskSchema.optional(),
      })
      .loose()
      .optional(),
    functionTimeout: z.string().optional(),
    logging: z.unknown().optional(),
  })
  .loose();

export type HostJson = z.infer<typeof HostJsonSchema>;
export type DurableTaskOptions = z.infer<typeof DurableTaskSchema>;

/** Reads `<appDir>/host.json`; a missing file means defaults, an invalid one stops the host with a message naming the key. */
export async function readHostJson(appDir: string): Promise<HostJson> {
  const file = path.join(appDir, 'host.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new HostStartError(`cannot read ${file}: ${(err as Error).message}`, 'HOST_JSON_UNREADABLE');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(stripBom(text));
  } catch (err) {
    throw new HostStartError(`invalid host.json (${file}): ${describeJsonError(err, text)}`, 'HOST_JSON_INVALID');
  }
  const parsed = HostJsonSchema.safeParse(raw);
  if (!parsed.success) {
    throw new HostStartError(`invalid host.json (${file}): ${describeZodError(parsed.error)}`, 'HOST_JSON_INVALID');
  }
  return parsed.data;
}

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

/** The HTTP route prefix: `extensions.http.routePrefix`, default `api`; an empty prefix is allowed. */
export function routePrefixOf(hostJson: HostJson): string {
  const prefix = hostJson.extensions?.http?.routePrefix ?? 'api';
  return prefix.replace(/^\/+|\/+$/g, '');
}
