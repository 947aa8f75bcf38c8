import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { decide, ROUTE_POLICY, type Access } from '../domain/access/policy.js';
import { DomainError } from '../domain/errors.js';
import { ALL_TENANTS } from '../app/scope.js';
import { principalOf, scopeForPrincipal, SIGN_IN_REQUIRED } from './access-context.js';
import { respondWithProblem } from './errors.js';

/** `:name` and `:name{regex}` as the OpenAPI template spells them (`{name}`). */
export const templateOfPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}');

/**
 * The route that will answer (middleware is registered for every method, 'ALL'; a route has its own): its policy key `METHOD /path/{template}` and its path parameters. Undefined when no
 * route matches (the API's 404).
 */
export function answeringRoute(c: Context): { key: string; params: Record<string, string> } | undefined {
  const routes = matchedRoutes(c);
  // Hono answers with the first matching handler (`/api/controls/export` before `/api/controls/{id}`).
  const index = routes.findIndex((r) => r.method !== 'ALL');
  const route = routes[index];
  if (route === undefined) return undefined;
  // Parameters are read per route: point the request at the answering one for the read, then back.
  const current = c.req.routeIndex;
  c.req.routeIndex = index;
  const params = c.req.param();
  c.req.routeIndex = current;
  return { key: `${route.method} ${templateOfPath(route.path)}`, params };
}

const refusals = {
  unauthenticated: () => SIGN_IN_REQUIRED(),
  forbidden: () => new DomainError('forbidden', 'この操作の権限がありません / your role does not allow this'),
  // The same words as a tenant that does not exist: another tenant's existence is not disclosed.
  not_found: () => new DomainError('not_found', '見つかりません / not found'),
  undeclared: () => new DomainError('forbidden', 'この操作は許可されていません / this operation is not allowed'),
};

/**
 * Decides every /api request by the one table of src/domain/access/policy.ts before its handler runs,
 * and gives the handler the caller's scope. Runs after authentication, which sets the principal.
 */
export function authorization(policy: Readonly<Record<string, Access>> = ROUTE_POLICY): MiddlewareHandler {
  return async (c, next) => {
    const route = answeringRoute(c);
    if (route === undefined) return next(); // no route: the API's 404
    const { key, params } = route;
    const decision = decide(principalOf(c), policy[key], params);
    if (!decision.allowed) {
      if (decision.reason === 'undeclared') console.error(`authorization: ${key} has no rule in src/domain/access/policy.ts; refused`);
      return respondWithProblem(c, refusals[decision.reason]());
    }
    const principal = principalOf(c);
    if (principal !== undefined) c.set('scope', scopeForPrincipal(principal));
    return next();
  };
}

/** The mode route-module tests use: nobody signs in, every tenant is in scope (see `unrestricted` in access-context.ts). */
export const unrestrictedAccess: MiddlewareHandler = async (c, next) => {
  c.set('unrestricted', true);
  c.set('scope', ALL_TENANTS);
  return next();
};
