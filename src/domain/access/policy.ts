import type { Principal } from './principal.js';
import type { ContactRole } from '../registry/organisation.js';
import { CENTRAL_ROLES, type CentralRole, type TenantRole } from './roles.js';

/**
 * Who may call what: every API route, once, in this table. The authorization middleware
 * (src/api/authorize.ts) looks each request's route up here before its handler runs; a route missing
 * from the table is refused, and a test fails for every route the API serves without a line here.
 *
 * A rule names the central roles and the tenant roles allowed. Tenant people are confined further:
 * - `tenantParam`: the route names a tenant in its path (`{tenant}`, an id or official code), which
 *   must be the caller's own, or the answer is "not found" (a tenant cannot learn that another exists);
 * - otherwise the handler's use case receives the caller's scope (src/api/access-context.ts `scopeOf`)
 *   and sees only the caller's tenant: lists are filtered, and a thing of another tenant is not found.
 * Central people get a scope over every tenant, but limited to what this file grants them: the
 * registry, aggregates (scores), critical findings, and the contacts named below.
 */
export type Access =
  | { kind: 'public' }
  | { kind: 'signed_in' }
  | { kind: 'roles'; central: readonly CentralRole[]; tenant: readonly TenantRole[]; tenantParam?: 'tenant' };

const PUBLIC: Access = { kind: 'public' };
const SIGNED_IN: Access = { kind: 'signed_in' };
const roles = (central: readonly CentralRole[], tenant: readonly TenantRole[], tenantParam?: 'tenant'): Access =>
  tenantParam === undefined ? { kind: 'roles', central, tenant } : { kind: 'roles', central, tenant, tenantParam };

const ANY_CENTRAL = CENTRAL_ROLES;
const ANY_TENANT: readonly TenantRole[] = ['tenant_admin', 'tenant_member'];
const TENANT_ADMIN: readonly TenantRole[] = ['tenant_admin'];
const NO_TENANT: readonly TenantRole[] = [];
const OPERATOR: readonly CentralRole[] = ['operator'];
const SECURITY: readonly CentralRole[] = ['operator', 'security_officer'];
const AUDIT: readonly CentralRole[] = ['auditor', 'security_officer'];
const NO_CENTRAL: readonly CentralRole[] = [];

/** `METHOD /path/{template}` as the OpenAPI document spells it. */
export const ROUTE_POLICY: Readonly<Record<string, Access>> = {
  // The API's own description and health.
  'GET /api/health': PUBLIC,
  'GET /api/openapi.json': PUBLIC,

  // The catalog is public knowledge inside the federation: anyone signed in reads it.
  'GET /api/controls': SIGNED_IN,
  'GET /api/controls/export': SIGNED_IN,
  'GET /api/controls/{id}': SIGNED_IN,
  'GET /api/catalog/trace': SIGNED_IN,
  'GET /api/frameworks': SIGNED_IN,
  'GET /api/frameworks/{id}/coverage': SIGNED_IN,
  'GET /api/registry/vocabulary': SIGNED_IN,

  // The registry: central roles see it whole; a tenant sees itself.
  'GET /api/tenants': roles(ANY_CENTRAL, ANY_TENANT),
  'POST /api/tenants': roles(OPERATOR, NO_TENANT),
  'POST /api/tenants/import': roles(OPERATOR, NO_TENANT),
  'GET /api/tenants/{tenant}': roles(ANY_CENTRAL, ANY_TENANT, 'tenant'),
  'GET /api/tenants/{tenant}/systems': roles(ANY_CENTRAL, ANY_TENANT, 'tenant'),
  'POST /api/tenants/{tenant}/systems': roles(OPERATOR, TENANT_ADMIN, 'tenant'),
  'GET /api/systems/{id}': roles(ANY_CENTRAL, ANY_TENANT),
  'GET /api/placement-rules': roles(ANY_CENTRAL, NO_TENANT),
  'PUT /api/placement-rules': roles(OPERATOR, NO_TENANT),
  'GET /api/accounts': roles(ANY_CENTRAL, ANY_TENANT),
  'GET /api/accounts/{id}': roles(ANY_CENTRAL, ANY_TENANT),

  // Account requests: a tenant admin requests for their own tenant; operators for any (bulk onboarding).
  'POST /api/account-requests': roles(OPERATOR, TENANT_ADMIN),
  'POST /api/account-requests/batch': roles(OPERATOR, TENANT_ADMIN),
  'POST /api/account-requests/import': roles(OPERATOR, TENANT_ADMIN),
  'GET /api/account-requests': roles(ANY_CENTRAL, ANY_TENANT),
  'GET /api/account-requests/{id}': roles(ANY_CENTRAL, ANY_TENANT),
  'GET /api/account-request-batches/{id}': roles(ANY_CENTRAL, ANY_TENANT),
  'POST /api/account-requests/{id}/retry': roles(OPERATOR, NO_TENANT),
  'POST /api/account-requests/{id}/abandon': roles(OPERATOR, NO_TENANT),

  // Findings belong to the tenant: it sees and decides on its own; central roles see critical ones only.
  'GET /api/findings': roles(ANY_CENTRAL, ANY_TENANT),
  'GET /api/findings/{id}': roles(ANY_CENTRAL, ANY_TENANT),
  'POST /api/findings/{id}/suppress': roles(NO_CENTRAL, TENANT_ADMIN),
  'POST /api/findings/{id}/unsuppress': roles(NO_CENTRAL, TENANT_ADMIN),
  // Scores are aggregates: central roles see every tenant's, a tenant its own.
  'GET /api/posture': roles(ANY_CENTRAL, ANY_TENANT),
  'GET /api/posture/accounts/{account}': roles(ANY_CENTRAL, ANY_TENANT),
  'GET /api/posture/tenants/{tenant}': roles(ANY_CENTRAL, ANY_TENANT, 'tenant'),
  'POST /api/posture/sweep': roles(SECURITY, NO_TENANT),

  // Preventive guardrails are the centre's: per OU, never per tenant.
  'GET /api/guardrails/targets': roles(ANY_CENTRAL, NO_TENANT),
  'GET /api/guardrails/targets/{ou}': roles(ANY_CENTRAL, NO_TENANT),
  'PUT /api/guardrails/targets/{ou}/controls': roles(SECURITY, NO_TENANT),
  'POST /api/guardrails/targets/{ou}/preview': roles(SECURITY, NO_TENANT),
  'POST /api/guardrails/targets/{ou}/impact': roles(SECURITY, NO_TENANT),
  'GET /api/guardrails/targets/{ou}/impact/{reportId}': roles(ANY_CENTRAL, NO_TENANT),
  'POST /api/guardrails/targets/{ou}/stage': roles(SECURITY, NO_TENANT),

  // The audit trail is read by auditors (and the security officer), for the annual audit.
  'GET /api/audit/verify': roles(AUDIT, NO_TENANT),
  'GET /api/audit/export': roles(AUDIT, NO_TENANT),
  'GET /api/audit/entries': roles(AUDIT, NO_TENANT),

  // Break-glass (ADR 0013): operators request, the tenant admin decides; the use cases narrow further
  // (a central person sees only their own grants, operators every grant's metadata, never the activity).
  'POST /api/break-glass/requests': roles(OPERATOR, NO_TENANT),
  'GET /api/break-glass/grants': roles(ANY_CENTRAL, ANY_TENANT),
  'GET /api/break-glass/grants/{id}': roles(ANY_CENTRAL, ANY_TENANT),
  'POST /api/break-glass/grants/{id}/approve': roles(NO_CENTRAL, TENANT_ADMIN),
  'POST /api/break-glass/grants/{id}/deny': roles(NO_CENTRAL, TENANT_ADMIN),
  'POST /api/break-glass/grants/{id}/revoke': roles(NO_CENTRAL, TENANT_ADMIN),
  'POST /api/break-glass/grants/{id}/cancel': roles(OPERATOR, NO_TENANT),
  'GET /api/break-glass/grants/{id}/activity': roles(NO_CENTRAL, ANY_TENANT),
  'GET /api/tenants/{tenant}/alerts': roles(NO_CENTRAL, ANY_TENANT, 'tenant'),
  'POST /api/tenants/{tenant}/alerts/{alert}/acknowledge': roles(NO_CENTRAL, TENANT_ADMIN, 'tenant'),

  // API tokens (ADR 0011): everyone signed in manages their own, and only their own (the handlers use the caller's person).
  'POST /api/tokens': SIGNED_IN,
  'GET /api/tokens': SIGNED_IN,
  'DELETE /api/tokens/{id}': SIGNED_IN,

  // People (ADR 0012): a tenant's people are its admin's to manage and no central role reads them (local
  // autonomy); operators add only a tenant's first admin and manage central people. The use cases judge
  // the person (another tenant's is not found; a tenant's, to a central role, is forbidden).
  'GET /api/tenants/{tenant}/people': roles(NO_CENTRAL, ANY_TENANT, 'tenant'),
  'POST /api/tenants/{tenant}/people': roles(OPERATOR, TENANT_ADMIN, 'tenant'),
  'GET /api/people/{id}': roles(OPERATOR, ANY_TENANT),
  'PATCH /api/people/{id}': roles(NO_CENTRAL, TENANT_ADMIN),
  'DELETE /api/people/{id}': roles(OPERATOR, TENANT_ADMIN),
  'GET /api/central/people': roles(ANY_CENTRAL, NO_TENANT),
  'POST /api/central/people': roles(OPERATOR, NO_TENANT),
};

/**
 * What of a tenant's contacts central roles see: whom to reach in an incident. Technical and billing
 * contacts stay the tenant's.
 */
export const CENTRAL_CONTACT_ROLES: readonly ContactRole[] = ['primary', 'security'];

/** The findings central roles see: a tenant's findings are its own, but the centre must know of critical ones. */
export const CENTRAL_FINDING_SEVERITIES: readonly string[] = ['critical'];

export type Decision = { allowed: true } | { allowed: false; reason: 'unauthenticated' | 'forbidden' | 'not_found' | 'undeclared' };

/**
 * Whether `principal` may call a route with rule `access` (undefined: not in the table) and these path
 * parameters. A tenant naming another tenant in the path gets `not_found`, the same answer as for a
 * tenant that does not exist.
 */
export function decide(principal: Principal | undefined, access: Access | undefined, params: Readonly<Record<string, string>>): Decision {
  if (access === undefined) return { allowed: false, reason: 'undeclared' };
  if (access.kind === 'public') return { allowed: true };
  if (principal === undefined) return { allowed: false, reason: 'unauthenticated' };
  if (access.kind === 'signed_in') return { allowed: true };
  if (principal.kind === 'central') {
    return principal.roles.some((r) => access.central.includes(r)) ? { allowed: true } : { allowed: false, reason: 'forbidden' };
  }
  if (!access.tenant.includes(principal.role)) return { allowed: false, reason: 'forbidden' };
  if (access.tenantParam !== undefined) {
    const named = params[access.tenantParam];
    if (named === undefined || (named !== principal.tenantCode && named !== principal.tenantId)) return { allowed: false, reason: 'not_found' };
  }
  return { allowed: true };
}
