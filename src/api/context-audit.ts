/** The routes' side of the context-change audit: the ledger, the caller from the auth guard, and the `recorded` flag for the response. */
import type { HttpRequest } from '@azure/functions';
import { auditContextChange, contextActor, getGovernanceServices, type ContextAuditLog, type ContextChange } from '../services/index.js';
import { getLogger } from '../services/telemetry/index.js';
import { principalOf } from './http-guard.js';

/** What the route handlers need to record a change; tests and other hosts may pass their own. */
export interface ContextAuditDeps {
  append: Parameters<typeof auditContextChange>[0]['append'];
  log?: ContextAuditLog;
}

export function defaultContextAudit(): ContextAuditDeps {
  const ledger = getGovernanceServices().ledger;
  const logger = getLogger();
  return { append: (chain, entry) => ledger.append(chain, entry), log: { warn: (message, fields) => logger.log('warn', message, (fields ?? {}) as Record<string, unknown>) } };
}

/** Records an accepted change made through `request`; the result goes in the response as `recorded: {audit}`. */
export async function auditApiChange(request: HttpRequest, deps: ContextAuditDeps | undefined, change: Omit<ContextChange, 'actor'>): Promise<{ audit: boolean }> {
  const audit = deps ?? defaultContextAudit();
  return { audit: await auditContextChange(audit, { ...change, actor: contextActor(principalOf(request), 'api') }, audit.log) };
}
