// The house boundaries, checked on the source text: the local host loads the app only through its
// entry point and knows nothing about agents; the app reaches the host only through the public
// @azure/functions and durable-functions APIs; orchestrators stay deterministic.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sources(full));
    else if (name.endsWith('.ts')) out.push(full);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
}

const rel = (f: string) => path.relative(ROOT, f);
const hostFiles = sources(path.join(ROOT, 'src', 'host'));
const appDirs = ['entities', 'orchestrators', 'activities', 'src/api', 'src/domain', 'src/services', 'src/mcp'];
const appFiles = appDirs.flatMap((d) => sources(path.join(ROOT, d))).concat(path.join(ROOT, 'src', 'app.ts'), path.join(ROOT, 'src', 'config.ts'));

describe('source boundaries', () => {
  it('keeps the local host free of app imports', () => {
    const offending = hostFiles.flatMap((f) =>
      imports(f)
        .filter((spec) => spec.startsWith('.'))
        .filter((spec) => !path.resolve(path.dirname(f), spec).startsWith(path.join(ROOT, 'src', 'host')))
        .map((spec) => `${rel(f)} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('keeps the app on the public Functions and Durable APIs', () => {
    const offending = appFiles.flatMap((f) =>
      imports(f)
        .filter((spec) => spec.includes('src/host') || /(^|\/)host\//.test(spec) || spec.startsWith('durable-functions/') || spec.startsWith('@azure/functions/') || spec === '@azure/functions-core')
        .map((spec) => `${rel(f)} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('keeps orchestrators free of clocks, randomness, environment and I/O', () => {
    const banned = /Date\.now\(|new Date\(\)|Math\.random|process\.env|setTimeout\(|setInterval\(|\bfetch\(|from ['"]node:(fs|http|https|net|crypto)['"]|from ['"]\.\.\/src\/services/;
    const offending = sources(path.join(ROOT, 'orchestrators'))
      .filter((f) => !f.endsWith('.test.ts'))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, i }))
          .filter(({ line }) => banned.test(line) && !line.trim().startsWith('//') && !line.trim().startsWith('*'))
          .map(({ i, line }) => `${rel(f)}:${i + 1}: ${line.trim()}`),
      );
    expect(offending).toEqual([]);
  });
});

describe('file sizes', () => {
  it('keeps every source file under the 500-line cap (STYLE rule 3)', () => {
    const dirs = ['src', 'entities', 'orchestrators', 'activities', 'tests/e2e', 'tests/integration', 'tests/support'];
    const tooLong = dirs
      .flatMap((d) => sources(path.join(ROOT, d)))
      .map((f) => ({ f, lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 500)
      .map(({ f, lines }) => `${rel(f)}: ${lines} lines`);
    expect(tooLong).toEqual([]);
  });
});
