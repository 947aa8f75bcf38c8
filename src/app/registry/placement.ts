import { PlacementRuleSet, planPlacementChange, type PlacementMove, type PlacementRule, type PlacementRuleInput } from '../../domain/registry/placement.js';
import { CloudError } from '../ports/cloud.js';
import type { Clock } from '../ports/clock.js';
import type { PlacementCloud, RegistryDeps } from './deps.js';
import { ensureOuPath, type OuPathCache } from './ou-path.js';
import { parseOrThrow } from './validate.js';

export function listPlacementRules(deps: Pick<RegistryDeps, 'store'>): Promise<PlacementRule[]> {
  return deps.store.listPlacementRules();
}

export type ReplacePlacementRulesCommand = { rules: PlacementRuleInput[]; dryRun: boolean };

/** planned: dry run; moved: done (or already there); failed: see error, the rest went on. */
export type MoveOutcome = PlacementMove & { outcome: 'planned' | 'moved' | 'failed'; error: string | null };
export type PlacementChangeResult = {
  dryRun: boolean;
  /** The rule set as it is (or would be) stored, by priority, every rule with its id. */
  rules: PlacementRule[];
  moves: MoveOutcome[];
};

/**
 * Replaces the placement rules and moves every account whose place changes. The dry run validates
 * the rules and lists the moves (from -> to) without touching anything. Applying stores the rules,
 * then moves accounts one at a time (the provider runs one OU operation at a time) and records each
 * new place; a move that fails is reported and the others go on. Running the same change again
 * retries exactly the moves that did not happen, because moves compare with where accounts are
 * recorded to be.
 */
export async function replacePlacementRules(deps: RegistryDeps, command: ReplacePlacementRulesCommand): Promise<PlacementChangeResult> {
  const parsed = parseOrThrow(PlacementRuleSet, command.rules, 'the placement rules', ['rules']);
  const rules: PlacementRule[] = parsed.map((rule) => ({ ...rule, id: rule.id ?? deps.ids('plr') }));
  const current = await deps.store.listPlacementRules();
  const moves = planPlacementChange(current, rules, await deps.store.listPlacementSubjects());
  if (command.dryRun) return { dryRun: true, rules, moves: moves.map((move) => ({ ...move, outcome: 'planned', error: null })) };

  await deps.store.replacePlacementRules(rules);
  const caches = new Map<string, OuPathCache>();
  const outcomes: MoveOutcome[] = [];
  for (const move of moves) {
    let cache = caches.get(move.provider);
    if (cache === undefined) {
      cache = new Map();
      caches.set(move.provider, cache);
    }
    outcomes.push(await applyMove(deps, move, cache));
  }
  return { dryRun: false, rules, moves: outcomes };
}

async function applyMove(deps: RegistryDeps, move: PlacementMove, cache: OuPathCache): Promise<MoveOutcome> {
  const accountId = move.providerAccountId;
  if (accountId === null) return { ...move, outcome: 'failed', error: 'the account has no provider account id yet' };
  try {
    const cloud: PlacementCloud = deps.cloudFor(move.provider);
    const destination = await withRetry(deps.clock, () => ensureOuPath(cloud, move.to, cache));
    const parent = await withRetry(deps.clock, () => cloud.listParents(accountId));
    if (parent.id !== destination) {
      await withRetry(deps.clock, () => cloud.moveAccount({ accountId, sourceParentId: parent.id, destinationParentId: destination }));
    }
    await deps.store.updateAccount(move.accountId, { ouPath: move.to, updatedAt: deps.clock.now() });
    return { ...move, outcome: 'moved', error: null };
  } catch (error) {
    return { ...move, outcome: 'failed', error: describe(error) };
  }
}

const describe = (error: unknown): string =>
  error instanceof CloudError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);

/** Retries what the provider says may succeed later (throttling, concurrent modification), with backoff. */
async function withRetry<T>(clock: Clock, call: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof CloudError) || !error.retryable || attempt >= attempts) throw error;
      await clock.sleep(200 * 2 ** (attempt - 1));
    }
  }
}

