import { z } from 'zod';
import type { Label } from '../registry/labels.js';

/**
 * Who may do what is decided by roles. Central roles belong to the cloud team and see the registry,
 * aggregates and critical findings; tenant roles belong to one organisation and see only it.
 */
export const CENTRAL_ROLES = ['operator', 'security_officer', 'auditor'] as const;
export const CentralRole = z.enum(CENTRAL_ROLES);
export type CentralRole = z.infer<typeof CentralRole>;

export const TENANT_ROLES = ['tenant_admin', 'tenant_member'] as const;
export const TenantRole = z.enum(TENANT_ROLES);
export type TenantRole = z.infer<typeof TenantRole>;

export const Role = z.enum([...CENTRAL_ROLES, ...TENANT_ROLES]);
export type Role = z.infer<typeof Role>;

export const isCentralRole = (role: Role): role is CentralRole => CentralRole.safeParse(role).success;

export const ROLE_LABELS: Record<Role, Label> = {
  operator: { ja: '運用担当(中央)', en: 'Operator (central)' },
  security_officer: { ja: 'セキュリティ責任者(中央)', en: 'Security officer (central)' },
  auditor: { ja: '監査担当(中央)', en: 'Auditor (central)' },
  tenant_admin: { ja: 'テナント管理者', en: 'Tenant admin' },
  tenant_member: { ja: 'テナント利用者', en: 'Tenant member' },
};
