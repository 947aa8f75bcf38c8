import type { CompiledControl } from '../catalog/compiled.js';

/**
 * The account document: one synthetic resource per account, of type `Hatoba::Account`, for the
 * rules no single resource can answer ("is GuardDuty on in this account?"). Its properties:
 *
 *   {
 *     "AccountId": "123456789012",
 *     "Resources": {
 *       "AWS::GuardDuty::Detector": [ { "Enable": true, … } ],
 *       "AWS::CloudTrail::Trail": [],
 *       …
 *     }
 *   }
 *
 * `Resources` maps a type name to the properties of the account's live resources of that type, in
 * every region, as Cloud Control returns them (read-only properties such as VpcId and Arn included).
 * Every type that any control names — in its resource types, or quoted in the expression of an
 * account-level rule — is present, with an empty list when the account has none, so a rule can
 * write `resource.Resources['AWS::GuardDuty::Detector'].exists(d, d.Enable == true)` without first
 * asking whether the key exists. Types the account has but no control names are present too.
 */
export const ACCOUNT_DOCUMENT_TYPE = 'Hatoba::Account';

export type AccountDocument = { AccountId: string; Resources: Record<string, Record<string, unknown>[]> };

const QUOTED_TYPE = /['"]((?:AWS|Hatoba)::[A-Za-z0-9]+::[A-Za-z0-9]+)['"]/g;

/** The type names every account document lists, sorted. */
export function documentTypes(controls: readonly CompiledControl[]): string[] {
  const types = new Set<string>();
  for (const control of controls) {
    for (const type of control.resourceTypes) if (type !== ACCOUNT_DOCUMENT_TYPE) types.add(type);
    const expression = control.rule?.expression;
    if (expression !== undefined && control.resourceTypes.includes(ACCOUNT_DOCUMENT_TYPE)) {
      for (const match of expression.matchAll(QUOTED_TYPE)) if (match[1] !== undefined) types.add(match[1]);
    }
  }
  return [...types].sort();
}

export function buildAccountDocument(accountId: string, resources: readonly { type: string; properties: Record<string, unknown> }[], types: readonly string[]): AccountDocument {
  const byType: Record<string, Record<string, unknown>[]> = {};
  for (const type of types) byType[type] = [];
  for (const resource of resources) (byType[resource.type] ??= []).push(resource.properties);
  return { AccountId: accountId, Resources: byType };
}
