/** Maps `/<routePrefix>/<route>` and a method to the HTTP-triggered function that serves it. */
import { MissingAppSettingError, resolveAppSettingExpressions } from '../config/app-settings.js';
import type { Logger } from '../log/logger.js';
import type { RegisteredFunction } from '../worker/function-registry.js';
import { compareRoutes, compileRoute, matchRoute, type CompiledRoute } from './route-template.js';

export interface HttpRoute {
  fn: RegisteredFunction;
  route: CompiledRoute;
  /** Upper-case methods; empty means every method (as when `methods` is omitted in function.json). */
  methods: Set<string>;
}

export type RouteMatch =
  | { kind: 'found'; route: HttpRoute; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

export class HttpTriggerRouter {
  readonly routes: HttpRoute[];

  /**
   * `settings` resolves `%Name%` expressions in routes, as the Functions host does for every
   * binding property. A function whose route names a missing setting or is not a valid
   * template is left out with an error, and the others still serve (the host's indexing errors).
   */
  constructor(functions: RegisteredFunction[], log: Logger, settings: Record<string, string | undefined> = {}) {
    const routes: HttpRoute[] = [];
    for (const fn of functions) {
      const compiled = compileFunctionRoute(fn, settings, log);
      if (!compiled) continue;
      const { route, routeText } = compiled;
      if (route.unknownConstraints.length > 0) {
        log.log('warn', 'route constraints not understood; they are ignored', { functionName: fn.name, route: routeText, constraints: route.unknownConstraints });
      }
      const methods = Array.isArray(fn.trigger.methods) ? (fn.trigger.methods as unknown[]).map((m) => String(m).toUpperCase()) : [];
      routes.push({ fn, route, methods: new Set(methods) });
    }
    this.routes = routes.sort((a, b) => compareRoutes(a.route, b.route));
  }

  match(method: string, path: string): RouteMatch {
    const allowed = new Set<string>();
    for (const route of this.routes) {
      const params = matchRoute(route.route, path);
      if (!params) continue;
      if (route.methods.size === 0 || route.methods.has(method.toUpperCase())) {
        return { kind: 'found', route, params };
      }
      for (const m of route.methods) allowed.add(m);
    }
    return allowed.size > 0 ? { kind: 'method-not-allowed', allowed: [...allowed].sort() } : { kind: 'not-found' };
  }
}

function compileFunctionRoute(
  fn: RegisteredFunction,
  settings: Record<string, string | undefined>,
  log: Logger,
): { route: CompiledRoute; routeText: string } | undefined {
  const declared = typeof fn.trigger.route === 'string' && fn.trigger.route !== '' ? fn.trigger.route : fn.name;
  try {
    const routeText = resolveAppSettingExpressions(declared, settings);
    return { route: compileRoute(routeText), routeText };
  } catch (err) {
    const reason = err instanceof MissingAppSettingError ? err.message : err instanceof Error ? err.message : String(err);
    log.log('error', 'function not loaded: its route is invalid', { functionName: fn.name, route: declared, reason });
    return undefined;
  }
}
