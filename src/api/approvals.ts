/**
 * Human approvals over HTTP: `GET /api/approvals?status=&agentId=` lists them (pending by
 * default); `POST /api/approvals/{id}` with `{approve, by, reason?}` records the decision (404
 * unknown, 409 already resolved), audits it on the agent's chain and raises `approval:<id>` with
 * the same body on the waiting loop instance.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import { z } from 'zod';
import { ApprovalAnswerSchema, ApprovalIdSchema, ApprovalStatus, ApprovalStatusSchema, approvalEventName } from '../domain/index.js';
import { auditApprovalResolved, getGovernanceServices, type ApprovalStore, type AuditLedger } from '../services/index.js';
import { clientHttp } from './error-response.js';
import { jsonBody, pathParam, queryValue } from './http-input.js';

export interface ApprovalRouteDeps {
  approvals: ApprovalStore;
  ledger: AuditLedger;
  now: () => Date;
  log?: { warn(...args: unknown[]): void };
}

export async function listApprovals(request: HttpRequest, deps: ApprovalRouteDeps): Promise<HttpResponseInit> {
  const status = queryValue(request, 'status', ApprovalStatusSchema.or(z.literal('all')).default(ApprovalStatus.pending));
  const agentId = queryValue(request, 'agentId', z.string().min(1).max(63).optional());
  const items = await deps.approvals.list({ ...(status === 'all' ? {} : { status }), ...(agentId ? { agentId } : {}) });
  return { status: 200, jsonBody: { items } };
}

export async function resolveApprovalRoute(request: HttpRequest, client: DurableClient, deps: ApprovalRouteDeps): Promise<HttpResponseInit> {
  const id = pathParam(request, 'id', ApprovalIdSchema, 'approval id');
  const answer = await jsonBody(request, ApprovalAnswerSchema, 'approval answer', 16 * 1024);
  const resolved = await deps.approvals.resolve(id, answer.approve ? ApprovalStatus.approved : ApprovalStatus.denied, answer.by, deps.now().toISOString(), answer.reason);
  await auditApprovalResolved(deps.ledger, resolved);
  let delivered = true;
  try {
    await client.raiseEvent(resolved.instanceId, approvalEventName(resolved.id), answer);
  } catch (err) {
    // The record is the source of truth: the loop reads it when its wait ends, so the decision stands.
    deps.log?.warn('could not raise the approval event', { approvalId: resolved.id, instanceId: resolved.instanceId, error: err instanceof Error ? err.message : String(err) });
    delivered = false;
  }
  return { status: 200, jsonBody: { approval: resolved, delivered } };
}

const deps = (context?: InvocationContext): ApprovalRouteDeps => ({ ...getGovernanceServices(), now: () => new Date(), ...(context ? { log: context } : {}) });

clientHttp('approvals-list', ['GET'], 'approvals', (request: HttpRequest, _client: DurableClient, context: InvocationContext) => listApprovals(request, deps(context)));

clientHttp('approvals-resolve', ['POST'], 'approvals/{id}', (request: HttpRequest, client: DurableClient, context: InvocationContext) => resolveApprovalRoute(request, client, deps(context)));
