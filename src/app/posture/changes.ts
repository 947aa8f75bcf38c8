import { resourceKey, type ResourceIdentity } from '../../guardrails/detective/identity.js';
import type { StoredCheck } from '../ports/findings-store.js';
import { cursorName, type PostureDeps } from './deps.js';
import { addOwned, noCounts, readInventory, type EvaluationCounts } from './inventory.js';

export type ChangeBatchResult = EvaluationCounts & {
  /** Changes read from the feed in this batch (0: nothing new). */
  changes: number;
  /** False when another worker had processed the same changes first: this batch wrote nothing. */
  written: boolean;
};

/**
 * The incremental evaluation, one batch: reads the changes after the stored cursor, re-evaluates
 * only the changed resources and the account document of each account they belong to, and writes
 * the results and the new cursor in one transaction. Accounts the registry does not know are
 * skipped (a sweep takes them once it does); deleted resources resolve their findings.
 */
export async function processChanges(deps: PostureDeps, limit = 500): Promise<ChangeBatchResult> {
  const provider = deps.cloud.provider;
  const name = cursorName(provider);
  const from = await deps.store.getCursor(name);
  const read = await deps.cloud.readResourceChanges(from, limit);
  if (read.changes.length === 0) return { ...noCounts(), changes: 0, written: true };
  const at = deps.clock.now();
  const evaluator = await deps.evaluator();
  const changed = new Map<string, Map<string, ResourceIdentity>>();
  for (const c of read.changes) {
    const identity = { accountId: c.accountId, region: c.region, type: c.typeName, identifier: c.identifier };
    const keys = changed.get(c.accountId) ?? new Map<string, ResourceIdentity>();
    keys.set(resourceKey(identity), identity);
    changed.set(c.accountId, keys);
  }
  const owners = new Map((await deps.store.owners(provider, [...changed.keys()])).map((o) => [o.providerAccountId, o]));
  const counts = noCounts();
  const checks: StoredCheck[] = [];
  const gone: ResourceIdentity[] = [];
  const replaced: string[] = [];
  for (const [accountId, keys] of changed) {
    const owner = owners.get(accountId);
    if (owner === undefined) continue;
    counts.accounts += 1;
    const inventory = await readInventory(deps.cloud, accountId);
    if (inventory === undefined) {
      replaced.push(accountId);
      continue;
    }
    const present = new Set(inventory.map((r) => resourceKey({ accountId, region: r.region, type: r.type, identifier: r.identifier })));
    for (const [key, identity] of keys) if (!present.has(key)) gone.push(identity);
    counts.resources += [...keys.keys()].filter((key) => present.has(key)).length;
    addOwned(checks, evaluator.evaluateAccount(accountId, inventory, new Set(keys.keys())), owner.tenantId);
  }
  const result = await deps.store.write({ provider, at, checks, gone, replaced, cursor: { name, from, to: read.cursor } });
  return { ...counts, changes: read.changes.length, written: result.written, checks: result.checks, opened: result.opened, reopened: result.reopened, resolved: result.resolved };
}
