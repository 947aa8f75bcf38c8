import type { Log, Notification, ReportingDescriptor, Result } from 'sarif';
import type { CompiledControl } from '../catalog/compiled.js';
import type { Severity } from '../catalog/schema.js';
import type { Lang } from './format-text.js';
import type { ScanReport, ScanResult } from './report.js';

/**
 * SARIF 2.1.0 (OASIS), for code scanning in CI. How our outcomes map, by the spec's `result.kind`
 * (§3.27.9) and `level` (§3.27.10, which must be "none" unless kind is "fail"):
 *
 * - fail          -> kind "fail", level from the control's severity (critical/high: error,
 *                    medium: warning, low/informational: note).
 * - unresolvable  -> kind "review", level "none": the template leaves open the values that decide,
 *                    so a person must look; the open paths are in the message and in properties.
 * - error         -> kind "review", level "none" too (the rule could not judge the resource, which
 *                    also needs a person), with the rule's error in the message.
 * - pass          -> left out: a log of every passing check would bury the findings.
 * - suppressed    -> kept, with `suppressions: [{kind: "inSource", justification}]` (§3.35). No review
 *                    state: the committee specification calls it `state`, the OASIS standard `status`.
 *
 * Input problems (a broken template, a skip without a reason) are tool execution notifications, and
 * make `executionSuccessful` false. Locations are relative to `%SRCROOT%` (the directory the scan
 * ran in), with forward slashes.
 */

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', informational: 'note' };

/** GitHub's scale (0.0–10.0); its bands: >= 9 critical, >= 7 high, >= 4 medium, else low. */
const SECURITY_SEVERITY: Record<Severity, string | undefined> = { critical: '9.0', high: '7.0', medium: '5.0', low: '3.0', informational: undefined };

/** A relative path as a URI reference: forward slashes, each segment percent-encoded (spaces, Japanese names). */
export const toUri = (file: string): string => file.split(/[\\/]/).map((s) => (s === '..' || s === '.' ? s : encodeURIComponent(s))).join('/');

const ruleName = (control: CompiledControl): string =>
  control.title.en.replace(/[^A-Za-z0-9]+/g, ' ').trim().split(' ').map((w) => (w[0] ?? '').toUpperCase() + w.slice(1)).join('');

function ruleOf(control: CompiledControl, lang: Lang): ReportingDescriptor {
  const refs = control.implementations.references;
  const refLines = [
    refs?.securityHub === undefined ? undefined : `Security Hub: ${refs.securityHub.join(', ')}`,
    refs?.configRule === undefined ? undefined : `AWS Config: ${refs.configRule.join(', ')}`,
    refs?.prowler === undefined ? undefined : `Prowler: ${refs.prowler.join(', ')}`,
  ].filter((l): l is string => l !== undefined);
  const securitySeverity = SECURITY_SEVERITY[control.severity];
  return {
    id: control.id,
    name: ruleName(control),
    shortDescription: { text: control.title[lang] },
    fullDescription: { text: control.description[lang] },
    help: {
      text: [control.description[lang], ...refLines].join('\n'),
      markdown: [`**${control.title[lang]}**`, '', control.description[lang], ...(refLines.length === 0 ? [] : ['', ...refLines.map((l) => `- ${l}`)])].join('\n'),
    },
    defaultConfiguration: { level: LEVEL[control.severity] },
    properties: {
      tags: ['security', ...control.objectives],
      severity: control.severity,
      resourceTypes: control.resourceTypes,
      ...(securitySeverity === undefined ? {} : { 'security-severity': securitySeverity }),
    },
  };
}

function resultOf(r: ScanResult, ruleIndex: number | undefined, lang: Lang): Result {
  const fail = r.result === 'fail';
  return {
    ruleId: r.control,
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
    kind: fail ? 'fail' : 'review',
    level: fail ? LEVEL[r.severity] : 'none',
    message: { text: r.message[lang] },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: toUri(r.file), uriBaseId: '%SRCROOT%' }, region: { startLine: r.line } },
        logicalLocations: [{ name: r.logicalId, fullyQualifiedName: r.name ?? r.logicalId, kind: 'resource' }],
      },
    ],
    partialFingerprints: { 'hatobaResource/v1': `${toUri(r.file)}#${r.logicalId}#${r.control}` },
    ...(r.suppressed === undefined ? {} : { suppressions: [{ kind: 'inSource', justification: r.suppressed.reason }] }),
    properties: { result: r.result, resourceType: r.type, source: r.source, ...(r.paths.length === 0 ? {} : { openPaths: r.paths }) },
  };
}

export function formatSarif(report: ScanReport, controls: readonly CompiledControl[], options: { lang: Lang; srcRoot?: string }): Log {
  const rules = controls.filter((c) => c.rule !== undefined && c.resourceTypes.some((t) => t.startsWith('AWS::'))).sort((a, b) => a.id.localeCompare(b.id));
  const indexOf = new Map(rules.map((c, i) => [c.id, i]));
  const results = report.results.filter((r) => r.result !== 'pass').map((r) => resultOf(r, indexOf.get(r.control), options.lang));
  const notifications: Notification[] = report.problems.map((p) => ({
    level: 'error',
    message: { text: p.message },
    locations: [{ physicalLocation: { artifactLocation: { uri: toUri(p.file), uriBaseId: '%SRCROOT%' }, ...(p.line === undefined ? {} : { region: { startLine: p.line } }) } }],
  }));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'hatoba', ...(report.tool.version === undefined ? {} : { version: report.tool.version }), rules: rules.map((c) => ruleOf(c, options.lang)) } },
        ...(options.srcRoot === undefined ? {} : { originalUriBaseIds: { '%SRCROOT%': { uri: options.srcRoot } } }),
        invocations: [{ executionSuccessful: report.problems.length === 0, ...(notifications.length === 0 ? {} : { toolExecutionNotifications: notifications }) }],
        results,
      },
    ],
  };
}
