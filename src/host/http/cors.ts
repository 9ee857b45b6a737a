/**
 * Cross-origin requests, as Core Tools serves them: `local.settings.json` `Host.CORS` (or the
 * `--cors` flag) lists the origins a browser page may call the host from, `*` for any, and
 * `Host.CORSCredentials` (`--cors-credentials`) lets such pages send cookies. Core Tools builds an
 * ASP.NET Core CORS policy that allows any method and header for those origins; this module gives
 * the same answers: a preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) is
 * answered by the host itself with 204, and every other request from an allowed origin carries
 * `Access-Control-Allow-Origin`. Without a CORS setting nothing is added, as in Core Tools.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HostStartError } from '../config/host-config-error.js';

export interface CorsSettings {
  /** Comma-separated origins, `*` for any. */
  origins?: string | undefined;
  credentials?: boolean | undefined;
}

export interface CorsPolicy {
  anyOrigin: boolean;
  /** Origins as the browser sends them: scheme://host[:port], lowercased, no trailing slash. */
  origins: ReadonlySet<string>;
  credentials: boolean;
}

/** The policy, or undefined when no origin is configured (no CORS headers at all). */
export function corsPolicyFrom(settings: CorsSettings): CorsPolicy | undefined {
  const list = (settings.origins ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  if (list.length === 0) return undefined;
  const anyOrigin = list.includes('*');
  const credentials = settings.credentials === true;
  // ASP.NET Core refuses this policy when the host starts; so do we, rather than answer with a
  // header pair that every browser rejects.
  if (anyOrigin && credentials) {
    throw new HostStartError('CORS: a wildcard origin (*) cannot be combined with CORSCredentials; list the origins instead', 'CORS_INVALID');
  }
  const origins = new Set<string>();
  for (const o of list) {
    if (o === '*') continue;
    let url: URL | undefined;
    try {
      url = new URL(o);
    } catch {
      url = undefined;
    }
    // `localhost:3000` parses as a URL of scheme "localhost:" whose origin is "null".
    if (!url || url.origin === 'null') {
      throw new HostStartError(`CORS: '${o}' is not an origin (expected scheme://host[:port], for example http://localhost:3000)`, 'CORS_INVALID');
    }
    origins.add(url.origin.toLowerCase());
  }
  return { anyOrigin, origins, credentials };
}

function allowedOrigin(policy: CorsPolicy, origin: string): boolean {
  return policy.anyOrigin || policy.origins.has(origin.replace(/\/+$/, '').toLowerCase());
}

/**
 * Applies the policy to one request. Returns true when the request was a preflight and has been
 * answered; otherwise sets the response headers an allowed origin gets and returns false.
 */
export function applyCors(policy: CorsPolicy | undefined, req: IncomingMessage, res: ServerResponse): boolean {
  if (!policy) return false;
  const origin = req.headers.origin;
  const requestedMethod = req.headers['access-control-request-method'];
  const preflight = req.method === 'OPTIONS' && typeof origin === 'string' && typeof requestedMethod === 'string';
  if (typeof origin !== 'string') return false;
  const allowed = allowedOrigin(policy, origin);
  if (!policy.anyOrigin) res.setHeader('Vary', 'Origin');
  if (!preflight) {
    if (allowed) setOriginHeaders(policy, origin, res);
    return false;
  }
  // A preflight from an origin not allowed gets 204 without CORS headers: the browser then
  // blocks the real request, which is how the policy refuses (ASP.NET Core does the same).
  if (allowed) {
    setOriginHeaders(policy, origin, res);
    res.setHeader('Access-Control-Allow-Methods', requestedMethod);
    const requestedHeaders = req.headers['access-control-request-headers'];
    if (typeof requestedHeaders === 'string' && requestedHeaders.trim() !== '') res.setHeader('Access-Control-Allow-Headers', requestedHeaders);
  }
  res.writeHead(204, { 'Content-Length': 0 });
  res.end();
  return true;
}

function setOriginHeaders(policy: CorsPolicy, origin: string, res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', policy.anyOrigin ? '*' : origin);
  if (policy.credentials) res.setHeader('Access-Control-Allow-Credentials', 'true');
}
