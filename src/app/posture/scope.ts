/**
 * Whose findings and scores a caller may see. Every findings and posture use case, and every
 * findings store call that reads or changes a finding, takes one, so that sign-in (issue 4) only has
 * to build it from the session: a tenant member gets `{ tenantId }` (their organisation), central
 * roles (operator, security officer, auditor) get `{ all: true }`. Until then the API and the worker
 * pass `{ all: true }`. Something outside the scope is reported as not found, never as forbidden:
 * a tenant must not learn that another tenant's finding exists.
 */
export type TenantScope = { tenantId: string } | { all: true };

/** Every tenant's findings, and those of accounts the registry does not know (no tenant). */
export const ALL_TENANTS: TenantScope = { all: true };

/** Whether something owned by `tenantId` (null: no tenant) is within the scope. */
export const inScope = (scope: TenantScope, tenantId: string | null): boolean => 'all' in scope || scope.tenantId === tenantId;

/** The tenant the scope is limited to; undefined when it covers every tenant. */
export const scopedTenant = (scope: TenantScope): string | undefined => ('tenantId' in scope ? scope.tenantId : undefined);
