import { indexByResourceType, type CompiledControl } from '../catalog/compiled.js';
import type { Severity } from '../catalog/schema.js';
import type { RuleOutcome } from '../rules/rule.js';
import { ACCOUNT_DOCUMENT_TYPE, buildAccountDocument, documentTypes } from './account-document.js';
import { resourceDigest, resourceKey, type ResourceIdentity } from './identity.js';

/**
 * The detective moment (DESIGN.md idea 1): the catalog's rules over an account's live resources.
 * Pure: the inventory comes in, check results go out; reading the provider and keeping findings
 * belong to the posture use cases (src/app/posture).
 */

/** One live resource of an account, as the cloud port lists it. */
export type LiveResource = { region: string; type: string; identifier: string; arn?: string | undefined; properties: Record<string, unknown> };

export type CheckOutcome = RuleOutcome['result'];

/** One control judged on one resource. `id` is the finding id (see identity.ts). */
export type CheckResult = {
  id: string;
  controlId: string;
  severity: Severity;
  accountId: string;
  region: string;
  resourceType: string;
  resourceId: string;
  resourceArn?: string | undefined;
  result: CheckOutcome;
  /** Why an error or an unresolvable outcome happened. */
  message?: string | undefined;
};

export type DetectiveEvaluator = {
  /** The controls that have a rule, by id. */
  readonly controls: ReadonlyMap<string, CompiledControl>;
  /** The types every account document lists (see account-document.ts). */
  readonly documentTypes: readonly string[];
  /**
   * Judges an account: each of its resources against every control indexed under the resource's
   * type, and its account document against the account-level controls. With `only` (resource keys,
   * see resourceKey), just those resources and the account document: what a change requires.
   */
  evaluateAccount(accountId: string, resources: readonly LiveResource[], only?: ReadonlySet<string>): CheckResult[];
};

/** The identity of an account's document: one per account, in no region. */
export const accountDocumentIdentity = (accountId: string): ResourceIdentity => ({ accountId, region: 'global', type: ACCOUNT_DOCUMENT_TYPE, identifier: accountId });

function messageOf(outcome: RuleOutcome): string | undefined {
  if (outcome.result === 'error') return outcome.message;
  if (outcome.result === 'unresolvable') return `depends on values not known: ${outcome.paths.join(', ')}`;
  return undefined;
}

/** Builds the rule index once; evaluation then compiles nothing and converts each resource to CEL once. */
export function createDetectiveEvaluator(controls: readonly CompiledControl[]): DetectiveEvaluator {
  const ruled = controls.filter((c) => c.rule !== undefined);
  const index = indexByResourceType(ruled);
  const types = documentTypes(ruled);
  const accountLevel = index.has(ACCOUNT_DOCUMENT_TYPE);

  // The resource part of the finding ids is hashed once per resource, not once per check.
  function judge(out: CheckResult[], identity: ResourceIdentity, arn: string | undefined, properties: Record<string, unknown>): void {
    const applicable = index.get(identity.type);
    if (applicable === undefined) return;
    const resource = { type: identity.type, properties };
    const digest = resourceDigest(identity);
    for (const control of applicable) {
      if (control.rule === undefined) continue;
      const outcome = control.rule.evaluate(resource);
      out.push({
        id: `${control.id}.${digest}`,
        controlId: control.id,
        severity: control.severity,
        accountId: identity.accountId,
        region: identity.region,
        resourceType: identity.type,
        resourceId: identity.identifier,
        resourceArn: arn,
        result: outcome.result,
        message: messageOf(outcome),
      });
    }
  }

  return {
    controls: new Map(ruled.map((c) => [c.id, c])),
    documentTypes: types,
    evaluateAccount(accountId, resources, only) {
      const out: CheckResult[] = [];
      for (const r of resources) {
        const identity = { accountId, region: r.region, type: r.type, identifier: r.identifier };
        if (only !== undefined && !only.has(resourceKey(identity))) continue;
        judge(out, identity, r.arn, r.properties);
      }
      if (accountLevel) judge(out, accountDocumentIdentity(accountId), undefined, buildAccountDocument(accountId, resources, types));
      return out;
    },
  };
}
