/**
 * Roles of the AOS API and the one table that says which role each HTTP function needs.
 * admin ⊃ operator ⊃ reader. Functions are looked up by name, then by the area their route is in
 * (GET needs reader, other methods operator); anything unknown needs admin, so a new route is
 * closed until it is classified here.
 */
export const Role = { reader: 'reader', operator: 'operator', admin: 'admin' } as const;
export type Role = (typeof Role)[keyof typeof Role];

/** What a function needs: a role, or nothing (anonymous). */
export type Requirement = Role | 'anonymous';

const RANK: Readonly<Record<Role, number>> = { reader: 1, operator: 2, admin: 3 };

/** Roles named in a token or key; app role values are matched case-insensitively, with an optional `AOS.` prefix. */
export function parseRole(value: string): Role | undefined {
  const v = value.trim().toLowerCase().replace(/^aos\./, '');
  return v === 'reader' || v === 'operator' || v === 'admin' ? v : undefined;
}

export function grants(granted: readonly Role[], required: Role): boolean {
  return granted.some((r) => RANK[r] >= RANK[required]);
}

/** By function name: what the method default would get wrong, or what must stay open. */
const BY_FUNCTION: Readonly<Record<string, Requirement>> = {
  health: 'anonymous',
  'agents-register': Role.admin,
  'agents-terminate': Role.admin,
  'policies-list': Role.admin,
  'policies-read': Role.admin,
  'policies-put': Role.admin,
  // The MCP endpoint reads and writes context, whatever the HTTP method.
  'agents-mcp': Role.operator,
};

/** Route areas (first path segment) whose functions follow the method default. */
const METHOD_DEFAULT_AREAS: ReadonlySet<string> = new Set(['agents', 'audit', 'approvals', 'decisions', 'risks', 'topics', 'orchestrations', 'workflows', 'messages']);

export interface FunctionCall {
  functionName: string;
  /** The route template, e.g. `agents/{id}/events`. */
  route?: string;
  method: string;
}

export function requiredRole(call: FunctionCall): Requirement {
  const named = BY_FUNCTION[call.functionName];
  if (named) return named;
  const area = (call.route ?? '').replace(/^\/+/, '').split('/')[0]?.toLowerCase() ?? '';
  if (METHOD_DEFAULT_AREAS.has(area)) return ['GET', 'HEAD', 'OPTIONS'].includes(call.method.toUpperCase()) ? Role.reader : Role.operator;
  return Role.admin;
}
