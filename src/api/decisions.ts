/**
 * Decision records over HTTP: `GET /api/decisions?agentId=&pageSize=&continuation=` lists an
 * agent's decisions in time order (the loop records one per event); `POST /api/decisions` records
 * a decision taken outside the loop, sealed by a record on the agent's audit chain.
 */
import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { AgentIdSchema, AuditAction, DecisionCreateSchema, agentChainId, auditRecordId, type DecisionRecord } from '../domain/index.js';
import { getGovernanceServices, type AuditLedger, type DecisionStore } from '../services/index.js';
import { appHttp } from './error-response.js';
import { jsonBody, queryValue } from './http-input.js';

export interface DecisionDeps {
  decisions: DecisionStore;
  ledger: AuditLedger;
  now: () => Date;
  newId: () => string;
}

export async function listDecisions(request: HttpRequest, deps: DecisionDeps): Promise<HttpResponseInit> {
  const agentId = queryValue(request, 'agentId', AgentIdSchema);
  const pageSize = queryValue(request, 'pageSize', z.coerce.number().int().min(1).max(500).default(100));
  const continuation = queryValue(request, 'continuation', z.string().min(1).max(2000).optional());
  const page = await deps.decisions.list(agentId, { pageSize, ...(continuation ? { continuation } : {}) });
  return { status: 200, jsonBody: { items: page.items, ...(page.next ? { next: page.next } : {}) } };
}

export async function createDecision(request: HttpRequest, deps: DecisionDeps): Promise<HttpResponseInit> {
  const input = await jsonBody(request, DecisionCreateSchema.extend({ agentId: AgentIdSchema }), 'decision', 64 * 1024);
  const at = deps.now().toISOString();
  const id = `${at}_${deps.newId().replace(/-/g, '').slice(0, 12)}`;
  const body = { agentId: input.agentId, action: input.action, rationale: input.rationale, options: input.options, scores: input.scores, riskIds: input.riskIds, ...(input.eventId ? { eventId: input.eventId } : {}) };
  const sealed = await deps.ledger.append(agentChainId(input.agentId), {
    actor: `user:${input.by}`,
    action: AuditAction.decisionRecorded,
    subject: `decision ${id}`,
    payload: body,
    decision: input.action,
    details: { decisionId: id, riskIds: input.riskIds },
    time: at,
  });
  const record: DecisionRecord = { id, at, source: 'api', auditRecordId: auditRecordId(sealed), ...body };
  await deps.decisions.put(record);
  return { status: 201, jsonBody: record };
}

const deps = (): DecisionDeps => ({ ...getGovernanceServices(), now: () => new Date(), newId: randomUUID });

appHttp('decisions-list', ['GET'], 'decisions', (r: HttpRequest) => listDecisions(r, deps()));
appHttp('decisions-create', ['POST'], 'decisions', (r: HttpRequest) => createDecision(r, deps()));
