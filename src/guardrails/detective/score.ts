import { Severity } from '../catalog/schema.js';
import type { CheckOutcome } from './evaluator.js';

/**
 * The posture score: the share of passed checks (one control on one resource), each weighted by its
 * control's severity. Like Security Hub's security score it is a share of what passed, and like
 * Security Hub's control status it ignores suppressed failures; unlike it, a check is weighed by
 * severity, so one open critical finding costs what eight low ones do.
 *
 * - Weights double per level: critical 8, high 4, medium 2, low 1. Informational checks are counted
 *   and shown but weigh 0: they inform, they do not score.
 * - A failed check whose finding is suppressed (until its expiry) counts as passed: the risk was
 *   accepted, with a reason and an expiry, as Security Hub counts a control whose failures are all
 *   SUPPRESSED as passed. The suppressed count is shown beside the score, so nothing is hidden.
 * - An error (the rule could not judge the resource) and an unresolvable outcome are not passes: they
 *   count in the total and not in the passed share. A check that could not be made is not evidence
 *   of compliance. They do not open findings (the tenant has nothing to fix); they are counted apart.
 * - No weighted check at all gives no score (null), not 100%.
 *
 * The seeds' target is 90% (PRODUCT.md item 9).
 */
export const SEVERITY_WEIGHTS: Record<Severity, number> = { critical: 8, high: 4, medium: 2, low: 1, informational: 0 };
export const SEVERITIES: readonly Severity[] = Severity.options;
export const POSTURE_TARGET = 0.9;

/** How many checks of one severity ended one way; `suppressed` only for failures whose finding is suppressed. */
export type CheckCount = { severity: Severity; result: CheckOutcome; suppressed: boolean; count: number };

export type SeverityTally = { passed: number; failed: number; suppressed: number; errored: number };

export type PostureScore = {
  /** 0..1, or null when there is nothing weighted to score. */
  score: number | null;
  target: number;
  meetsTarget: boolean | null;
  /** Sums of weights: the score is passed / total. */
  weighted: { passed: number; total: number };
  /** Checks by outcome; `failed` are the active findings, `errored` errors and unresolvable outcomes. */
  checks: SeverityTally & { total: number };
  bySeverity: Record<Severity, SeverityTally>;
};

const emptyTally = (): SeverityTally => ({ passed: 0, failed: 0, suppressed: 0, errored: 0 });

export function postureScore(counts: readonly CheckCount[], target = POSTURE_TARGET): PostureScore {
  const bySeverity: Record<Severity, SeverityTally> = { critical: emptyTally(), high: emptyTally(), medium: emptyTally(), low: emptyTally(), informational: emptyTally() };
  let passedWeight = 0;
  let totalWeight = 0;
  for (const { severity, result, suppressed, count } of counts) {
    const tally = bySeverity[severity];
    const weight = SEVERITY_WEIGHTS[severity] * count;
    totalWeight += weight;
    if (result === 'pass') tally.passed += count;
    else if (result === 'fail' && suppressed) tally.suppressed += count;
    else if (result === 'fail') tally.failed += count;
    else tally.errored += count;
    if (result === 'pass' || (result === 'fail' && suppressed)) passedWeight += weight;
  }
  const checks = { ...emptyTally(), total: 0 };
  for (const tally of Object.values(bySeverity)) {
    checks.passed += tally.passed;
    checks.failed += tally.failed;
    checks.suppressed += tally.suppressed;
    checks.errored += tally.errored;
  }
  checks.total = checks.passed + checks.failed + checks.suppressed + checks.errored;
  const score = totalWeight === 0 ? null : passedWeight / totalWeight;
  return { score, target, meetsTarget: score === null ? null : score >= target, weighted: { passed: passedWeight, total: totalWeight }, checks, bySeverity };
}
