import { z } from 'zod';
import { Severity, Text } from '../catalog/schema.js';

/**
 * The result model of `hatoba scan` and its JSON output. The schema is the contract for machines
 * (CI steps, the portal): fields are only ever added, and `version` changes if one changes meaning.
 */

export const SCAN_REPORT_VERSION = 1;

export const ScanOutcome = z.enum(['pass', 'fail', 'unresolvable', 'error']);
export type ScanOutcome = z.infer<typeof ScanOutcome>;

export const InputKind = z.enum(['cloudformation', 'cdk', 'terraform-plan']);
export type InputKind = z.infer<typeof InputKind>;

export const ScanResult = z
  .object({
    file: z.string(),
    line: z.number().int().min(1),
    logicalId: z.string(),
    /** The CDK construct path (`aws:cdk:path`), when the template came from the CDK. */
    name: z.string().optional(),
    type: z.string(),
    source: InputKind,
    control: z.string(),
    title: Text,
    severity: Severity,
    result: ScanOutcome,
    /** For `unresolvable`: the properties whose open values decide the answer (`A.B[0].C`). */
    paths: z.array(z.string()),
    message: Text,
    /** Set when the template's Metadata skips this control for this resource. */
    suppressed: z.object({ reason: z.string() }).strict().optional(),
    /** Whether this result fails the build under the run's threshold and --strict. */
    failing: z.boolean(),
  })
  .strict();
export type ScanResult = z.infer<typeof ScanResult>;

/** A problem with a file or an option, at a file and (when known) a line. */
export const ScanProblem = z.object({ file: z.string(), line: z.number().int().min(1).optional(), message: z.string() }).strict();
export type ScanProblem = z.infer<typeof ScanProblem>;

export const ScanCounts = z
  .object({
    files: z.number().int(),
    resources: z.number().int(),
    checks: z.number().int(),
    pass: z.number().int(),
    fail: z.number().int(),
    unresolvable: z.number().int(),
    error: z.number().int(),
    suppressed: z.number().int(),
    failing: z.number().int(),
  })
  .strict();
export type ScanCounts = z.infer<typeof ScanCounts>;

export const ScanSettings = z
  .object({
    severityThreshold: Severity,
    strict: z.boolean(),
    controls: z.array(z.string()).optional(),
    skip: z.array(z.string()),
  })
  .strict();
export type ScanSettings = z.infer<typeof ScanSettings>;

export const ScanReport = z
  .object({
    version: z.literal(SCAN_REPORT_VERSION),
    tool: z.object({ name: z.literal('hatoba'), version: z.string().optional() }).strict(),
    settings: ScanSettings,
    inputs: z.array(z.object({ file: z.string(), kind: InputKind, resources: z.number().int() }).strict()),
    /** Files found in a folder that are none of the inputs `scan` reads. */
    skipped: z.array(z.object({ file: z.string(), reason: z.string() }).strict()),
    /** Input errors: an unreadable or broken file, a suppression without a reason. They make the exit code 2. */
    problems: z.array(ScanProblem),
    /** Things worth knowing that change nothing: Terraform types not mapped, a suppression of an unknown control. */
    notes: z.array(ScanProblem),
    counts: ScanCounts,
    results: z.array(ScanResult),
  })
  .strict();
export type ScanReport = z.infer<typeof ScanReport>;

const RANK: Record<Severity, number> = { informational: 0, low: 1, medium: 2, high: 3, critical: 4 };

export const atOrAbove = (severity: Severity, threshold: Severity): boolean => RANK[severity] >= RANK[threshold];

export const bySeverity = (a: Severity, b: Severity): number => RANK[b] - RANK[a];

/** Unresolvable and error results fail the build only under --strict: the template did not say enough. */
export function isFailing(result: Pick<ScanResult, 'result' | 'severity' | 'suppressed'>, settings: Pick<ScanSettings, 'severityThreshold' | 'strict'>): boolean {
  if (result.suppressed !== undefined || !atOrAbove(result.severity, settings.severityThreshold)) return false;
  return result.result === 'fail' || (settings.strict && (result.result === 'unresolvable' || result.result === 'error'));
}

export function countResults(results: ScanResult[], files: number, resources: number): ScanCounts {
  const counts: ScanCounts = { files, resources, checks: results.length, pass: 0, fail: 0, unresolvable: 0, error: 0, suppressed: 0, failing: 0 };
  for (const r of results) {
    counts[r.result] += 1;
    if (r.suppressed !== undefined) counts.suppressed += 1;
    if (r.failing) counts.failing += 1;
  }
  return counts;
}

/** 2: an input or usage error (it wins: the scan did not see everything); 1: failing results; 0: none. */
export const exitCodeOf = (report: Pick<ScanReport, 'problems' | 'counts'>): 0 | 1 | 2 => (report.problems.length > 0 ? 2 : report.counts.failing > 0 ? 1 : 0);
