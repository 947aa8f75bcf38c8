import { validationFailed, type Issue } from '../../domain/errors.js';
import type { Control } from '../catalog/schema.js';
import { sha256Hex } from '../detective/sha256.js';
import { generatePolicies, type GeneratedPolicy } from '../iam/generate.js';
import { POLICIES_PER_TARGET } from '../iam/lint.js';
import type { OrganizationPolicyKind } from '../iam/policy-schema.js';
import type { IamVocabulary } from '../iam/vocabulary.js';

/**
 * What a target's selection proposes: the controls checked against the catalog, the policies they
 * generate, and the hash of those documents. The hash names the content a report was computed for
 * and the content enforced, so a report can allow enforcing only what it measured.
 */

export type ProposalTarget = { id: string; path: string };

export type Proposal = {
  controls: string[];
  policies: GeneratedPolicy[];
  /** sha256 of the generated names and contents; null when nothing is selected. */
  policyHash: string | null;
  freeSlots: number;
};

/** Every problem of a selection at once, at ['controls', index], in Japanese and English; nothing is refused silently. */
export function checkSelection(catalog: readonly Control[], controls: readonly string[], kind: OrganizationPolicyKind): Control[] {
  const byId = new Map(catalog.map((c) => [c.id, c]));
  const issues: Issue[] = [];
  const selected: Control[] = [];
  const seen = new Set<string>();
  controls.forEach((id, index) => {
    const at = ['controls', index];
    const problem = (ja: string, en: string) => issues.push({ path: at, message: `${ja} / ${en}` });
    if (seen.has(id)) return problem(`${id} が 2 回選ばれています`, `${id} is selected twice`);
    seen.add(id);
    const control = byId.get(id);
    if (control === undefined) return problem(`カタログに ${id} というコントロールはありません`, `no control ${id} in the catalog`);
    const preventive = control.implementations.preventive;
    if (preventive === undefined) return problem(`${id} には予防的な実装がありません`, `${id} has no preventive implementation`);
    if (preventive.kind !== kind) return problem(`${id} は ${kind} ではなく ${preventive.kind} の予防的コントロールです`, `${id} is a preventive ${preventive.kind} control, not ${kind}`);
    selected.push(control);
  });
  if (issues.length > 0) throw validationFailed('選ばれたコントロールに問題があります / the selected controls are not valid', issues);
  return selected;
}

export const policyHashOf = (policies: readonly Pick<GeneratedPolicy, 'name' | 'content'>[]): string | null =>
  policies.length === 0 ? null : sha256Hex(JSON.stringify(policies.map((p) => [p.name, p.content])));

/**
 * Generates and lints the policies of a selection (generation refuses lint errors and selections
 * that do not fit the target's free slots). `attachedCount`: policies of this kind attached to the
 * target that Hatoba does not manage there.
 */
export function propose(input: {
  catalog: readonly Control[];
  target: ProposalTarget;
  kind: OrganizationPolicyKind;
  controls: readonly string[];
  attachedCount: number;
  vocabulary: IamVocabulary;
}): Proposal {
  const selected = checkSelection(input.catalog, input.controls, input.kind);
  const controls = selected.map((c) => c.id).sort();
  if (selected.length === 0) return { controls, policies: [], policyHash: null, freeSlots: Math.max(0, POLICIES_PER_TARGET - input.attachedCount) };
  const { policies, freeSlots } = generatePolicies({
    target: { id: input.target.id, name: input.target.path },
    kind: input.kind,
    controls: selected,
    attachedCount: input.attachedCount,
    vocabulary: input.vocabulary,
  });
  return { controls, policies, policyHash: policyHashOf(policies), freeSlots };
}

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');

/** Names of the policies Hatoba manages on a target: `hatoba-<target id>-scp-<n>`, as generation names them. */
export function isManagedPolicy(name: string, targetId: string, kind: OrganizationPolicyKind): boolean {
  const prefix = `hatoba-${slug(targetId)}-${kind.toLowerCase()}-`;
  return name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length));
}
