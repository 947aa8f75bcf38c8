import type { Organisation } from '../../domain/registry/organisation.js';
import { postureScore, type PostureScore } from '../../guardrails/detective/score.js';
import type { KeyedCheckCount } from '../ports/findings-store.js';
import type { AccountWithOwners } from '../ports/registry-store.js';
import type { PostureDeps } from './deps.js';
import { resolvePostureAccount, resolvePostureTenant } from './findings.js';
import type { TenantScope } from '../scope.js';

/**
 * Posture scores from the stored check results (no re-evaluation): per account, per tenant (with
 * its accounts), and for the whole estate (with every tenant, worst first). See
 * src/guardrails/detective/score.ts for how the score is computed. An account or tenant outside the
 * scope is not found; the estate within a tenant's scope is that tenant alone.
 */
export type AccountPosture = { account: AccountWithOwners; score: PostureScore };
export type TenantPosture = { tenant: Organisation; score: PostureScore; accounts: AccountPosture[] };
export type EstatePosture = { score: PostureScore; tenants: { tenantId: string | null; tenant: Organisation | null; score: PostureScore }[] };

function groupByKey(counts: readonly KeyedCheckCount[]): Map<string | null, KeyedCheckCount[]> {
  const groups = new Map<string | null, KeyedCheckCount[]>();
  for (const count of counts) groups.set(count.key, [...(groups.get(count.key) ?? []), count]);
  return groups;
}

export async function accountPosture(deps: PostureDeps, scope: TenantScope, ref: string): Promise<AccountPosture> {
  const account = await resolvePostureAccount(deps, scope, ref);
  const providerAccountId = account.account.providerAccountId;
  const counts = providerAccountId === null ? [] : await deps.store.checkCounts({ provider: account.account.provider, accountId: providerAccountId }, 'account', deps.clock.now());
  return { account, score: postureScore(counts) };
}

export async function tenantPosture(deps: PostureDeps, scope: TenantScope, ref: string): Promise<TenantPosture> {
  const tenant = await resolvePostureTenant(deps, scope, ref);
  const counts = await deps.store.checkCounts({ tenantId: tenant.id }, 'account', deps.clock.now());
  const byAccount = groupByKey(counts);
  const accounts: AccountPosture[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.registry.listAccounts({ organisationId: tenant.id }, { limit: 500, cursor });
    for (const account of page.items) {
      if (account.account.providerAccountId === null) continue;
      accounts.push({ account, score: postureScore(byAccount.get(account.account.providerAccountId) ?? []) });
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  accounts.sort((a, b) => a.account.account.name.localeCompare(b.account.account.name));
  return { tenant, score: postureScore(counts), accounts };
}

export async function estatePosture(deps: PostureDeps, scope: TenantScope): Promise<EstatePosture> {
  const counts = await deps.store.checkCounts(scope, 'tenant', deps.clock.now());
  const tenants: EstatePosture['tenants'] = [];
  for (const [tenantId, group] of groupByKey(counts)) {
    const tenant = tenantId === null ? undefined : await deps.registry.getOrganisation(tenantId);
    tenants.push({ tenantId, tenant: tenant ?? null, score: postureScore(group) });
  }
  // Worst first: the tenants the centre should contact (PRODUCT.md item 7).
  tenants.sort((a, b) => (a.score.score ?? 1) - (b.score.score ?? 1));
  return { score: postureScore(counts), tenants };
}
