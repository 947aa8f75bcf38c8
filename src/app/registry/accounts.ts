import { inScope, scopedTenant, type TenantScope } from '../scope.js';
import { notFound } from '../../domain/errors.js';
import type { Page } from '../paging.js';
import type { AccountFilter, AccountWithOwners, PageRequest } from '../ports/registry-store.js';
import { resolveScopedTenant, type RegistryDeps } from './deps.js';

export type ListAccountsQuery = PageRequest &
  Omit<AccountFilter, 'organisationId'> & {
    /** A tenant id or official code. */
    tenant?: string | undefined;
  };

/** Accounts within the scope: a tenant's scope lists only its own, and naming another tenant finds none. */
export async function listAccounts(deps: Pick<RegistryDeps, 'store'>, scope: TenantScope, query: ListAccountsQuery): Promise<Page<AccountWithOwners>> {
  const { limit, cursor, tenant, ...filter } = query;
  const organisationId = tenant === undefined ? scopedTenant(scope) : (await resolveScopedTenant(deps, scope, tenant)).id;
  return deps.store.listAccounts({ ...filter, organisationId }, { limit, cursor });
}

export async function getAccount(deps: Pick<RegistryDeps, 'store'>, scope: TenantScope, id: string): Promise<AccountWithOwners> {
  const found = await deps.store.getAccount(id);
  if (found === undefined || !inScope(scope, found.tenant.id)) throw notFound('account', id);
  return found;
}
