/** `host.json`: the parts of the Functions host configuration this host honours, validated with zod. */
import path from 'node:path';
import { z } from 'zod';
import { parseTimeSpan } from '../triggers/timespan.js';
import { readConfigFile } from './config-file.js';
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
  return (await readConfigFile(path.join(appDir, 'host.json'), HostJsonSchema, { unreadable: 'HOST_JSON_UNREADABLE', invalid: 'HOST_JSON_INVALID' })) ?? {};
}

/** The HTTP route prefix: `extensions.http.routePrefix`, default `api`; an empty prefix is allowed. */
export function routePrefixOf(hostJson: HostJson): string {
  const prefix = hostJson.extensions?.http?.routePrefix ?? 'api';
  return prefix.replace(/^\/+|\/+$/g, '');
}

/** The Functions host's default for plans other than Consumption, which Core Tools also applies. */
export const DEFAULT_FUNCTION_TIMEOUT_MS = 30 * 60_000;

/**
 * `functionTimeout` in milliseconds: a TimeSpan (`"00:05:00"`), `"-1"` for no limit (undefined),
 * default 30 minutes. A value that is not a positive TimeSpan stops the host, naming the key.
 */
export function functionTimeoutOf(hostJson: HostJson): number | undefined {
  const text = hostJson.functionTimeout;
  if (text === undefined) return DEFAULT_FUNCTION_TIMEOUT_MS;
  if (text.trim() === '-1') return undefined;
  const ms = parseTimeSpan(text);
  if (ms === undefined || ms <= 0) {
    throw new HostStartError(`invalid host.json: functionTimeout: '${text}' is not a positive TimeSpan (hh:mm:ss) or -1`, 'HOST_JSON_INVALID');
  }
  return ms;
}
