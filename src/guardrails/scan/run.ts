import type { Issue } from '../../domain/errors.js';
import type { CompiledControl } from '../catalog/compiled.js';
import { readResources, recognise, type ScannedResource } from './inputs.js';
import { countResults, SCAN_REPORT_VERSION, type InputKind, type ScanProblem, type ScanReport, type ScanSettings } from './report.js';
import { scanResources } from './scan.js';

/**
 * One scan from file contents to the report: recognise each document, read its resources, evaluate
 * the selected controls. The CLI reads the files (and walks folders and CDK assemblies); this does
 * the rest, so the benchmark and the tests run exactly what `hatoba scan` runs.
 */

export type ScanDocument = {
  file: string;
  text: string;
  /** Named on the command line (a problem if it is not an input) or found in a folder (then skipped). */
  explicit: boolean;
  /** A template listed by a CDK cloud assembly. */
  fromCdk?: boolean;
};

export type ScanRun = {
  documents: ScanDocument[];
  /** Problems the file system already found (unreadable files, missing paths). */
  problems: ScanProblem[];
  skipped: { file: string; reason: string }[];
  notes: ScanProblem[];
  controls: readonly CompiledControl[];
  knownIds: ReadonlySet<string>;
  settings: ScanSettings;
  version?: string | undefined;
};

export const toProblem = (issue: Issue): ScanProblem => {
  const [file, line] = issue.path;
  return { file: String(file ?? ''), ...(typeof line === 'number' && line >= 1 ? { line } : {}), message: issue.message };
};

export function runScan(run: ScanRun): ScanReport {
  const problems = [...run.problems];
  const notes = [...run.notes];
  const skipped = [...run.skipped];
  const inputs: ScanReport['inputs'] = [];
  const resources: ScannedResource[] = [];
  for (const doc of run.documents) {
    const what = recognise(doc.text, doc.file);
    if (what.kind === 'unparsable') {
      // A broken file someone named is an error; one found in a folder may not be ours: a note.
      (doc.explicit ? problems : notes).push(...what.issues.map(toProblem));
      continue;
    }
    if (what.kind === 'other' || what.kind === 'cdk-manifest') {
      const reason = what.kind === 'other' ? what.reason : 'a CDK cloud assembly manifest: name its folder (cdk.out) instead';
      if (doc.explicit) problems.push({ file: doc.file, message: reason });
      else skipped.push({ file: doc.file, reason });
      continue;
    }
    const source: InputKind = what.kind === 'cloudformation' && doc.fromCdk === true ? 'cdk' : what.kind;
    const read = readResources(doc.text, doc.file, what, source);
    problems.push(...read.issues.map(toProblem));
    notes.push(...read.notes.map(toProblem));
    inputs.push({ file: doc.file, kind: source, resources: read.resources.length });
    resources.push(...read.resources);
  }
  const scanned = scanResources(resources, run.controls, { ...run.settings, knownIds: run.knownIds });
  problems.push(...scanned.issues.map(toProblem));
  notes.push(...scanned.notes.map(toProblem));
  return {
    version: SCAN_REPORT_VERSION,
    tool: { name: 'hatoba', ...(run.version === undefined ? {} : { version: run.version }) },
    settings: run.settings,
    inputs,
    skipped,
    problems,
    notes,
    counts: countResults(scanned.results, inputs.length, resources.length),
    results: scanned.results,
  };
}
