import type { CentralPrincipal, Principal, TenantPrincipal } from '../../domain/access/principal.js';
import { DomainError } from '../../domain/errors.js';
import type { Organisation } from '../../domain/registry/organisation.js';
import type { RegistryStore } from '../ports/registry-store.js';
import { resolveScopedTenant } from '../registry/deps.js';
import type { TenantScope } from '../scope.js';
import type { Grant } from './model.js';

/**
 * Who may do what with a grant, decided here rather than trusted to the routes (autonomy by
 * construction). A grant belongs to its tenant: the tenant's people see it and its activity, its admin
 * decides and revokes it. A central person sees the grants they requested; the operator role sees every
 * grant's metadata, never a tenant's activity. A grant a caller may not see is "not found".
 */

export const forbidden = (en: string, ja: string): DomainError => new DomainError('forbidden', `${ja} / ${en}`);

/**
 * Not found, in Japanese and English: the same words whether the thing does not exist or belongs to
 * another tenant, so a caller cannot tell one from the other.
 */
const missing = (ja: string, en: string, ref: string): DomainError => new DomainError('not_found', `${ja} ${ref} が見つかりません / ${en} ${ref} was not found`);

export const grantNotFound = (id: string): DomainError => missing('緊急アクセス', 'break-glass grant', id);
export const alertNotFound = (id: string): DomainError => missing('アラート', 'alert', id);

/** The tenant named by id or official code within the scope; another tenant is not found, like a missing one. */
export async function tenantInScope(registry: RegistryStore, scope: TenantScope, ref: string): Promise<Organisation> {
  try {
    return await resolveScopedTenant({ store: registry }, scope, ref);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not_found') throw missing('テナント', 'tenant', ref);
    throw error;
  }
}

export function mayView(p: Principal, g: Grant): boolean {
  if (p.kind === 'tenant') return p.tenantId === g.tenantId;
  return p.roles.includes('operator') || p.personId === g.requestedBy.personId;
}

/** The caller when they are a central operator (the only ones who request access). */
export function requireOperator(p: Principal): CentralPrincipal {
  if (p.kind !== 'central' || !p.roles.includes('operator')) {
    throw forbidden('only a central operator may request break-glass access', '緊急アクセスを申請できるのは中央の運用担当だけです');
  }
  return p;
}

/** The caller when they are a tenant admin (the only ones who decide and revoke grants). */
export function requireTenantAdmin(p: Principal): TenantPrincipal {
  if (p.kind !== 'tenant' || p.role !== 'tenant_admin') {
    throw forbidden('only the tenant admin of the account’s tenant may decide or revoke a break-glass grant', '緊急アクセスの承認・却下・取消はテナント管理者だけが行えます');
  }
  return p;
}

/** The caller when they belong to a tenant (only the tenant sees what was done in its accounts). */
export function requireTenantPerson(p: Principal): TenantPrincipal {
  if (p.kind !== 'tenant') throw forbidden('only the tenant sees what was done in its accounts', 'アカウント内の操作履歴はテナントだけが閲覧できます');
  return p;
}
