/** Table names of governance data (each its own table; none ends in `Instances` or `History`, so task hub tools ignore them). */
export const GovernanceTables = {
  audit: 'AosAudit',
  policies: 'AosPolicies',
  approvals: 'AosApprovals',
  risks: 'AosRisks',
  decisions: 'AosDecisions',
} as const;

/** The HTTP status of an Azure SDK error, if it carries one. */
export function statusOf(err: unknown): number | undefined {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Escapes a value for an OData string literal in a table filter. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
