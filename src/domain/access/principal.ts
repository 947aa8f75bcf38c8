import { z } from 'zod';
import { CentralRole, TenantRole, type Role } from './roles.js';

/**
 * The person behind a request, as the access layer resolved it from a session or an API token, with
 * the roles they hold now (not when they signed in: removing a person or a role takes effect on their
 * next request). A person is central or belongs to one tenant, never both: autonomy by construction,
 * central people have no tenant role that could open a tenant's data to them.
 */
const PersonFields = {
  personId: z.string(),
  email: z.string(),
  name: z.string(),
  /** How the request was authenticated; CSRF checks apply only to cookie sessions. */
  via: z.enum(['session', 'token']),
};

export const CentralPrincipal = z.object({ ...PersonFields, kind: z.literal('central'), roles: z.array(CentralRole).min(1) });
export type CentralPrincipal = z.infer<typeof CentralPrincipal>;

export const TenantPrincipal = z.object({ ...PersonFields, kind: z.literal('tenant'), tenantId: z.string(), tenantCode: z.string(), role: TenantRole });
export type TenantPrincipal = z.infer<typeof TenantPrincipal>;

export const Principal = z.discriminatedUnion('kind', [CentralPrincipal, TenantPrincipal]);
export type Principal = z.infer<typeof Principal>;

/** Every role the principal holds. */
export const rolesOf = (p: Principal): readonly Role[] => (p.kind === 'central' ? p.roles : [p.role]);

/** Whether the principal holds at least one of the roles. */
export const hasAnyRole = (p: Principal, roles: readonly Role[]): boolean => rolesOf(p).some((r) => roles.includes(r));
