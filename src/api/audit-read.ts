/**
 * The audit ledger over HTTP: `GET /api/audit/{chain}` pages records, `/verify` checks the whole
 * chain, `/export?from=&to=` streams a time range as JSON lines for auditors.
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { AuditChainIdSchema, type AuditChainId } from '../domain/index.js';
import { getGovernanceServices, type AuditLedger } from '../services/index.js';
import { appHttp } from './error-response.js';
import { pathParam, queryValue } from './http-input.js';

const chainParam = (request: HttpRequest): AuditChainId => pathParam(request, 'chain', AuditChainIdSchema, 'audit chain id');

export async function readAudit(request: HttpRequest, ledger: AuditLedger): Promise<HttpResponseInit> {
  const chain = chainParam(request);
  const from = queryValue(request, 'from', z.coerce.number().int().min(0).default(0));
  const limit = queryValue(request, 'limit', z.coerce.number().int().min(1).max(1000).default(100));
  const head = await ledger.head(chain);
  const items = await ledger.read(chain, { from, limit });
  const next = from + items.length < head.length ? from + items.length : undefined;
  return { status: 200, jsonBody: { chain, head, items, ...(next === undefined ? {} : { next }) } };
}

export async function verifyAudit(request: HttpRequest, ledger: AuditLedger): Promise<HttpResponseInit> {
  return { status: 200, jsonBody: await ledger.verify(chainParam(request)) };
}

export async function exportAudit(request: HttpRequest, ledger: AuditLedger): Promise<HttpResponseInit> {
  const chain = chainParam(request);
  const time = z.iso.datetime({ offset: true }).optional();
  const from = queryValue(request, 'from', time);
  const to = queryValue(request, 'to', time);
  const lines: string[] = [];
  for await (const record of ledger.export(chain, { ...(from ? { from } : {}), ...(to ? { to } : {}) })) lines.push(JSON.stringify(record));
  return { status: 200, headers: { 'content-type': 'application/x-ndjson', 'content-disposition': `attachment; filename="${chain}.jsonl"` }, body: lines.map((l) => `${l}\n`).join('') };
}

const route = (handler: (request: HttpRequest, ledger: AuditLedger) => Promise<HttpResponseInit>) => (request: HttpRequest) => handler(request, getGovernanceServices().ledger);

appHttp('audit-read', ['GET'], 'audit/{chain}', route(readAudit));
appHttp('audit-verify', ['GET'], 'audit/{chain}/verify', route(verifyAudit));
appHttp('audit-export', ['GET'], 'audit/{chain}/export', route(exportAudit));
