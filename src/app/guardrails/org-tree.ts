import { notFound } from '../../domain/errors.js';
import type { OrganizationPolicyKind } from '../../guardrails/iam/policy-schema.js';
import type { CloudAccount, OrganizationPolicy, Page } from '../ports/cloud.js';
import type { RolloutCloud } from './deps.js';

/**
 * The organisation as the rollout sees it: OUs by path (`/Workloads/Prod`, the names the registry's
 * placement rules use) and by provider id, and the accounts of an OU's subtree with the chain of
 * targets above each (the root, each OU down, the account itself).
 */

export type OuNode = { id: string; path: string; parentId: string; depth: number };
export type OrgTree = { rootId: string; ous: OuNode[] };

export async function allPages<T>(list: (token?: string) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await list(token);
    items.push(...page.items);
    token = page.nextToken;
  } while (token !== undefined);
  return items;
}

/** Every OU, parents before children, by path. */
export async function readOrgTree(cloud: RolloutCloud): Promise<OrgTree> {
  const root = await cloud.describeOrganizationRoot();
  const ous: OuNode[] = [];
  let level: { id: string; path: string }[] = [{ id: root.id, path: '' }];
  for (let depth = 1; level.length > 0; depth++) {
    const next: OuNode[] = [];
    for (const parent of level) {
      for (const ou of await allPages((t) => cloud.listOrganizationalUnitsForParent(parent.id, t))) {
        next.push({ id: ou.id, path: `${parent.path}/${ou.name}`, parentId: parent.id, depth });
      }
    }
    ous.push(...next);
    level = next;
  }
  ous.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { rootId: root.id, ous };
}

/** A target named by its provider id (`ou-…`) or its path (`/Workloads/Prod`). */
export function resolveTarget(tree: OrgTree, ref: string): OuNode {
  const found = ref.startsWith('/') ? tree.ous.find((o) => o.path === ref.replace(/\/+$/, '')) : tree.ous.find((o) => o.id === ref);
  if (found === undefined) throw notFound('OU', ref);
  return found;
}

/** The ids from the root down to an OU, inclusive. */
export function pathIds(tree: OrgTree, ou: OuNode): string[] {
  const byId = new Map(tree.ous.map((o) => [o.id, o]));
  const ids: string[] = [];
  for (let node: OuNode | undefined = ou; node !== undefined; node = byId.get(node.parentId)) ids.unshift(node.id);
  return [tree.rootId, ...ids];
}

export type ScopedAccount = { account: CloudAccount; chain: string[] };

/** The accounts of an OU's whole subtree, each with its chain of target ids (root … OU … account). */
export async function accountsUnder(cloud: RolloutCloud, tree: OrgTree, target: OuNode): Promise<ScopedAccount[]> {
  const inside = tree.ous.filter((o) => o.id === target.id || o.path.startsWith(`${target.path}/`));
  const found: ScopedAccount[] = [];
  for (const ou of inside) {
    const chain = pathIds(tree, ou);
    for (const account of await allPages((t) => cloud.listAccountsForParent(ou.id, t))) found.push({ account, chain: [...chain, account.id] });
  }
  return found;
}

/** The policies of a kind attached to a root, OU or account. The provider port lists SCPs only; RCPs are not read yet. */
export async function attachedPolicies(cloud: RolloutCloud, targetId: string, kind: OrganizationPolicyKind): Promise<OrganizationPolicy[]> {
  if (kind !== 'SCP') return [];
  return allPages((t) => cloud.listPoliciesForTarget(targetId, 'SERVICE_CONTROL_POLICY', t));
}
