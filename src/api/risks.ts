/** The risk registry over HTTP: `POST /api/risks`, `GET /api/risks?status=&level=&agentId=`, `GET` and `PATCH /api/risks/{id}`; every change is audited on the system chain. */
import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { app } from '@azure/functions';
import { z } from 'zod';
import { AuditAction, RiskCreateSchema, RiskIdSchema, RiskUpdateSchema, ValidationError, type Risk } from '../domain/index.js';
import { getGovernanceServices, type AuditLedger, type RiskRegistry } from '../services/index.js';
import { withErrors } from './error-response.js';
import { jsonBody, queryValue } from './http-input.js';

export interface RiskDeps {
  risks: RiskRegistry;
  ledger: AuditLedger;
  now: () => Date;
  newId: () => string;
}

function riskIdParam(request: HttpRequest): string {
  const parsed = RiskIdSchema.safeParse(request.params.id);
  if (!parsed.success) throw ValidationError.fromZod('risk id', parsed.error);
  return parsed.data;
}

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
const log = (_r: HttpRequest, context: InvocationContext) => context;
const handle = (fn: (request: HttpRequest, deps: RiskDeps) => Promise<HttpResponseInit>) => withErrors((r: HttpRequest, _c: InvocationContext) => fn(r, deps()), log);

app.http('risks-create', { methods: ['POST'], authLevel: 'anonymous', route: 'risks', handler: handle(createRiskRoute) });
app.http('risks-list', { methods: ['GET'], authLevel: 'anonymous', route: 'risks', handler: handle(listRisks) });
app.http('risks-read', { methods: ['GET'], authLevel: 'anonymous', route: 'risks/{id}', handler: handle(readRisk) });
app.http('risks-update', { methods: ['PATCH', 'PUT'], authLevel: 'anonymous', route: 'risks/{id}', handler: handle(updateRiskRoute) });
