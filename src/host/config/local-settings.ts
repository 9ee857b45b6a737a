/** `local.settings.json`: its `Values` become environment variables, as Core Tools does. */
import path from 'node:path';
import { z } from 'zod';
import { readConfigFile } from './config-file.js';
import { HostStartError } from './host-config-error.js';

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
  const settings = await readConfigFile(file, LocalSettingsSchema, { unreadable: 'LOCAL_SETTINGS_UNREADABLE', invalid: 'LOCAL_SETTINGS_INVALID' });
  if (settings === undefined) return {};
  if (settings.IsEncrypted) {
    throw new HostStartError(`local.settings.json (${file}) is encrypted; this host reads only unencrypted settings`, 'LOCAL_SETTINGS_ENCRYPTED');
  }
  return settings;
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
