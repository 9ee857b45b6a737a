/**
 * `{name}` binding expressions in binding properties (blob `path`, table `tableName`,
 * `partitionKey`, `rowKey`, `filter`), resolved per invocation from the trigger's binding data as
 * the WebJobs SDK's binding templates do: names are case-insensitive, `a.b.c` walks into objects,
 * binding data wins over the built-ins `{rand-guid}` and `{DateTime}` (both take an optional
 * `:format`), and a name with no value fails the invocation with the host's message
 * "No value for named parameter 'x'.".
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-expressions-patterns
 */
import { randomUUID } from 'node:crypto';
import { formatNetDateCustom } from './net-format.js';

/** A failure of one invocation caused by its bindings (not by the function's code). */
export class BindingInvocationError extends Error {
  override name = 'BindingInvocationError';
}

/** A GUID in binding data (`sys.randguid`); kept apart from strings so `:N`/`:B` formats apply. */
export class BindingGuid {
  constructor(readonly value: string = randomUUID()) {}
  format(spec: string | undefined): string {
    const d = this.value.toLowerCase();
    switch ((spec ?? 'D').toUpperCase()) {
      case 'N':
        return d.replace(/-/g, '');
      case 'B':
        return `{${d}}`;
      case 'P':
        return `(${d})`;
      default:
        return d;
    }
  }
}

/** Values by name, looked up case-insensitively as the host's binding data dictionary does. */
export class BindingData {
  readonly #values = new Map<string, unknown>();

  set(name: string, value: unknown): void {
    this.#values.set(name.toLowerCase(), value);
  }

  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
  }

  get(name: string): unknown {
    return this.#values.get(name.toLowerCase());
  }
}

interface Token {
  literal?: string;
  /** The dotted name parts of an expression. */
  parts?: string[];
  format?: string;
  builtin?: 'rand-guid' | 'datetime';
}

const BUILTINS = ['rand-guid', 'datetime'] as const;
const IDENTIFIER = /^[A-Za-z0-9_$][A-Za-z0-9_$\-.]*$/;

/** Splits a template into literals and expressions; a malformed one is an error of the binding. */
export function parseTemplate(template: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    const close = template.indexOf('}', i);
    if (close !== -1 && (open === -1 || close < open)) throw new BindingInvocationError(`Invalid template '${template}': '}' without a matching '{'.`);
    if (open === -1) {
      tokens.push({ literal: template.slice(i) });
      break;
    }
    if (open > i) tokens.push({ literal: template.slice(i, open) });
    const end = template.indexOf('}', open + 1);
    if (end === -1) throw new BindingInvocationError(`Invalid template '${template}': '{' without a matching '}'.`);
    tokens.push(expressionToken(template, template.slice(open + 1, end)));
    i = end + 1;
  }
  return tokens;
}

function expressionToken(template: string, text: string): Token {
  const lower = text.toLowerCase();
  const builtin = BUILTINS.find((b) => lower === b || lower.startsWith(`${b}:`));
  let expression = text;
  let format: string | undefined;
  const colon = text.indexOf(':');
  if (colon > 0) {
    format = text.slice(colon + 1);
    expression = text.slice(0, colon);
  }
  const parts = expression.split('.');
  if (!IDENTIFIER.test(expression) || parts.some((p) => p.trim() === '') || (!builtin && (parts[0] ?? '').includes('-'))) {
    throw new BindingInvocationError(`Invalid template '${template}': '{${text}}' is not a valid binding expression.`);
  }
  return { parts, format: format?.trim() === '' ? undefined : format, builtin };
}

/** True when the text holds at least one `{...}` expression. */
export function hasExpressions(template: string): boolean {
  return template.includes('{');
}

export interface ResolveOptions {
  /** Applied to each substituted value (an OData filter doubles single quotes, as the Tables extension does). */
  escape?: (value: string) => string;
  /** Stands in for the clock in tests. */
  now?: () => Date;
}

/** Resolves every expression of `template` against `data`. */
export function resolveTemplate(template: string, data: BindingData, options: ResolveOptions = {}): string {
  if (!hasExpressions(template) && !template.includes('}')) return template;
  const now = options.now ?? (() => new Date());
  const escape = options.escape ?? ((v: string) => v);
  return parseTemplate(template)
    .map((t) => (t.literal !== undefined ? t.literal : escape(evaluate(template, t, data, now))))
    .join('');
}

/** Doubles single quotes, so a value substituted inside an OData string literal stays one. */
export function escapeODataValue(value: string): string {
  return value.replace(/'/g, "''");
}

function evaluate(template: string, token: Token, data: BindingData, now: () => Date): string {
  const parts = token.parts ?? [];
  const head = parts[0] ?? '';
  let current: unknown;
  if (data.has(head)) {
    current = data.get(head);
    for (const part of parts.slice(1)) current = property(template, current, part);
  } else if (token.builtin === 'rand-guid') {
    current = new BindingGuid();
  } else if (token.builtin === 'datetime') {
    current = now();
  } else {
    throw new BindingInvocationError(`No value for named parameter '${head}'.`);
  }
  return valueToString(template, parts.join('.'), current, token.format);
}

function property(template: string, value: unknown, name: string): unknown {
  if (value instanceof BindingData) {
    if (value.has(name)) return value.get(name);
  } else if (isPlainObject(value)) {
    const key = Object.keys(value).find((k) => k.toLowerCase() === name.toLowerCase());
    if (key !== undefined) return value[key];
  }
  throw new BindingInvocationError(`Error while accessing '${name}' in '${template}': property doesn't exist.`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof BindingGuid);
}

/**
 * A binding data value as text: strings as they are, numbers invariant, booleans as .NET prints
 * them, dates with the .NET format (default `yyyy-MM-ddTHH-mm-ssK`, safe in blob names), GUIDs
 * with theirs. Objects and arrays are refused: the host would substitute nothing, which writes to
 * a path nobody meant.
 */
export function valueToString(template: string, name: string, value: unknown, format: string | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value instanceof Date) return formatNetDateCustom(value, format ?? 'yyyy-MM-ddTHH-mm-ssK');
  if (value instanceof BindingGuid) return value.format(format);
  throw new BindingInvocationError(`Binding expression '{${name}}' in '${template}' refers to an object or array, not a value.`);
}
