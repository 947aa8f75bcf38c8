import { notFound } from '../../domain/errors.js';
import type { Page } from '../paging.js';
import type { AccountFilter, AccountWithOwners, PageRequest } from '../ports/registry-store.js';
import { resolveTenant, type RegistryDeps } from './deps.js';

export type ListAccountsQuery = PageRequest &
  Omit<AccountFilter, 'organisationId'> & {
    /** A tenant id or official code. */
    tenant?: string | undefined;
  };

/** Accounts newest first, with their tenant and system. */
export async function listAccounts(deps: Pick<RegistryDeps, 'store'>, query: ListAccountsQuery): Promise<Page<AccountWithOwners>> {
  const { limit, cursor, tenant, ...filter } = query;
  const organisationId = tenant === undefined ? undefined : (await resolveTenant(deps.store, tenant)).id;
  return deps.store.listAccounts({ ...filter, organisationId }, { limit, cursor });
}

export async function getAccount(deps: Pick<RegistryDeps, 'store'>, id: string): Promise<AccountWithOwners> {
  const found = await deps.store.getAccount(id);
  if (found === undefined) throw notFound('account', id);
  return found;
}
