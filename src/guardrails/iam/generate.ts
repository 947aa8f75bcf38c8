import { validationFailed, type Issue } from '../../domain/errors.js';
import type { Control } from '../catalog/schema.js';
import { lintPolicy, policySize, POLICIES_PER_TARGET, POLICY_SIZE_LIMIT, type LintIssue } from './lint.js';
import type { OrganizationPolicyKind, PolicyDocument, PolicyStatement } from './policy-schema.js';
import type { IamVocabulary } from './vocabulary.js';

/**
 * Generates the SCPs (or RCPs) of one target (the root, an OU or an account) from the selected
 * controls: each control's statements stay together and carry its id in their Sid; controls are
 * packed into as few minified documents of at most 5,120 characters as first-fit decreasing finds,
 * and refused when they need more policies than the target has free slots. Same input, same bytes.
 */

export type PolicyTarget = { id: string; name: string };

export type GenerateInput = {
  target: PolicyTarget;
  kind: OrganizationPolicyKind;
  controls: readonly Control[];
  /** Policies of this kind already attached to the target that Hatoba does not manage; 1 (FullAWSAccess or RCPFullAWSAccess) by default. */
  attachedCount?: number;
  vocabulary: IamVocabulary;
};

export type GeneratedPolicy = {
  /** `hatoba-<target id>-scp-1` … */
  name: string;
  description: string;
  kind: OrganizationPolicyKind;
  document: PolicyDocument;
  /** The minified JSON to upload; `size` is measured on it. */
  content: string;
  size: number;
  controlIds: string[];
  /** Statement index -> the control it comes from. */
  statementControls: string[];
  /** Warnings only: a generated policy with lint errors is refused. */
  lint: LintIssue[];
};

export type GenerationResult = { policies: GeneratedPolicy[]; freeSlots: number };

const VERSION = '2012-10-17';

/** Sids take letters and digits only: HTB-S3-001 becomes HTBS3001 (the mapping is one to one, as ids end in three digits). */
export const sidPrefix = (controlId: string): string => controlId.replace(/[^A-Za-z0-9]/g, '');

/** Elements in the order AWS documents them, so YAML key order never changes the bytes. */
const canonicalStatement = (controlId: string, s: PolicyStatement, index: number): PolicyStatement => {
  const out: PolicyStatement = { Sid: `${sidPrefix(controlId)}${s.Sid ?? `S${index + 1}`}`, Effect: s.Effect };
  if (s.Principal !== undefined) out.Principal = s.Principal;
  if (s.NotPrincipal !== undefined) out.NotPrincipal = s.NotPrincipal;
  if (s.Action !== undefined) out.Action = s.Action;
  if (s.NotAction !== undefined) out.NotAction = s.NotAction;
  if (s.Resource !== undefined) out.Resource = s.Resource;
  if (s.NotResource !== undefined) out.NotResource = s.NotResource;
  if (s.Condition !== undefined) out.Condition = s.Condition;
  return out;
};

type Item = { controlId: string; statements: PolicyStatement[]; json: string; size: number };

/** Bytes of `{"Version":…,"Statement":[]}`; each item adds its own size and, after the first, a comma. */
const EMPTY_SIZE = policySize({ Version: VERSION, Statement: [] });

export function generatePolicies(input: GenerateInput): GenerationResult {
  const { target, kind, vocabulary } = input;
  const attached = input.attachedCount ?? 1;
  const freeSlots = Math.max(0, POLICIES_PER_TARGET - attached);
  const issues: Issue[] = [];

  const selected = input.controls.filter((c) => c.implementations.preventive?.kind === kind);
  const seen = new Set<string>();
  for (const c of selected) {
    if (seen.has(c.id)) issues.push({ path: ['controls', c.id], message: `the control ${c.id} is selected twice` });
    seen.add(c.id);
  }
  const items: Item[] = [...new Map(selected.map((c) => [c.id, c])).values()].map((c) => {
    const statements = (c.implementations.preventive?.statements ?? []).map((s, i) => canonicalStatement(c.id, s, i));
    const json = statements.map((s) => JSON.stringify(s)).join(',');
    return { controlId: c.id, statements, json, size: new TextEncoder().encode(json).length };
  });
  for (const item of items) {
    if (EMPTY_SIZE + item.size > POLICY_SIZE_LIMIT) {
      issues.push({ path: ['controls', item.controlId], message: `the ${kind} statements of ${item.controlId} alone are ${EMPTY_SIZE + item.size} characters as a policy, over the limit of ${POLICY_SIZE_LIMIT}` });
    }
  }
  if (issues.length > 0) throw validationFailed(`the ${kind}s for ${target.name} cannot be generated`, issues);

  const bins = packFirstFitDecreasing(items);
  if (bins.length > freeSlots) {
    const left = bins.slice(freeSlots).flat().map((i) => i.controlId).sort();
    throw validationFailed(
      `the selected controls need ${bins.length} ${kind}s, but ${target.name} has ${freeSlots} free of ${POLICIES_PER_TARGET} (${attached} attached already); these controls did not fit: ${left.join(', ')}`,
      left.map((id) => ({ path: ['controls', id], message: `${id} does not fit in the ${freeSlots} free ${kind} slots of ${target.name}` })),
    );
  }

  const policies = bins.map((bin, n) => toPolicy(target, kind, bin, n + 1, bins.length));
  for (const policy of policies) {
    const result = lintPolicy(policy.document, { kind, vocabulary });
    for (const found of result.issues) {
      if (found.severity === 'error') issues.push({ path: backToControl(policy, found.path), message: `${policy.name}: ${found.message.en}` });
      else policy.lint.push(found);
    }
  }
  if (issues.length > 0) throw validationFailed(`the generated ${kind}s for ${target.name} do not pass lint`, issues);
  return { policies, freeSlots };
}

/** First-fit decreasing by size; ties by control id, so the packing depends on nothing but the input. */
function packFirstFitDecreasing(items: Item[]): Item[][] {
  const ordered = [...items].sort((a, b) => b.size - a.size || (a.controlId < b.controlId ? -1 : a.controlId > b.controlId ? 1 : 0));
  const bins: { items: Item[]; size: number }[] = [];
  for (const item of ordered) {
    const bin = bins.find((b) => b.size + 1 + item.size <= POLICY_SIZE_LIMIT);
    if (bin !== undefined) {
      bin.items.push(item);
      bin.size += 1 + item.size;
    } else {
      bins.push({ items: [item], size: EMPTY_SIZE + item.size });
    }
  }
  return bins.map((b) => [...b.items].sort((x, y) => (x.controlId < y.controlId ? -1 : 1)));
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');

function toPolicy(target: PolicyTarget, kind: OrganizationPolicyKind, bin: Item[], n: number, of: number): GeneratedPolicy {
  const document: PolicyDocument = { Version: VERSION, Statement: bin.flatMap((i) => i.statements) };
  const content = `{"Version":"${VERSION}","Statement":[${bin.map((i) => i.json).join(',')}]}`;
  const controlIds = bin.map((i) => i.controlId);
  return {
    name: `hatoba-${slug(target.id)}-${kind.toLowerCase()}-${n}`,
    description: `Hatoba ${kind} ${n}/${of} for ${target.name}: ${controlIds.join(' ')}`.slice(0, 512),
    kind,
    document,
    content,
    size: new TextEncoder().encode(content).length,
    controlIds,
    statementControls: bin.flatMap((i) => i.statements.map(() => i.controlId)),
    lint: [],
  };
}

/** A lint path into a generated policy, as a path into the catalog control the statement came from. */
function backToControl(policy: GeneratedPolicy, path: (string | number)[]): (string | number)[] {
  const [head, index, ...rest] = path;
  if (head !== 'Statement' || typeof index !== 'number') return [policy.name, ...path];
  const controlId = policy.statementControls[index] ?? policy.name;
  const first = policy.statementControls.indexOf(controlId);
  return ['controls', controlId, 'implementations', 'preventive', 'statements', index - first, ...rest];
}
