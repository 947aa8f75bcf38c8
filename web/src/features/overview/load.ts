import { apiGet, query } from '../../api/client';
import { AccountPage, AccountRequestPage, TenantPage, type AccountRequest, type AccountView, type Tenant } from '../../api/contracts';
import type { ApiResult } from '../../api/problem';

/** How many accounts the overview counts at most (10 pages of 500); beyond, it says it counted a part. */
export const MAX_ACCOUNT_PAGES = 10;

export type Overview = { tenants: Tenant[]; moreTenants: boolean; accounts: AccountView[]; partial: boolean; inFlight: AccountRequest[] };

export async function loadOverview(): Promise<ApiResult<Overview>> {
  const tenants = await apiGet(`/api/tenants${query({ limit: 500 })}`, TenantPage);
  if (!tenants.ok) return tenants;
  const accounts: AccountView[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await apiGet(`/api/accounts${query({ limit: 500, cursor })}`, AccountPage);
    if (!page.ok) return page;
    accounts.push(...page.data.items);
    cursor = page.data.nextCursor;
    pages += 1;
  } while (cursor !== undefined && pages < MAX_ACCOUNT_PAGES);
  const inFlight: AccountRequest[] = [];
  for (const status of ['running', 'pending']) {
    const page = await apiGet(`/api/account-requests${query({ status, limit: 100 })}`, AccountRequestPage);
    if (!page.ok) return page;
    inFlight.push(...page.data.items);
  }
  return {
    ok: true,
    status: 200,
    data: { tenants: tenants.data.items, moreTenants: tenants.data.nextCursor !== undefined, accounts, partial: cursor !== undefined, inFlight },
  };
}
