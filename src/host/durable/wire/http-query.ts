/**
 * Query strings of the Durable HTTP API, one zod schema per route. Names are the extension's
 * (HttpApiHandler constants) and, as in ASP.NET's NameValueCollection, matched case-insensitively.
 * Unlike the extension, a malformed value is a 400 instead of being silently ignored.
 * @see durable-protocol.md F
 */
import { z } from 'zod';
import { OrchestrationStatus, type OrchestrationStatusName } from '../core/history-event.js';

/** `bool.TryParse`: `true`/`false` in any case. */
const BoolText = z
  .string()
  .regex(/^\s*(true|false)\s*$/i, 'expected true or false')
  .transform((v) => v.trim().toLowerCase() === 'true');

/** `DateTime.TryParse`, leniently: anything `Date.parse` reads (the JS sends `toISOString()`). */
const DateText = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), 'expected an ISO-8601 date and time')
  .transform((v) => new Date(v));

/** A page size. */
const TopText = z
  .string()
  .regex(/^\s*\d+\s*$/, 'expected a positive integer')
  .transform(Number)
  .pipe(z.number().int().min(1, 'expected a positive integer').max(10_000, 'at most 10000'));

/** Seconds as a number (`timeout`, `pollingInterval`; `double.TryParse`). */
const SecondsText = z
  .string()
  .regex(/^\s*\d+(\.\d+)?\s*$/, 'expected a number of seconds')
  .transform(Number)
  .pipe(z.number().max(24 * 3600, 'at most one day'));

const statusByLowerName = new Map<string, OrchestrationStatusName>(
  (Object.keys(OrchestrationStatus) as OrchestrationStatusName[]).map((name) => [name.toLowerCase(), name]),
);
const statusByNumber = new Map<string, OrchestrationStatusName>(
  (Object.entries(OrchestrationStatus) as [OrchestrationStatusName, number][]).map(([name, n]) => [String(n), name]),
);

/** `runtimeStatus=Running,Pending`: names (any case) or the enum numbers, comma separated. */
const RuntimeStatusText = z.string().transform((v, ctx): OrchestrationStatusName[] => {
  const out: OrchestrationStatusName[] = [];
  for (const part of v.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const name = statusByLowerName.get(part.toLowerCase()) ?? statusByNumber.get(part);
    if (!name) {
      ctx.addIssue({ code: 'custom', message: `unknown runtime status '${part}' (expected ${Object.keys(OrchestrationStatus).join(', ')})` });
      return z.NEVER;
    }
    if (!out.includes(name)) out.push(name);
  }
  return out;
});

/** On every route: which hub (and connection) the request is for. */
export const HubQuerySchema = z.object({
  taskHub: z.string().optional(),
  connection: z.string().optional(),
});

export const StartQuerySchema = z.object({
  version: z.string().optional(),
  timeout: SecondsText.optional(),
  pollingInterval: SecondsText.optional(),
});
export type StartQuery = z.infer<typeof StartQuerySchema>;

export const RestartQuerySchema = z.object({
  restartWithNewInstanceId: BoolText.optional(),
  timeout: SecondsText.optional(),
  pollingInterval: SecondsText.optional(),
});

export const StatusQuerySchema = z.object({
  showHistory: BoolText.default(false),
  showHistoryOutput: BoolText.default(false),
  showInput: BoolText.default(true),
  returnInternalServerErrorOnFailure: BoolText.default(false),
});
export type StatusQuery = z.infer<typeof StatusQuerySchema>;

export const ListInstancesQuerySchema = z.object({
  instanceIdPrefix: z.string().optional(),
  createdTimeFrom: DateText.optional(),
  createdTimeTo: DateText.optional(),
  runtimeStatus: RuntimeStatusText.optional(),
  showInput: BoolText.default(true),
  top: TopText.optional(),
});

export const PurgeByFilterQuerySchema = z.object({
  createdTimeFrom: DateText.optional(),
  createdTimeTo: DateText.optional(),
  runtimeStatus: RuntimeStatusText.optional(),
});

export const ReasonQuerySchema = z.object({ reason: z.string().optional() });

export const ListEntitiesQuerySchema = z.object({
  lastOperationTimeFrom: DateText.optional(),
  lastOperationTimeTo: DateText.optional(),
  top: TopText.optional(),
  fetchState: BoolText.default(false),
});

export const SignalQuerySchema = z.object({ op: z.string().default('') });

/** Why a query string was refused: the parameter and the reason. */
export class QueryParameterError extends Error {
  override name = 'QueryParameterError';
  constructor(
    readonly parameter: string,
    readonly reason: string,
  ) {
    super(`invalid query parameter '${parameter}': ${reason}`);
  }
}

/**
 * Parse the query of `url` with `schema`. Keys are matched to the schema's case-insensitively;
 * keys the schema does not know (`code`, the other routes' parameters) are ignored.
 */
export function parseQuery<S extends z.ZodObject>(schema: S, url: URL): z.output<S> {
  const known = new Map(Object.keys(schema.shape).map((k) => [k.toLowerCase(), k]));
  const raw: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    const name = known.get(key.toLowerCase());
    if (name !== undefined && !(name in raw)) raw[name] = value;
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new QueryParameterError(String(issue?.path[0] ?? '?'), issue?.message ?? 'invalid value');
}
