import type { CentralPrincipal, TenantPrincipal } from '../../domain/access/principal.js';
import type { TenantRole } from '../../domain/access/roles.js';

/** Callers for tests: who acts decides what the people use cases allow. */
export const operator = (email = 'operator@hatoba.example'): CentralPrincipal => ({ kind: 'central', roles: ['operator'], personId: `per_${email}`, email, name: 'Operator', via: 'session' });

export const auditor = (email = 'auditor@hatoba.example'): CentralPrincipal => ({ kind: 'central', roles: ['auditor'], personId: `per_${email}`, email, name: 'Auditor', via: 'session' });

export const tenantCaller = (tenant: { id: string; code: string }, role: TenantRole, personId = `per_${tenant.code}_${role}`): TenantPrincipal => ({
  kind: 'tenant',
  tenantId: tenant.id,
  tenantCode: tenant.code,
  role,
  personId,
  email: `${role}@${tenant.code}.example.jp`,
  name: role,
  via: 'session',
});
