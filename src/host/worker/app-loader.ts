/**
 * Loads a Functions app the way the Node worker does: the entry points named by `main` in the
 * app's package.json (a glob is allowed), CommonJS through `require` and ESM through `import()`.
 * @see https://github.com/Azure/azure-functions-nodejs-worker/blob/v3.x/src/startApp.ts
 */
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { HostStartError } from '../config/host-config-error.js';
import { stripBom } from '../config/config-file.js';
import { matchEntryPoints } from './entry-point-pattern.js';

const AppPackageJsonSchema = z
  .object({
    name: z.string().optional(),
    main: z.string().optional(),
    type: z.enum(['module', 'commonjs']).optional(),
  })
  .loose();

export type AppPackageJson = z.infer<typeof AppPackageJsonSchema>;

export async function readAppPackageJson(appDir: string): Promise<AppPackageJson> {
  const file = path.join(appDir, 'package.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new HostStartError(`no package.json in ${appDir}: a Functions app names its entry point in package.json "main"`, 'APP_NO_PACKAGE_JSON');
    }
    throw new HostStartError(`cannot read ${file}: ${(err as Error).message}`, 'APP_PACKAGE_JSON_UNREADABLE');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(stripBom(text));
  } catch (err) {
    throw new HostStartError(`invalid package.json (${file}): ${(err as Error).message}`, 'APP_PACKAGE_JSON_INVALID');
  }
  const parsed = AppPackageJsonSchema.safeParse(raw);
  if (!parsed.success) throw new HostStartError(`invalid package.json (${file})`, 'APP_PACKAGE_JSON_INVALID');
  return parsed.data;
}

/** The files `main` names, in the worker's load order (see entry-point-pattern.ts). */
export async function resolveEntryPoints(appDir: string, pkg: AppPackageJson): Promise<string[]> {
  const main = pkg.main;
  if (!main) {
    throw new HostStartError(`package.json in ${appDir} has no "main": set it to the app's entry point (for example "dist/src/functions/*.js")`, 'APP_NO_MAIN');
  }
  const isGlob = /[*?[\]{}]/.test(main);
  if (isGlob) {
    const files = await matchEntryPoints(main, appDir);
    if (files.length === 0) {
      throw new HostStartError(`"main" (${main}) in ${appDir}/package.json matches no file; was the app built?`, 'APP_MAIN_NOT_FOUND');
    }
    return files.map((f) => path.normalize(f));
  }
  const file = path.resolve(appDir, main);
  for (const candidate of [file, `${file}.js`, path.join(file, 'index.js')]) {
    try {
      if ((await stat(candidate)).isFile()) return [candidate];
    } catch {
      // try the next Node resolution candidate
    }
  }
  throw new HostStartError(`"main" (${main}) in ${appDir}/package.json does not exist; was the app built?`, 'APP_MAIN_NOT_FOUND');
}

export async function loadEntryPoint(file: string, pkg: AppPackageJson): Promise<void> {
  const ext = path.extname(file);
  const isEsm = ext === '.mjs' || (ext !== '.cjs' && pkg.type === 'module');
  try {
    if (isEsm) {
      await import(pathToFileURL(file).href);
    } else {
      createRequire(file)(file);
    }
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new HostStartError(`the app failed while loading ${file}: ${reason}`, 'APP_LOAD_FAILED', { cause: err });
  }
}
