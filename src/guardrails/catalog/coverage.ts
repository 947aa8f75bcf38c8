import { notFound } from '../../domain/errors.js';
import type { Catalog } from './catalog.js';
import { isImplemented } from './search.js';
import type { Framework, Requirement } from './schema.js';

export type RequirementCoverage = {
  requirement: Requirement;
  /** Whether requirements in force name this one as their parent (withdrawn children do not count). */
  hasChildren: boolean;
  /** Ids of the implemented controls that reach it, directly, through mappings, or through a child. */
  controls: string[];
};

export type Coverage = {
  framework: Framework;
  requirements: RequirementCoverage[];
  total: number;
  covered: number;
  /** covered / total in percent, one decimal. */
  percentage: number;
  /** The same for the requirements without children (the ones a parent's coverage hides). */
  leaves: { total: number; covered: number; percentage: number };
  uncovered: string[];
};

const percent = (part: number, whole: number): number => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10);

/**
 * Which requirements of a framework at least one implemented control reaches (see graph.ts for what
 * "reaches" means: directly, through mappings, or through a child requirement). Withdrawn
 * requirements are not counted.
 */
export function coverage(catalog: Catalog, frameworkId: string): Coverage {
  const framework = catalog.frameworksById.get(frameworkId);
  if (framework === undefined) throw notFound('framework', frameworkId);
  const prefix = `${framework.id}:`;
  const reachedBy = new Map<string, string[]>();
  for (const control of catalog.controls) {
    if (!isImplemented(control)) continue;
    for (const node of catalog.reach.get(control.id) ?? []) {
      if (node.startsWith(prefix)) reachedBy.set(node, [...(reachedBy.get(node) ?? []), control.id]);
    }
  }
  const requirements = framework.requirements
    .filter((r) => r.withdrawn === undefined)
    .map((requirement): RequirementCoverage => {
      const ref = `${prefix}${requirement.id}`;
      const children = (catalog.children.get(ref) ?? []).filter((child) => catalog.requirements.get(child)?.requirement.withdrawn === undefined);
      return { requirement, hasChildren: children.length > 0, controls: [...(reachedBy.get(ref) ?? [])].sort() };
    });
  const covered = requirements.filter((r) => r.controls.length > 0);
  const leaves = requirements.filter((r) => !r.hasChildren);
  const coveredLeaves = leaves.filter((r) => r.controls.length > 0).length;
  return {
    framework,
    requirements,
    total: requirements.length,
    covered: covered.length,
    percentage: percent(covered.length, requirements.length),
    leaves: { total: leaves.length, covered: coveredLeaves, percentage: percent(coveredLeaves, leaves.length) },
    uncovered: requirements.filter((r) => r.controls.length === 0).map((r) => r.requirement.id),
  };
}
