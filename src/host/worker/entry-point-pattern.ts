/**
 * The order in which a glob `main` loads its files. Apps rely on it: `src/{index.js,functions/*.js}`
 * puts set-up code (OpenTelemetry, `app.setup`, hooks) before the functions, as the Node worker's
 * globby loads brace alternatives in the order written. Each alternative's own matches are sorted,
 * so a run loads the same order every time.
 */
import { glob } from 'tinyglobby';

/** `a/{b,c/{d,e}}.js` → `['a/b.js', 'a/c/d.js', 'a/c/e.js']`; a brace group without a comma stays as written. */
export function expandBraces(pattern: string): string[] {
  const group = firstGroup(pattern);
  if (!group) return [pattern];
  const { start, end, alternatives } = group;
  const head = pattern.slice(0, start);
  const tail = pattern.slice(end + 1);
  return alternatives.flatMap((alt) => expandBraces(`${head}${alt}${tail}`));
}

/** The first top-level `{...}` with a top-level comma, and its alternatives. */
function firstGroup(pattern: string): { start: number; end: number; alternatives: string[] } | undefined {
  for (let start = pattern.indexOf('{'); start !== -1; start = pattern.indexOf('{', start + 1)) {
    let depth = 0;
    const cuts: number[] = [];
    for (let i = start; i < pattern.length; i++) {
      const ch = pattern[i];
      if (ch === '{') depth++;
      else if (ch === ',' && depth === 1) cuts.push(i);
      else if (ch === '}' && --depth === 0) {
        if (cuts.length === 0) break;
        const bounds = [start, ...cuts, i];
        const alternatives = bounds.slice(0, -1).map((b, k) => pattern.slice(b + 1, bounds[k + 1]));
        return { start, end: i, alternatives };
      }
    }
  }
  return undefined;
}

/** Absolute paths of the files `main` matches under `appDir`, in load order, each once. */
export async function matchEntryPoints(main: string, appDir: string): Promise<string[]> {
  const seen = new Set<string>();
  for (const pattern of expandBraces(main.replace(/\\/g, '/'))) {
    const files = await glob(pattern, { cwd: appDir, absolute: true, onlyFiles: true });
    for (const f of files.sort()) seen.add(f);
  }
  return [...seen];
}
