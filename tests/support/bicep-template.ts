/**
 * Reads Bicep templates as text, for tests that cannot run the Bicep CLI (it cannot be installed
 * here). Regular expressions plus one brace-matching scanner: enough for the layout the templates in
 * infrastructure/ keep (one declaration per line, `key: value` object entries one per line, no `{`
 * or `}` inside string literals other than `${...}` interpolation). It is not a Bicep parser; a
 * template that leaves that layout makes these readers miss things, and the tests then fail loudly.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface BicepParam {
  name: string;
  type: string;
  /** The default value's source text, when the param has one. */
  defaultText?: string;
  /** Decorator lines above the declaration, e.g. `@allowed(['20', '22'])`. */
  decorators: string[];
}

export interface BicepModuleCall {
  symbol: string;
  /** Path as written, relative to the calling file. */
  source: string;
  /** Absolute path of the called file. */
  file: string;
  /** Keys of the `params` object passed to the module. */
  passed: string[];
}

export interface BicepResource {
  symbol: string;
  type: string;
  existing: boolean;
  /** Declaration through the end of its body, comments removed. */
  text: string;
}

export interface BicepFile {
  file: string;
  /** Source text with `//` comments removed (string literals kept). */
  code: string;
  /** Source text as written, comments included. */
  raw: string;
  params: Map<string, BicepParam>;
  outputs: Set<string>;
  modules: BicepModuleCall[];
  resources: BicepResource[];
}

/** Removes `//` comments outside string literals (URLs inside strings stay). */
export function stripComments(source: string): string {
  return source
    .split('\n')
    .map((line) => {
      let inString = false;
      for (let i = 0; i < line.length; i += 1) {
        const c = line[i];
        if (c === "'" && line[i - 1] !== '\\') inString = !inString;
        else if (!inString && c === '/' && line[i + 1] === '/') return line.slice(0, i).trimEnd();
      }
      return line;
    })
    .join('\n');
}

/** The balanced `{ ... }` starting at the first `{` at or after `from` (string contents ignored). */
export function braceBlock(code: string, from: number): { start: number; end: number; text: string } {
  const start = code.indexOf('{', from);
  if (start < 0) throw new Error(`no "{" after offset ${from}`);
  let depth = 0;
  let inString = false;
  for (let i = start; i < code.length; i += 1) {
    const c = code[i];
    if (c === "'" && code[i - 1] !== '\\') inString = !inString;
    if (inString) continue;
    if (c === '{') depth += 1;
    else if (c === '}') {
      depth -= 1;
      if (depth === 0) return { start, end: i + 1, text: code.slice(start, i + 1) };
    }
  }
  throw new Error(`unbalanced "{" at offset ${start}`);
}

/**
 * Top-level `key: value` entries of a multi-line object block (value = the rest of the key's line).
 * An entry counts when its line starts at depth 1, i.e. directly inside the block's braces.
 */
export function objectEntries(block: string): Array<{ key: string; value: string }> {
  const entries: Array<{ key: string; value: string }> = [];
  let depth = 0;
  let inString = false;
  for (const line of block.split('\n')) {
    const m = /^\s*(?:'([^']+)'|([A-Za-z_][\w]*))\s*:\s*(.*?)\s*$/.exec(line);
    if (depth === 1 && m) entries.push({ key: (m[1] ?? m[2]) as string, value: m[3] as string });
    for (let i = 0; i < line.length; i += 1) {
      const c = line[i];
      if (c === "'" && line[i - 1] !== '\\') inString = !inString;
      if (inString) continue;
      if (c === '{' || c === '[') depth += 1;
      else if (c === '}' || c === ']') depth -= 1;
    }
  }
  return entries;
}

/** The object block assigned to `var <name> = ... {` (the first `{` after the `=`). */
export function varBlock(code: string, name: string): string {
  const m = new RegExp(`^var\\s+${name}\\s*=`, 'm').exec(code);
  if (!m) throw new Error(`no "var ${name}"`);
  return braceBlock(code, m.index + m[0].length).text;
}

export function readBicep(file: string): BicepFile {
  const raw = readFileSync(file, 'utf8');
  const code = stripComments(raw);
  const lines = code.split('\n');
  const params = new Map<string, BicepParam>();
  lines.forEach((line, index) => {
    const m = /^param\s+(\w+)\s+(\w+)(?:\s*=\s*(.+?))?\s*$/.exec(line);
    if (!m) return;
    const decorators: string[] = [];
    for (let j = index - 1; j >= 0 && /^\s*@/.test(lines[j] as string); j -= 1) decorators.unshift((lines[j] as string).trim());
    const name = m[1] as string;
    params.set(name, { name, type: m[2] as string, ...(m[3] !== undefined ? { defaultText: m[3] } : {}), decorators });
  });
  const outputs = new Set([...code.matchAll(/^output\s+(\w+)\s+\w+\s*=/gm)].map((m) => m[1] as string));
  const modules = [...code.matchAll(/^module\s+(\w+)\s+'([^']+)'\s*=/gm)].map((m) => {
    const body = braceBlock(code, m.index + m[0].length).text;
    const paramsEntry = /\bparams\s*:\s*\{/.exec(body);
    const passed = paramsEntry ? objectEntries(braceBlock(body, paramsEntry.index).text).map((e) => e.key) : [];
    const source = m[2] as string;
    return { symbol: m[1] as string, source, file: path.resolve(path.dirname(file), source), passed };
  });
  const resources = [...code.matchAll(/^resource\s+(\w+)\s+'([^'@]+)@[^']+'\s*(existing\s*)?=/gm)].map((m) => {
    const body = braceBlock(code, m.index + m[0].length);
    return { symbol: m[1] as string, type: m[2] as string, existing: m[3] !== undefined, text: code.slice(m.index, body.end) };
  });
  return { file, code, raw, params, outputs, modules, resources };
}

/** Every `loadJsonContent('<path>')` of a file, resolved against the file's folder. */
export function loadedJsonFiles(bicep: BicepFile): Array<{ source: string; file: string }> {
  return [...bicep.code.matchAll(/loadJsonContent\('([^']+)'\)/g)].map((m) => ({
    source: m[1] as string,
    file: path.resolve(path.dirname(bicep.file), m[1] as string),
  }));
}
