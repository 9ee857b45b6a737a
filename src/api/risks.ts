/** The risk registry over HTTP: `POST /api/risks`, `GET /api/risks?status=&level=&agentId=`, `GET` and `PATCH /api/risks/{id}`; every change is audited on the system chain. */
import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { AuditAction, RiskCreateSchema, RiskIdSchema, RiskUpdateSchema, type Risk } from '../domain/index.js';
import { getGovernanceServices, type AuditLedger, type RiskRegistry } from '../services/index.js';
import { appHttp } from './error-response.js';
import { jsonBody, pathParam, queryValue } from './http-input.js';

export interface RiskDeps {
  risks: RiskRegistry;
  ledger: AuditLedger;
  now: () => Date;
  newId: () => string;
}

const riskIdParam = (request: HttpRequest): string => pathParam(request, 'id', RiskIdSchema, 'risk id');

async function audit(ledger: AuditLedger, risk: Risk, by: string, what: string): Promise<void> {
  await ledger.append('system', { actor: `user:${by}`, action: AuditAction.riskChanged, subject: `risk ${risk.id}`, payload: risk, decision: what, details: { riskId: risk.id, status: risk.status, level: risk.level, score: risk.score } });
}

export async function createRiskRoute(request: HttpRequest, deps: RiskDeps): Promise<HttpResponseInit> {
  const input = await jsonBody(request, RiskCreateSchema, 'risk', 64 * 1024);
  const risk = await deps.risks.create(input.id ?? deps.newId(), input, deps.now().toISOString());
  await audit(deps.ledger, risk, input.by, 'created');
  return { status: 201, headers: { location: `/api/risks/${risk.id}` }, jsonBody: risk };
}

export async function listRisks(request: HttpRequest, deps: RiskDeps): Promise<HttpResponseInit> {
  const status = queryValue(request, 'status', z.enum(['open', 'mitigating', 'accepted', 'closed']).optional());
  const level = queryValue(request, 'level', z.enum(['low', 'medium', 'high', 'critical']).optional());
  const agentId = queryValue(request, 'agentId', z.string().min(1).max(63).optional());
  const items = await deps.risks.list({ ...(status ? { status } : {}), ...(level ? { level } : {}), ...(agentId ? { agentId } : {}) });
  return { status: 200, jsonBody: { items } };
}

export async function readRisk(request: HttpRequest, deps: RiskDeps): Promise<HttpResponseInit> {
  return { status: 200, jsonBody: await deps.risks.get(riskIdParam(request)) };
}

export async function updateRiskRoute(request: HttpRequest, deps: RiskDeps): Promise<HttpResponseInit> {
  const id = riskIdParam(request);
  const update = await jsonBody(request, RiskUpdateSchema, 'risk update', 64 * 1024);
  const risk = await deps.risks.update(id, update, deps.now().toISOString());
  await audit(deps.ledger, risk, update.by, update.status ? `status ${update.status}` : 'updated');
  return { status: 200, jsonBody: risk };
}

const deps = (): RiskDeps => ({ ...getGovernanceServices(), now: () => new Date(), newId: randomUUID });
const handle = (fn: (request: HttpRequest, deps: RiskDeps) => Promise<HttpResponseInit>) => (r: HttpRequest) => fn(r, deps());

appHttp('risks-create', ['POST'], 'risks', handle(createRiskRoute));
appHttp('risks-list', ['GET'], 'risks', handle(listRisks));
appHttp('risks-read', ['GET'], 'risks/{id}', handle(readRisk));
appHttp('risks-update', ['PATCH', 'PUT'], 'risks/{id}', handle(updateRiskRoute));
