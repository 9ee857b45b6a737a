/**
 * ASP.NET Core route templates as Azure Functions uses them: `users/{id}`, `{id?}`,
 * `{*rest}` / `{**rest}`, defaults `{page=1}` and constraints `{id:int}`. Literal segments
 * match case-insensitively, as in ASP.NET. Unknown constraints are ignored with a warning
 * rather than refusing the route.
 * @see https://learn.microsoft.com/aspnet/core/fundamentals/routing#route-templates
 */

export interface RouteParameter {
  name: string;
  optional: boolean;
  catchAll: boolean;
  defaultValue?: string;
  constraints: string[];
}

export interface CompiledRoute {
  template: string;
  regex: RegExp;
  parameters: RouteParameter[];
  /** Sort key: lower ranks are tried first (literals before parameters before catch-alls). */
  rank: number[];
  unknownConstraints: string[];
}

const KNOWN_CONSTRAINTS = new Set([
  'int', 'long', 'bool', 'guid', 'alpha', 'double', 'float', 'decimal', 'datetime',
  'minlength', 'maxlength', 'length', 'min', 'max', 'range', 'regex', 'required',
]);

export class RouteTemplateError extends Error {
  override name = 'RouteTemplateError';
}

export function compileRoute(template: string): CompiledRoute {
  const trimmed = template.replace(/^\/+|\/+$/g, '');
  const segments = trimmed === '' ? [] : trimmed.split('/');
  const parameters: RouteParameter[] = [];
  const rank: number[] = [];
  const unknownConstraints: string[] = [];
  let pattern = '^';
  segments.forEach((segment, index) => {
    const parts = splitSegment(segment, template);
    const onlyParam = parts.length === 1 && parts[0]?.kind === 'param' ? parts[0].param : undefined;
    if (onlyParam?.catchAll) {
      if (index !== segments.length - 1) throw new RouteTemplateError(`catch-all parameter must be last in route "${template}"`);
      pattern += `(?:/(?<${groupName(parameters.length)}>.*))?`;
      parameters.push(onlyParam);
      rank.push(4);
      return;
    }
    if (onlyParam?.optional || onlyParam?.defaultValue !== undefined) {
      pattern += `(?:/(?<${groupName(parameters.length)}>[^/]+))?`;
      parameters.push(onlyParam);
      rank.push(3);
      return;
    }
    let segmentPattern = '';
    let segmentRank = 0;
    for (const part of parts) {
      if (part.kind === 'literal') {
        segmentPattern += escapeRegex(part.text);
      } else {
        if (part.param.catchAll) throw new RouteTemplateError(`catch-all parameter must be a whole segment in route "${template}"`);
        segmentPattern += `(?<${groupName(parameters.length)}>[^/]+?)`;
        parameters.push(part.param);
        segmentRank = Math.max(segmentRank, part.param.constraints.length > 0 ? 1 : 2);
      }
    }
    pattern += `/${segmentPattern}`;
    rank.push(segmentRank);
  });
  pattern += '/?$';
  for (const p of parameters) {
    for (const c of p.constraints) {
      const name = c.split('(')[0] ?? c;
      if (!KNOWN_CONSTRAINTS.has(name.toLowerCase())) unknownConstraints.push(c);
    }
  }
  return { template, regex: new RegExp(pattern, 'i'), parameters, rank, unknownConstraints };
}

/** Match `path` (without the route prefix, leading slash optional) and return route values, or undefined. */
export function matchRoute(route: CompiledRoute, path: string): Record<string, string> | undefined {
  const normalized = path === '' || path.startsWith('/') ? path : `/${path}`;
  const m = route.regex.exec(normalized);
  if (!m) return undefined;
  const values: Record<string, string> = {};
  for (const [i, p] of route.parameters.entries()) {
    const raw = m.groups?.[groupName(i)];
    const value = raw === undefined || raw === '' ? p.defaultValue : safeDecode(raw, p.catchAll);
    if (value === undefined) continue;
    if (!p.constraints.every((c) => satisfies(c, value))) return undefined;
    values[p.name] = value;
  }
  return values;
}

/** Routes with literals win over parameters, then over optional parameters, then catch-alls; then longer routes. */
export function compareRoutes(a: CompiledRoute, b: CompiledRoute): number {
  const n = Math.max(a.rank.length, b.rank.length);
  for (let i = 0; i < n; i++) {
    const x = a.rank[i] ?? 5;
    const y = b.rank[i] ?? 5;
    if (x !== y) return x - y;
  }
  return a.template.localeCompare(b.template);
}

type SegmentPart = { kind: 'literal'; text: string } | { kind: 'param'; param: RouteParameter };

function splitSegment(segment: string, template: string): SegmentPart[] {
  const parts: SegmentPart[] = [];
  let i = 0;
  while (i < segment.length) {
    const open = segment.indexOf('{', i);
    if (open === -1) {
      parts.push({ kind: 'literal', text: segment.slice(i) });
      break;
    }
    if (open > i) parts.push({ kind: 'literal', text: segment.slice(i, open) });
    const close = findClose(segment, open);
    if (close === -1) throw new RouteTemplateError(`unbalanced "{" in route "${template}"`);
    parts.push({ kind: 'param', param: parseParameter(segment.slice(open + 1, close), template) });
    i = close + 1;
  }
  return parts;
}

/** Constraints may contain braces in regexes (`{id:regex(^\\d{{3}}$)}`); count depth. */
function findClose(segment: string, open: number): number {
  let depth = 0;
  for (let i = open; i < segment.length; i++) {
    if (segment[i] === '{') depth++;
    else if (segment[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function parseParameter(body: string, template: string): RouteParameter {
  let text = body;
  const catchAll = text.startsWith('*');
  text = text.replace(/^\*{1,2}/, '');
  const [nameAndDefault = '', ...constraints] = splitConstraints(text);
  let name = nameAndDefault;
  let defaultValue: string | undefined;
  let optional = false;
  const eq = name.indexOf('=');
  if (eq !== -1) {
    defaultValue = name.slice(eq + 1);
    name = name.slice(0, eq);
  }
  if (name.endsWith('?')) {
    optional = true;
    name = name.slice(0, -1);
  }
  const lastConstraint = constraints[constraints.length - 1];
  if (lastConstraint?.endsWith('?')) {
    optional = true;
    constraints[constraints.length - 1] = lastConstraint.slice(0, -1);
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new RouteTemplateError(`invalid parameter name "${name}" in route "${template}"`);
  return { name, optional: optional || catchAll, catchAll, defaultValue, constraints };
}

function splitConstraints(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ':' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

function satisfies(constraint: string, value: string): boolean {
  const m = /^([a-zA-Z]+)(?:\((.*)\))?$/.exec(constraint);
  if (!m) return true;
  const name = (m[1] ?? '').toLowerCase();
  const arg = m[2] ?? '';
  const nums = arg.split(',').map((s) => Number(s.trim()));
  switch (name) {
    case 'int':
      return /^-?\d+$/.test(value) && Math.abs(Number(value)) <= 2147483648;
    case 'long':
      return /^-?\d+$/.test(value);
    case 'bool':
      return /^(true|false)$/i.test(value);
    case 'guid':
      return /^\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i.test(value);
    case 'alpha':
      return /^[a-z]+$/i.test(value);
    case 'double':
    case 'float':
    case 'decimal':
      return value.trim() !== '' && Number.isFinite(Number(value));
    case 'datetime':
      return !Number.isNaN(Date.parse(value));
    case 'minlength':
      return value.length >= (nums[0] ?? 0);
    case 'maxlength':
      return value.length <= (nums[0] ?? Infinity);
    case 'length':
      return nums.length === 2 ? value.length >= (nums[0] ?? 0) && value.length <= (nums[1] ?? Infinity) : value.length === nums[0];
    case 'min':
      return Number(value) >= (nums[0] ?? -Infinity);
    case 'max':
      return Number(value) <= (nums[0] ?? Infinity);
    case 'range':
      return Number(value) >= (nums[0] ?? -Infinity) && Number(value) <= (nums[1] ?? Infinity);
    case 'regex':
      try {
        return new RegExp(arg.replace(/\{\{/g, '{').replace(/\}\}/g, '}'), 'i').test(value);
      } catch {
        return true;
      }
    default:
      return true;
  }
}

function groupName(i: number): string {
  return `p${i}`;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeDecode(raw: string, catchAll: boolean): string {
  try {
    // a catch-all keeps its slashes; each part is decoded
    return catchAll ? raw.split('/').map(decodeURIComponent).join('/') : decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
