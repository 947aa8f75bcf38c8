import type { Environment } from '../../domain/registry/account.js';
import type { RegistryStore } from '../ports/registry-store.js';

export type ReadyAccount = { id: string; name: string; environment: Environment; provider: string; providerAccountId: string; readyAt: Date | null };

/** Every ready account of the tenant that the provider knows (all pages): the accounts its people are assigned to. */
export async function readyAccounts(deps: { registry: Pick<RegistryStore, 'listAccounts'> }, tenantId: string): Promise<ReadyAccount[]> {
  const found: ReadyAccount[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.registry.listAccounts({ organisationId: tenantId, status: 'ready' }, { limit: 500, cursor });
    for (const { account } of page.items) {
      if (account.providerAccountId === null) continue;
      found.push({ id: account.id, name: account.name, environment: account.environment, provider: account.provider, providerAccountId: account.providerAccountId, readyAt: account.readyAt });
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return found;
}
