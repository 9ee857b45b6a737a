/** Maps `/<routePrefix>/<route>` and a method to the HTTP-triggered function that serves it. */
import { MissingAppSettingError, resolveAppSettingExpressions } from '../config/app-settings.js';
import { HostStartError } from '../config/host-config-error.js';
import type { Logger } from '../log/logger.js';
import { isFunctionDisabled } from '../triggers/index.js';
import type { RegisteredFunction } from '../worker/function-registry.js';
import { compareRoutes, compileRoute, matchRoute, RouteTemplateError, type CompiledRoute } from './route-template.js';

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
   * binding property, and `AzureWebJobs.<Function>.Disabled` leaves a function out (a 404).
   * A route that names a missing setting or is not a valid template stops the host with a
   * {@link HostStartError} naming the function, as the trigger services do for their bindings.
   */
  constructor(functions: RegisteredFunction[], log: Logger, settings: Record<string, string | undefined> = {}) {
    const routes: HttpRoute[] = [];
    for (const fn of functions) {
      if (isFunctionDisabled(fn.name, settings)) {
        log.log('info', 'function disabled by app setting; not served', { functionName: fn.name });
        continue;
      }
      const { route, routeText } = compileFunctionRoute(fn, settings);
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

function compileFunctionRoute(fn: RegisteredFunction, settings: Record<string, string | undefined>): { route: CompiledRoute; routeText: string } {
  const declared = typeof fn.trigger.route === 'string' && fn.trigger.route !== '' ? fn.trigger.route : fn.name;
  let routeText: string;
  try {
    routeText = resolveAppSettingExpressions(declared, settings);
  } catch (err) {
    if (!(err instanceof MissingAppSettingError)) throw err;
    throw new HostStartError(`function '${fn.name}' (httpTrigger): route '${declared}' refers to app setting '${err.setting}', which is not defined`, 'APP_SETTING_MISSING', { cause: err });
  }
  try {
    return { route: compileRoute(routeText), routeText };
  } catch (err) {
    if (!(err instanceof RouteTemplateError)) throw err;
    throw new HostStartError(`function '${fn.name}' (httpTrigger): ${err.message}`, 'ROUTE_INVALID', { cause: err });
  }
}
