import type { CheckResult, LiveResource } from '../../guardrails/detective/evaluator.js';
import type { StoredCheck } from '../ports/findings-store.js';
import { CloudError } from '../ports/cloud.js';
import type { PostureDeps } from './deps.js';

/** Every live resource of an account, following every page; undefined when the provider has no such account (any more). */
export async function readInventory(cloud: PostureDeps['cloud'], accountId: string): Promise<LiveResource[] | undefined> {
  const resources: LiveResource[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await cloud.listResources(accountId, {}, token);
      for (const r of page.items) resources.push({ region: r.region, type: r.typeName, identifier: r.identifier, arn: r.arn, properties: r.properties });
      token = page.nextToken;
    } while (token !== undefined);
  } catch (error) {
    if (error instanceof CloudError && error.code === 'AccountNotFoundException') return undefined;
    throw error;
  }
  return resources;
}

/**
 * Appends an account's checks with their tenant. A loop, not push(...checks): spreading a large
 * account's checks (above some 120,000) as arguments overflows the stack.
 */
export function addOwned(into: StoredCheck[], checks: readonly CheckResult[], tenantId: string | null): void {
  for (const c of checks) into.push({ ...c, tenantId });
}

/** What one evaluation did; the sum of its writes. */
export type EvaluationCounts = { accounts: number; resources: number; checks: number; opened: number; reopened: number; resolved: number };

export const noCounts = (): EvaluationCounts => ({ accounts: 0, resources: 0, checks: 0, opened: 0, reopened: 0, resolved: 0 });
