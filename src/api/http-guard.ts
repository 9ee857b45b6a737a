/**
 * The one gate in front of every HTTP function of the app: an `app.hook.preInvocation` hook (public
 * `@azure/functions` API, so it runs on Azure Functions as on the local host) that wraps each
 * HTTP-triggered invocation in a server span and, when auth is on, checks the caller before the
 * handler runs. A refused call never reaches the handler: it answers 401 or 403 and changes nothing.
 * Route files stay unaware of auth; `requiredRole` is the one table of who may call what.
 */
import { app, type HttpRequest, type HttpResponseInit, type PreInvocationContext } from '@azure/functions';
import type { Span } from '@opentelemetry/api';
import { getConfig } from '../config.js';
import { ForbiddenError, getHttpAuthenticator, requiredRole, UnauthenticatedError, type Principal } from '../services/auth/index.js';
import { ensureTelemetry, getLogger, withServerSpan } from '../services/telemetry/index.js';
import { errorResponse } from './error-response.js';

export interface GuardedCall {
  functionName: string;
  route: string | undefined;
  request: HttpRequest;
}

/** Who made each authenticated request, for handlers that record the caller (the audit of context changes). Weak: it ends with the request. */
const principals = new WeakMap<HttpRequest, Principal>();

/** The principal the guard authenticated for this request; undefined when auth is off or the route is anonymous. */
export function principalOf(request: HttpRequest): Principal | undefined {
  return principals.get(request);
}

/** The answer for a refused call, or undefined to let it through. */
export async function refusalOf(call: GuardedCall, span?: Span): Promise<HttpResponseInit | undefined> {
  if (getConfig().auth.mode === 'none') return undefined;
  const required = requiredRole({ functionName: call.functionName, method: call.request.method, ...(call.route === undefined ? {} : { route: call.route }) });
  if (required === 'anonymous') return undefined;
  const authenticator = getHttpAuthenticator();
  try {
    const principal = await authenticator.authenticate({
      authorization: call.request.headers.get('authorization'),
      key: call.request.headers.get('x-functions-key') ?? call.request.query.get('code'),
    });
    authenticator.authorize(principal, required);
    principals.set(call.request, principal);
    span?.setAttributes({ 'enduser.id': principal.subject, 'aos.auth.via': principal.via, 'aos.auth.required_role': required });
    return undefined;
  } catch (err) {
    if (!(err instanceof UnauthenticatedError) && !(err instanceof ForbiddenError)) throw err;
    getLogger().log('warn', 'http request refused', { functionName: call.functionName, method: call.request.method, code: err.code, required });
    return errorResponse(err);
  }
}

const statusOf = (result: unknown): number | undefined => {
  if (result === null || typeof result !== 'object') return undefined;
  const status = (result as { status?: unknown }).status;
  return typeof status === 'number' ? status : 200;
};

function guardHttp(context: PreInvocationContext): void {
  const trigger = context.invocationContext.options.trigger;
  if (trigger.type !== 'httpTrigger') return;
  const request = context.inputs[0] as HttpRequest;
  const handler = context.functionHandler;
  const functionName = context.invocationContext.functionName;
  const route = typeof trigger.route === 'string' ? trigger.route : undefined;
  context.functionHandler = (...args: unknown[]) => {
    ensureTelemetry();
    return withServerSpan(
      { functionName, method: request.method, ...(route === undefined ? {} : { route }), url: request.url, traceparent: request.headers.get('traceparent'), tracestate: request.headers.get('tracestate') },
      async (span) => (await refusalOf({ functionName, route, request }, span)) ?? (handler as (...a: unknown[]) => unknown)(...args),
      statusOf,
    );
  };
}

app.hook.preInvocation(guardHttp);
