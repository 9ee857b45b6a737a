/** The root of every AOS error: a stable code, a category the HTTP edge maps to a status, and explicit serialization. */

/**
 * What kind of failure an error is. The HTTP edge (`src/api/error-response.ts`) maps each kind to
 * one status, so a new error class only has to pick its kind.
 */
export const ErrorKind = {
  validation: 'validation',
  /** No credentials, or credentials that do not check out (HTTP 401). */
  unauthenticated: 'unauthenticated',
  /** Valid credentials without the role the operation needs (HTTP 403). */
  forbidden: 'forbidden',
  notFound: 'not-found',
  conflict: 'conflict',
  policyDenied: 'policy-denied',
  tooLarge: 'too-large',
  rateLimited: 'rate-limited',
  unavailable: 'unavailable',
  internal: 'internal',
} as const;
export type ErrorKind = (typeof ErrorKind)[keyof typeof ErrorKind];

/** The explicit JSON form of an error (rule 14): `JSON.stringify(err)` of an Error gives `{}`. */
export interface SerializedError {
  name: string;
  code: string;
  message: string;
  details?: unknown;
  stack?: string;
  cause?: SerializedError;
}

/** Base class of all AOS errors. Callers branch on the class or `code`, never on the message. */
export abstract class AosError extends Error {
  abstract readonly code: string;
  abstract readonly kind: ErrorKind;
  /** Whether trying again unchanged may succeed. */
  readonly retryable: boolean = false;
  /** Safe, structured facts for the client (never secrets). */
  readonly details?: unknown;

  constructor(message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.details !== undefined) this.details = options.details;
  }

  toJSON(): SerializedError {
    return serializeError(this);
  }
}

/** The readonly fields a declared error keeps: `fields[i]` names the constructor's `i`-th argument. */
type DeclaredFields<Names extends readonly string[], Args extends readonly unknown[]> = {
  readonly [I in keyof Names as I extends `${number}` ? Names[I] & string : never]: I extends keyof Args ? Args[I] : never;
};

/** What differs between the many errors that only name a few facts: their identity and how the message reads. */
export interface ErrorClassSpec<Code extends string, Kind extends ErrorKind, Names extends readonly string[], Args extends readonly unknown[]> {
  name: string;
  code: Code;
  kind: Kind;
  /** @default false */
  retryable?: boolean;
  /** The constructor's arguments, in order: each is kept as a readonly field and as a key of `details`. */
  fields: Names;
  message: (...args: Args) => string;
}

/**
 * A base class for an error whose constructor takes a few facts, keeps each as a typed field and
 * as `details`, and builds its message from them: `class X extends aosErrorClass({...}) {}`.
 * The subclass keeps its own name, so callers still branch on the class (or on `code`).
 */
export function aosErrorClass<const Code extends string, const Kind extends ErrorKind, const Names extends readonly string[], Args extends readonly unknown[] & { length: Names['length'] }>(
  spec: ErrorClassSpec<Code, Kind, Names, Args>,
): abstract new (...args: Args) => AosError & { readonly code: Code; readonly kind: Kind } & DeclaredFields<Names, Args> {
  abstract class DeclaredError extends AosError {
    readonly code = spec.code;
    readonly kind = spec.kind;
    override readonly retryable = spec.retryable ?? false;
    override name = spec.name;
    constructor(...args: Args) {
      const fields = Object.fromEntries(spec.fields.map((field, i) => [field, args[i]]));
      super(spec.message(...args), { details: fields });
      Object.assign(this, fields);
    }
  }
  return DeclaredError as unknown as abstract new (...args: Args) => AosError & { readonly code: Code; readonly kind: Kind } & DeclaredFields<Names, Args>;
}

/** Serializes any thrown value into `{ name, code, message, details?, stack?, cause? }`. */
export function serializeError(err: unknown, options: { stack?: boolean } = {}): SerializedError {
  if (err instanceof Error) {
    const out: SerializedError = {
      name: err.name,
      code: err instanceof AosError ? err.code : 'INTERNAL',
      message: err.message,
    };
    if (err instanceof AosError && err.details !== undefined) out.details = err.details;
    if (options.stack && err.stack) out.stack = err.stack;
    if (err.cause !== undefined) out.cause = serializeError(err.cause, options);
    return out;
  }
  return { name: 'NonError', code: 'INTERNAL', message: String(err) };
}
