/**
 * The host's HTTP server on 127.0.0.1: system routes (the Durable HTTP API, admin) by path
 * prefix first, then the app's HTTP triggers under `/<routePrefix>/`.
 */
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HostStartError } from '../config/host-config-error.js';
import type { Logger } from '../log/logger.js';
import type { FunctionRunner } from '../worker/function-runner.js';
import { applyCors, type CorsPolicy } from './cors.js';
import { checkFunctionKey, type FunctionKeys } from './function-keys.js';
import { handleHttpInvocation } from './http-invocation.js';
import type { HttpTriggerRouter } from './http-trigger-router.js';
import { sendError } from './json-response.js';

/** A handler for a path prefix the host itself serves; it answers or returns false to fall through. */
export type SystemRouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean | void>;

export interface HttpFrontOptions {
  host: string;
  port: number;
  routePrefix: string;
  log: Logger;
  /** Keys checked for `authLevel` function/admin; none configured means no check (Core Tools). */
  functionKeys?: FunctionKeys;
  /** Origins allowed to call from a browser (local.settings.json `Host.CORS`); none: no CORS headers. */
  cors?: CorsPolicy;
}

/** The loaded app's side of the front: set once the app has registered its functions. */
export interface HttpApp {
  router: HttpTriggerRouter;
  runner: FunctionRunner;
  /** The library's proxy base URL when the app enabled HTTP streams. */
  streamProxyUri: string | undefined;
}

export class HttpFront {
  readonly #server: Server;
  readonly #system: { prefix: string; handler: SystemRouteHandler }[] = [];
  readonly #sockets = new Set<import('node:net').Socket>();
  #app: HttpApp | undefined;

  constructor(private readonly options: HttpFrontOptions) {
    this.#server = http.createServer((req, res) => {
      this.#handle(req, res).catch((err: unknown) => {
        options.log.log('error', 'request failed', { url: req.url, error: err instanceof Error ? err.stack : String(err) });
        if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'the host failed to process the request');
        else res.destroy();
      });
    });
    this.#server.keepAliveTimeout = 5_000;
    this.#server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
  }

  /** Start serving the app's HTTP triggers; until then they answer 503. */
  setApp(app: HttpApp): void {
    this.#app = app;
  }

  /** Serve `prefix` (for example `/runtime/webhooks/durabletask/`) with a host handler. */
  addSystemRoute(prefix: string, handler: SystemRouteHandler): void {
    this.#system.push({ prefix: prefix.toLowerCase(), handler });
  }

  async listen(): Promise<number> {
    const { host, port } = this.options;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE') reject(new HostStartError(`port ${port} on ${host} is already in use; choose another with --port`, 'PORT_IN_USE'));
        else if (err.code === 'EACCES') reject(new HostStartError(`not allowed to listen on ${host}:${port}`, 'PORT_DENIED'));
        else reject(err);
      };
      this.#server.once('error', onError);
      this.#server.listen(port, host, () => {
        this.#server.off('error', onError);
        resolve();
      });
    });
    return (this.#server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      for (const s of this.#sockets) s.destroy();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? `${this.options.host}:${this.options.port}`}`);
    // CORS comes first: a preflight is answered by the host for every route, system ones included.
    if (applyCors(this.options.cors, req, res)) return;
    const lowerPath = url.pathname.toLowerCase();
    for (const { prefix, handler } of this.#system) {
      if (lowerPath.startsWith(prefix) || `${lowerPath}/` === prefix) {
        const handled = await handler(req, res, url);
        if (handled !== false) return;
      }
    }
    const app = this.#app;
    if (!app) return sendError(res, 503, 'STARTING', 'the host is starting; try again shortly', undefined, { 'Retry-After': '1' });
    const routePath = stripPrefix(url.pathname, this.options.routePrefix);
    if (routePath === undefined) {
      return sendError(res, 404, 'NOT_FOUND', `no function serves ${req.method} ${url.pathname}`);
    }
    const match = app.router.match(req.method ?? 'GET', routePath);
    if (match.kind === 'not-found') {
      return sendError(res, 404, 'NOT_FOUND', `no function serves ${req.method} ${url.pathname}`);
    }
    if (match.kind === 'method-not-allowed') {
      return sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`, { allowed: match.allowed }, { Allow: match.allowed.join(', ') });
    }
    const keyCheck = checkFunctionKey(match.route.fn.trigger, req, url, this.options.functionKeys);
    if (!keyCheck.ok) return sendError(res, 401, 'UNAUTHORIZED', keyCheck.message);
    await handleHttpInvocation(
      { fn: match.route.fn, req, res, url, routeParams: match.params, streamProxyUri: app.streamProxyUri },
      app.runner,
      this.options.log,
    );
  }
}

/** `/api/users/1` with prefix `api` gives `/users/1`; an empty prefix serves from the root. */
function stripPrefix(pathname: string, prefix: string): string | undefined {
  if (prefix === '') return pathname;
  const lower = pathname.toLowerCase();
  const p = `/${prefix.toLowerCase()}`;
  if (lower === p || lower === `${p}/`) return '/';
  if (lower.startsWith(`${p}/`)) return pathname.slice(p.length);
  return undefined;
}
