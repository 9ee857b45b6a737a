/**
 * The ledger record of a context change made through the HTTP API or the MCP server: one helper so
 * every entry path appends the same shape (actor, `context.*` action, the agent as subject, a digest
 * of the change, `applied` or the refusal code). The change is already accepted when this runs, so
 * an append failure is logged and reported (`false`), never thrown: it must not turn an accepted
 * change into an error a client would retry.
 */
import { agentChainId, type AgentId, type AuditEntryInput } from '../domain/index.js';
import type { AuditLedger } from './audit-ledger.js';

export const ContextAuditAction = {
  registered: 'context.registered',
  updated: 'context.updated',
  goalAdded: 'context.goal.added',
  goalUpdated: 'context.goal.updated',
  memoryAdded: 'context.memory.added',
  subscribed: 'context.subscribed',
  unsubscribed: 'context.unsubscribed',
  terminated: 'context.terminated',
} as const;
export type ContextAuditAction = (typeof ContextAuditAction)[keyof typeof ContextAuditAction];

/** The decision of a change the entity accepted; a refused change records the refusal's code instead. */
export const CONTEXT_APPLIED = 'applied';

export interface ContextChange {
  agentId: AgentId;
  /** Who asked: `<via>:<subject>` of the authenticated principal, else the entry path (`api`, `mcp`). */
  actor: string;
  action: ContextAuditAction;
  /** The change as asked for: only its digest is stored. */
  change: unknown;
  /** @default 'applied' */
  decision?: string;
  /** Small, non-sensitive facts worth reading without the payload (ids, topic names). */
  details?: Record<string, unknown>;
  /** For changes that are idempotent (the same goal, the same registration): a retry appends nothing new. */
  key?: string;
}

export interface ContextAuditLog {
  warn(message: string, ...args: unknown[]): void;
}

/** Appends the change to the agent's chain; true when recorded, false when the append failed (logged). */
export async function auditContextChange(ledger: Pick<AuditLedger, 'append'>, change: ContextChange, log?: ContextAuditLog): Promise<boolean> {
  const entry: AuditEntryInput = {
    actor: change.actor,
    action: change.action,
    subject: `agent ${change.agentId}`,
    payload: change.change,
    decision: change.decision ?? CONTEXT_APPLIED,
    ...(change.details === undefined ? {} : { details: change.details }),
    ...(change.key === undefined ? {} : { key: change.key }),
  };
  try {
    await ledger.append(agentChainId(change.agentId), entry);
    return true;
  } catch (err) {
    log?.warn('could not append the context change to the audit chain', { agentId: change.agentId, action: change.action, error: err instanceof Error ? err.message : String(err) });
    return false;
  }
}

/** The actor of a change: the authenticated principal when there is one, else the entry path. */
export function contextActor(principal: { via: string; subject: string } | undefined, path: 'api' | 'mcp'): string {
  return principal === undefined ? path : `${principal.via}:${principal.subject}`;
}
