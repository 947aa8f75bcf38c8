import type { StoredCheck } from '../ports/findings-store.js';
import type { PostureDeps } from './deps.js';
import { addOwned, noCounts, readInventory, type EvaluationCounts } from './inventory.js';

export type SweepResult = EvaluationCounts & { startedAt: Date; finishedAt: Date };

/** Checks per transaction: large enough to amortise a write, small enough to keep a transaction short. */
const FLUSH_AT = 5_000;

/**
 * The full sweep: re-evaluates every registered account on the provider from its whole inventory,
 * and replaces each account's checks, so checks of resources that are gone (or of controls no longer
 * in the catalog) go and their findings are resolved. Accounts that have checks but are no longer
 * registered, or no longer exist at the provider, lose them all.
 */
export async function sweep(deps: PostureDeps): Promise<SweepResult> {
  const provider = deps.cloud.provider;
  const startedAt = deps.clock.now();
  const evaluator = await deps.evaluator();
  const owners = await deps.store.owners(provider);
  const registered = new Set(owners.map((o) => o.providerAccountId));
  const orphaned = (await deps.store.checkedAccounts(provider)).filter((id) => !registered.has(id));
  const counts = noCounts();
  let checks: StoredCheck[] = [];
  let replaced: string[] = [];
  const flush = async () => {
    const result = await deps.store.write({ provider, at: startedAt, checks, gone: [], replaced });
    counts.checks += result.checks;
    counts.opened += result.opened;
    counts.reopened += result.reopened;
    counts.resolved += result.resolved;
    checks = [];
    replaced = [];
  };
  for (const owner of owners) {
    const inventory = await readInventory(deps.cloud, owner.providerAccountId);
    replaced.push(owner.providerAccountId);
    if (inventory !== undefined) {
      counts.accounts += 1;
      counts.resources += inventory.length;
      addOwned(checks, evaluator.evaluateAccount(owner.providerAccountId, inventory), owner.tenantId);
    }
    if (checks.length >= FLUSH_AT) await flush();
  }
  replaced.push(...orphaned);
  await flush();
  await deps.store.expireSuppressions(startedAt);
  return { ...counts, startedAt, finishedAt: deps.clock.now() };
}
