import { z } from 'zod';
import { invalidState } from '../errors.js';
import { AccountStatus, Environment, type Account } from './account.js';
import { OfficialCode, OrganisationKind, type Organisation } from './organisation.js';
import { OuPath } from './ou-path.js';
import { AttributeKey, CloudProvider, type System } from './system.js';

/**
 * Placement rules map what an account is (its tenant, its system, its environment, its status) to an
 * OU path. OUs follow policy groupings (prod / non-prod / sandbox / security / suspended), not the
 * real-world hierarchy: guardrails attach to OUs, so an OU must hold accounts that need the same policy.
 *
 * A match lists, per field, the values it accepts; a field left out accepts anything, and every listed
 * field must accept (AND across fields, OR within one). Rules are tried in ascending priority; the first
 * that matches places the account. An empty match is a catch-all, and the rules must have one.
 */
const Prefecture = z.string().regex(/^(0[1-9]|[1-3]\d|4[0-7])$/, 'must be a two-digit prefecture number (01–47)');

export const PlacementMatch = z
  .object({
    environment: z.array(Environment).min(1).optional(),
    tenantKind: z.array(OrganisationKind).min(1).optional(),
    tenantCode: z.array(OfficialCode).min(1).optional(),
    prefecture: z.array(Prefecture).min(1).optional(),
    provider: z.array(CloudProvider).min(1).optional(),
    accountStatus: z.array(AccountStatus).min(1).optional(),
    /** Every named attribute must have one of the listed values. */
    systemAttributes: z.record(AttributeKey, z.array(z.string()).min(1)).optional(),
  })
  .strict();
export type PlacementMatch = z.infer<typeof PlacementMatch>;

export const PlacementRule = z.object({
  id: z.string().min(1).max(64),
  /** Lower runs first. */
  priority: z.number().int().min(0).max(1_000_000),
  description: z.string().trim().min(1, 'must not be empty').max(200),
  match: PlacementMatch,
  ouPath: OuPath,
});
export type PlacementRule = z.infer<typeof PlacementRule>;

/** A rule as submitted: a new rule has no id yet. */
export const PlacementRuleInput = PlacementRule.extend({
  id: PlacementRule.shape.id.optional(),
  match: PlacementMatch.default({}),
});
export type PlacementRuleInput = z.input<typeof PlacementRuleInput>;

export const isCatchAll = (match: PlacementMatch): boolean =>
  match.environment === undefined &&
  match.tenantKind === undefined &&
  match.tenantCode === undefined &&
  match.prefecture === undefined &&
  match.provider === undefined &&
  match.accountStatus === undefined &&
  Object.keys(match.systemAttributes ?? {}).length === 0;

type RuleLike = { id?: string | undefined; priority: number; match: PlacementMatch };
type Problem = { path: (string | number)[]; message: string };

/**
 * Problems of a rule set as a whole, with the index of the rule they concern: duplicate priorities or
 * ids, no catch-all (some account would have nowhere to go), rules that can never match because a
 * catch-all comes first.
 */
export function ruleSetProblems(rules: readonly RuleLike[]): Problem[] {
  const problems: Problem[] = [];
  const byPriority = new Map<number, number>();
  const byId = new Map<string, number>();
  rules.forEach((rule, index) => {
    const samePriority = byPriority.get(rule.priority);
    if (samePriority === undefined) byPriority.set(rule.priority, index);
    else problems.push({ path: [index, 'priority'], message: `priority ${rule.priority} is also used by rule ${samePriority}; the order must be unambiguous` });
    if (rule.id !== undefined) {
      const sameId = byId.get(rule.id);
      if (sameId === undefined) byId.set(rule.id, index);
      else problems.push({ path: [index, 'id'], message: `id ${rule.id} is also used by rule ${sameId}` });
    }
  });
  const ordered = rules.map((rule, index) => ({ rule, index })).sort((a, b) => a.rule.priority - b.rule.priority);
  const firstCatchAll = ordered.find(({ rule }) => isCatchAll(rule.match));
  if (firstCatchAll === undefined) {
    problems.push({ path: [], message: 'there must be a catch-all rule (an empty match) so that every account has a place' });
    return problems;
  }
  for (const { rule, index } of ordered) {
    if (rule.priority > firstCatchAll.rule.priority) {
      problems.push({ path: [index], message: `never matches: the catch-all rule ${firstCatchAll.index} (priority ${firstCatchAll.rule.priority}) comes first` });
    }
  }
  return problems;
}

/** A validated rule set, sorted by priority. */
export const PlacementRuleSet = z
  .array(PlacementRuleInput)
  .min(1, 'at least one rule (the catch-all)')
  .max(500)
  .superRefine((rules, ctx) => {
    for (const problem of ruleSetProblems(rules)) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
  })
  .transform((rules) => [...rules].sort((a, b) => a.priority - b.priority));

export type PlacementTenant = Pick<Organisation, 'code' | 'kind' | 'prefecture'>;
export type PlacementSystem = Pick<System, 'provider' | 'attributes'>;

function accepts<T>(values: readonly T[] | undefined, value: T): boolean {
  return values === undefined || values.includes(value);
}

export function ruleMatches(
  match: PlacementMatch,
  tenant: PlacementTenant,
  system: PlacementSystem,
  environment: Environment,
  status: AccountStatus,
): boolean {
  if (!accepts(match.environment, environment)) return false;
  if (!accepts(match.tenantKind, tenant.kind)) return false;
  if (!accepts(match.tenantCode, tenant.code)) return false;
  if (match.prefecture !== undefined && (tenant.prefecture === null || !match.prefecture.includes(tenant.prefecture))) return false;
  if (!accepts(match.provider, system.provider)) return false;
  if (!accepts(match.accountStatus, status)) return false;
  for (const [key, values] of Object.entries(match.systemAttributes ?? {})) {
    const value = system.attributes[key];
    if (value === undefined || !values.includes(value)) return false;
  }
  return true;
}

function sortedByPriority<R extends { priority: number }>(rules: readonly R[]): R[] {
  return [...rules].sort((a, b) => a.priority - b.priority);
}

/** The first rule (by priority) that matches, or undefined. */
export function findPlacement<R extends PlacementRule>(
  rules: readonly R[],
  tenant: PlacementTenant,
  system: PlacementSystem,
  environment: Environment,
  status: AccountStatus = 'provisioning',
): R | undefined {
  return sortedByPriority(rules).find((rule) => ruleMatches(rule.match, tenant, system, environment, status));
}

/**
 * Where an account belongs and the rule that says so. A validated rule set always has a catch-all,
 * so failing here means the stored rules were never validated: an invariant, not a user error.
 */
export function placeAccount(
  rules: readonly PlacementRule[],
  tenant: PlacementTenant,
  system: PlacementSystem,
  environment: Environment,
  status: AccountStatus = 'provisioning',
): { ouPath: string; rule: PlacementRule } {
  const rule = findPlacement(rules, tenant, system, environment, status);
  if (rule === undefined) throw invalidState(`no placement rule matches tenant ${tenant.code} (${environment}); the rules have no catch-all`);
  return { ouPath: rule.ouPath, rule };
}

/** Accounts that sit in the provider's organisation and follow the rules; others are placed by the workflow. */
export const MOVABLE_STATUSES: readonly AccountStatus[] = ['ready', 'suspended'];

export type PlacementSubject = {
  account: Pick<Account, 'id' | 'name' | 'provider' | 'providerAccountId' | 'environment' | 'status' | 'ouPath'>;
  tenant: PlacementTenant;
  system: PlacementSystem;
};

export type PlacementMove = {
  accountId: string;
  accountName: string;
  provider: CloudProvider;
  providerAccountId: string | null;
  tenantCode: string;
  environment: Environment;
  status: AccountStatus;
  /** Where the account is recorded to be (null: never placed). */
  from: string | null;
  to: string;
  /** The rule that placed it under the current rules, if any matches. */
  fromRuleId: string | null;
  toRuleId: string;
};

/**
 * Which accounts the new rules would move, from where they are recorded to be to where the new rules
 * put them. Comparing with the recorded OU (not with what the current rules say) also repairs drift.
 */
export function planPlacementChange(
  currentRules: readonly PlacementRule[],
  newRules: readonly PlacementRule[],
  subjects: readonly PlacementSubject[],
): PlacementMove[] {
  const moves: PlacementMove[] = [];
  for (const { account, tenant, system } of subjects) {
    if (!MOVABLE_STATUSES.includes(account.status)) continue;
    const target = placeAccount(newRules, tenant, system, account.environment, account.status);
    if (target.ouPath === account.ouPath) continue;
    const before = findPlacement(currentRules, tenant, system, account.environment, account.status);
    moves.push({
      accountId: account.id,
      accountName: account.name,
      provider: account.provider,
      providerAccountId: account.providerAccountId,
      tenantCode: tenant.code,
      environment: account.environment,
      status: account.status,
      from: account.ouPath,
      to: target.ouPath,
      fromRuleId: before?.id ?? null,
      toRuleId: target.rule.id,
    });
  }
  return moves;
}
