/** Maps `/<routePrefix>/<route>` and a method to the HTTP-triggered function that serves it. */
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

  constructor(functions: RegisteredFunction[], log: Logger) {
    const routes: HttpRoute[] = [];
    for (const fn of functions) {
      const routeText = typeof fn.trigger.route === 'string' && fn.trigger.route !== '' ? fn.trigger.route : fn.name;
      const route = compileRoute(routeText);
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
