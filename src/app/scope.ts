/**
 * Whose things a caller may see. Every use case that reads or changes something a tenant owns takes
 * one, built by the API from the signed-in person (src/api/access-context.ts, from the rules of
 * src/domain/access/policy.ts): a tenant person gets `{ tenantId }` (their organisation); central
 * roles get `{ all: true, central: true }`, every tenant but only what the policy grants the centre
 * (critical findings, some contacts). The workers pass `ALL_TENANTS`. Something outside the scope is
 * reported as not found, never as forbidden: a tenant must not learn that another tenant's thing exists.
 */
export type TenantScope = { tenantId: string } | { all: true; central?: true };

/** Every tenant's things, and those of accounts the registry does not know (no tenant): the workers' scope. */
export const ALL_TENANTS: TenantScope = { all: true };

/** What central roles see: every tenant, limited to what the access policy grants the centre. */
export const CENTRAL_SCOPE: TenantScope = { all: true, central: true };

/** Whether something owned by `tenantId` (null: no tenant) is within the scope. */
export const inScope = (scope: TenantScope, tenantId: string | null): boolean => 'all' in scope || scope.tenantId === tenantId;

/** The tenant the scope is limited to; undefined when it covers every tenant. */
export const scopedTenant = (scope: TenantScope): string | undefined => ('tenantId' in scope ? scope.tenantId : undefined);

/** Whether the scope is the centre's: every tenant, but only what the policy grants it. */
export const isCentralScope = (scope: TenantScope): boolean => 'all' in scope && scope.central === true;
