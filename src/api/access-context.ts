import type { Context } from 'hono';
import type { Principal } from '../domain/access/principal.js';
import { DomainError } from '../domain/errors.js';
import { ALL_TENANTS, CENTRAL_SCOPE, type TenantScope } from '../app/scope.js';
import { DEFAULT_ACTOR } from '../app/guardrails/deps.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** The authenticated caller, set by the authentication middleware (src/api/authentication.ts). */
    principal?: Principal;
    /** The CSRF token of the caller's cookie session; absent for bearer tokens. */
    csrfToken?: string;
    /** Set once the request passed authorization (src/api/authorize.ts): whose things it may see. */
    scope?: TenantScope;
    /**
     * Set only by `createApi(…, { access: 'unrestricted' })`, the mode route-module tests use: no
     * sign-in, every tenant in scope, and the `x-hatoba-actor` header names the actor. The server
     * (src/main/api.ts) never builds an unrestricted API.
     */
    unrestricted?: true;
  }
}

/** The caller, or undefined for an anonymous request (only public routes let one through). */
export const principalOf = (c: Context): Principal | undefined => c.get('principal');

/** The scope a principal sees everything through: its tenant, or the centre's limited view of all. */
export const scopeForPrincipal = (p: Principal): TenantScope => (p.kind === 'central' ? CENTRAL_SCOPE : { tenantId: p.tenantId });

/**
 * The scope of the request's caller. Fails closed: a handler reached without authorization having
 * run (a wiring mistake) gets an error, never every tenant.
 */
export function scopeOf(c: Context): TenantScope {
  const scope = c.get('scope');
  if (scope !== undefined) return scope;
  if (c.get('unrestricted') === true) return ALL_TENANTS;
  throw new Error(`no access scope for ${c.req.method} ${c.req.path}: the authorization middleware did not run`);
}

/**
 * Names the actor only in unrestricted mode (route-module tests); the server ignores it and records
 * the person signed in or the person of the bearer token.
 */
export const ACTOR_HEADER = 'x-hatoba-actor';

/** Who acts, by e-mail address: the signed-in person; in unrestricted mode the `x-hatoba-actor` header or the default operator. */
export function actorOf(c: Context): string {
  const principal = principalOf(c);
  if (principal !== undefined) return principal.email;
  if (c.get('unrestricted') === true) return c.req.header(ACTOR_HEADER) ?? DEFAULT_ACTOR;
  return 'anonymous';
}

export const SIGN_IN_REQUIRED = (): DomainError => new DomainError('unauthenticated', 'サインインが必要です / sign-in is required');

/** The caller of a route whose use cases decide by who calls; anonymous callers are refused (401), in every mode. */
export function requirePrincipal(c: Context): Principal {
  const principal = principalOf(c);
  if (principal === undefined) throw SIGN_IN_REQUIRED();
  return principal;
}
