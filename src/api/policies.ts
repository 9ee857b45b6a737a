/** Policy documents over HTTP: `GET /api/policies`, `GET /api/policies/{id}`, `PUT /api/policies/{id}` (validated, CEL checked, audited on the system chain). */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { AuditAction, PolicyIdSchema, ValidationError } from '../domain/index.js';
import { getGovernanceServices, type AuditLedger, type PolicyStore, type StoredPolicy } from '../services/index.js';
import { appHttp } from './error-response.js';
import { jsonBody, pathParam } from './http-input.js';

export interface PolicyDeps {
  policies: PolicyStore;
  ledger: AuditLedger;
}

const policyIdParam = (request: HttpRequest): string => pathParam(request, 'id', PolicyIdSchema, 'policy id');

const view = (p: StoredPolicy) => ({ ...p.policy, source: p.source, ...(p.updatedAt ? { updatedAt: p.updatedAt } : {}) });

export async function listPolicies(deps: PolicyDeps): Promise<HttpResponseInit> {
  return { status: 200, jsonBody: { items: (await deps.policies.list()).map(view) } };
}

export async function readPolicy(request: HttpRequest, deps: PolicyDeps): Promise<HttpResponseInit> {
  return { status: 200, jsonBody: view(await deps.policies.get(policyIdParam(request))) };
}

export async function putPolicy(request: HttpRequest, deps: PolicyDeps): Promise<HttpResponseInit> {
  const id = policyIdParam(request);
  const body = await jsonBody(request, z.record(z.string(), z.unknown()), 'policy document', 256 * 1024);
  if (body.id !== undefined && body.id !== id) throw new ValidationError(`the body names policy ${String(body.id)}, the path ${id}`);
  const by = request.headers.get('x-aos-actor') ?? 'anonymous';
  const { stored, created } = await deps.policies.put({ ...body, id } as Parameters<PolicyStore['put']>[0]);
  await deps.ledger.append('system', { actor: `user:${by}`, action: AuditAction.policyChanged, subject: `policy ${id}`, payload: stored.policy, decision: created ? 'created' : 'replaced', details: { policyId: id, rules: stored.policy.rules.length, enabled: stored.policy.enabled } });
  return { status: created ? 201 : 200, headers: { location: `/api/policies/${id}` }, jsonBody: view(stored) };
}

const deps = (): PolicyDeps => getGovernanceServices();

appHttp('policies-list', ['GET'], 'policies', () => listPolicies(deps()));
appHttp('policies-read', ['GET'], 'policies/{id}', (r: HttpRequest) => readPolicy(r, deps()));
appHttp('policies-put', ['PUT'], 'policies/{id}', (r: HttpRequest) => putPolicy(r, deps()));
