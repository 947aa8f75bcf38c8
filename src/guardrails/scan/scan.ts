import type { Issue } from '../../domain/errors.js';
import { evaluateResource, indexByResourceType, type CompiledControl } from '../catalog/compiled.js';
import type { Text } from '../catalog/schema.js';
import type { RuleOutcome } from '../rules/rule.js';
import type { ScannedResource } from './inputs.js';
import { isFailing, type ScanResult, type ScanSettings } from './report.js';
import { readSuppressions } from './suppressions.js';

/**
 * The proactive moment: every applicable control (by resource type) on every resource of the
 * templates, before anything is deployed. Pure: resources and compiled controls in, results out.
 */

/** Applies --controls and --skip; ids that are not in the catalog come back, so a typo is not a silent no-op. */
export function selectControls(all: readonly CompiledControl[], filter: { controls?: string[] | undefined; skip: string[] }): { controls: CompiledControl[]; unknown: string[] } {
  const ids = new Set(all.map((c) => c.id));
  const unknown = [...(filter.controls ?? []), ...filter.skip].filter((id) => !ids.has(id));
  const only = filter.controls === undefined ? undefined : new Set(filter.controls);
  const skip = new Set(filter.skip);
  return { controls: all.filter((c) => (only === undefined || only.has(c.id)) && !skip.has(c.id)), unknown: [...new Set(unknown)] };
}

export type ScanOptions = Pick<ScanSettings, 'severityThreshold' | 'strict'> & {
  /** Every id of the catalog, selected or not: a suppression of an unknown id is noted. */
  knownIds: ReadonlySet<string>;
};

export function scanResources(resources: readonly ScannedResource[], controls: readonly CompiledControl[], options: ScanOptions): { results: ScanResult[]; issues: Issue[]; notes: Issue[] } {
  const index = indexByResourceType(controls);
  const results: ScanResult[] = [];
  const issues: Issue[] = [];
  const notes: Issue[] = [];
  for (const resource of resources) {
    const read = readSuppressions(resource.metadata, resource, options.knownIds);
    issues.push(...read.issues);
    notes.push(...read.notes);
    for (const { control, outcome } of evaluateResource(index, resource)) {
      const reason = read.suppressions.get(control.id);
      const base = {
        file: resource.file,
        line: resource.line,
        logicalId: resource.logicalId,
        ...(resource.name === undefined ? {} : { name: resource.name }),
        type: resource.type,
        source: resource.source,
        control: control.id,
        title: control.title,
        severity: control.severity,
        result: outcome.result,
        paths: outcome.result === 'unresolvable' ? outcome.paths : [],
        message: messageOf(outcome, resource, control),
        ...(reason === undefined ? {} : { suppressed: { reason } }),
      };
      results.push({ ...base, failing: isFailing(base, options) });
    }
  }
  return { results, issues, notes };
}

function messageOf(outcome: RuleOutcome, resource: ScannedResource, control: CompiledControl): Text {
  const who = resource.name ?? resource.logicalId;
  switch (outcome.result) {
    case 'pass':
      return { ja: `${who} は適合しています: ${control.title.ja}`, en: `${who} complies: ${control.title.en}` };
    case 'fail':
      return { ja: `${who} は適合していません: ${control.title.ja}`, en: `${who} does not comply: ${control.title.en}` };
    case 'error':
      return { ja: `${who} でルールを評価できませんでした: ${outcome.message}`, en: `the rule could not be evaluated on ${who}: ${outcome.message}` };
    case 'unresolvable': {
      const open = outcome.paths.map((path) => ({ path, value: describeOpen(valueAt(resource.properties, path)) }));
      return {
        ja: `テンプレートで決まらない値で結果が変わるため判定しません（推測しません）: ${open.map((o) => `${o.path}（${o.value.ja}）`).join('、')}`,
        en: `depends on values the template leaves open, not guessed: ${open.map((o) => `${o.path} (${o.value.en})`).join(', ')}`,
      };
    }
  }
}

/** The value at `A.B[0].C` (the paths the rule engine reports). */
export function valueAt(root: unknown, path: string): unknown {
  let value = root;
  for (const token of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (token.startsWith('[')) value = Array.isArray(value) ? value[Number(token.slice(1, -1))] : undefined;
    else value = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value))[token] : undefined;
  }
  return value;
}

/** How a person recognises an open value: "Ref SSHLocation", "Fn::GetAtt Role.Arn", "known after apply". */
export function describeOpen(value: unknown): Text {
  const entry = typeof value === 'object' && value !== null ? Object.entries(value)[0] : undefined;
  if (entry === undefined) return { ja: '不明な値', en: 'an open value' };
  const [key, arg] = entry;
  if (key === 'Fn::TerraformUnknown') return { ja: `apply 後に決まる値 ${String(arg)}`, en: `known only after apply: ${String(arg)}` };
  if (key === 'Ref' && typeof arg === 'string') return { ja: `Ref ${arg}`, en: `Ref ${arg}` };
  if (key === 'Fn::GetAtt' && Array.isArray(arg)) return { ja: `Fn::GetAtt ${arg.join('.')}`, en: `Fn::GetAtt ${arg.join('.')}` };
  if (key === 'Fn::If' && Array.isArray(arg) && typeof arg[0] === 'string') return { ja: `Fn::If ${arg[0]}`, en: `Fn::If ${arg[0]}` };
  if (key === 'Fn::ImportValue' && typeof arg === 'string') return { ja: `Fn::ImportValue ${arg}`, en: `Fn::ImportValue ${arg}` };
  return { ja: key, en: key };
}
