/** `local.settings.json`: its `Values` become environment variables, as Core Tools does. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { HostStartError } from './host-config-error.js';
import { describeJsonError, describeZodError, stripBom } from './host-json.js';

export const LocalSettingsSchema = z
  .object({
    IsEncrypted: z.boolean().optional(),
    Values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()], { error: 'an app setting is a string, number or boolean' })).optional(),
    Host: z
      .object({ LocalHttpPort: z.number().int().optional(), CORS: z.string().optional(), CORSCredentials: z.boolean().optional() })
      .loose()
      .optional(),
    ConnectionStrings: z.record(z.string(), z.string()).optional(),
  })
  .loose();

export type LocalSettings = z.infer<typeof LocalSettingsSchema>;

export async function readLocalSettings(appDir: string): Promise<LocalSettings> {
  const file = path.join(appDir, 'local.settings.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new HostStartError(`cannot read ${file}: ${(err as Error).message}`, 'LOCAL_SETTINGS_UNREADABLE');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(stripBom(text));
  } catch (err) {
    throw new HostStartError(`invalid local.settings.json (${file}): ${describeJsonError(err, text)}`, 'LOCAL_SETTINGS_INVALID');
  }
  const parsed = LocalSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new HostStartError(`invalid local.settings.json (${file}): ${describeZodError(parsed.error)}`, 'LOCAL_SETTINGS_INVALID');
  }
  if (parsed.data.IsEncrypted) {
    throw new HostStartError(`local.settings.json (${file}) is encrypted; this host reads only unencrypted settings`, 'LOCAL_SETTINGS_ENCRYPTED');
  }
  return parsed.data;
}

/**
 * Values from local.settings.json fill the environment without overriding variables that are
 * already set, which is Core Tools' precedence (a shell variable beats the file).
 */
export function applyLocalSettings(settings: LocalSettings, env: NodeJS.ProcessEnv): string[] {
  const applied: string[] = [];
  for (const [key, value] of Object.entries(settings.Values ?? {})) {
    if (env[key] === undefined) {
      env[key] = String(value);
      applied.push(key);
    }
  }
  return applied;
}
