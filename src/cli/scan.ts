import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Option } from 'commander';
import { DomainError } from '../domain/errors.js';
import type { CompiledControl } from '../guardrails/catalog/compiled.js';
import { Severity } from '../guardrails/catalog/schema.js';
import { formatSarif } from '../guardrails/scan/format-sarif.js';
import { formatText, summaryLine, type Lang } from '../guardrails/scan/format-text.js';
import { exitCodeOf, type ScanProblem } from '../guardrails/scan/report.js';
import { runScan } from '../guardrails/scan/run.js';
import { selectControls } from '../guardrails/scan/scan.js';
import { UsageError, type CliIo, type VerbModule } from './program.js';
import { langOption, runVerb } from './shared.js';
import { gatherInputs } from './scan-files.js';

/**
 * `hatoba scan PATH…`: the proactive moment of the guardrails, for a developer's terminal and for CI.
 * A local command: it reads templates and the catalog from disk and talks to no server.
 */

export type ScanDeps = {
  /** Reads and compiles `<dir>/controls/*.yaml` (main passes the catalog loader). */
  loadControls: (dir: string) => Promise<CompiledControl[]>;
  /** The catalog folder of this installation, used unless --catalog is given. */
  catalogDir: string;
  cwd: string;
  version?: string;
};

export type ScanCliOptions = {
  format: 'text' | 'json' | 'sarif';
  output?: string;
  severityThreshold: Severity;
  controls?: string[];
  skip?: string[];
  strict?: boolean;
  catalog?: string;
  lang: Lang;
  verbose?: boolean;
};

const idList = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  ...value.split(',').map((s) => s.trim()).filter((s) => s !== ''),
];

/** [file, 'controls', 1, 'id'] as `file controls[1].id`. */
const where = (path: (string | number)[]): string => {
  const [file, ...rest] = path;
  const tail = rest.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
  return tail === '' ? String(file) : `${String(file)} ${tail}`;
};

const at = (p: ScanProblem): string => `${p.file}${p.line === undefined ? '' : `:${p.line}`}`;

async function loadCatalog(deps: ScanDeps, dir: string): Promise<CompiledControl[]> {
  try {
    return await deps.loadControls(dir);
  } catch (error) {
    if (error instanceof DomainError) {
      throw new UsageError([`${error.message} (${dir}):`, ...error.issues.map((i) => `  ${where(i.path)}: ${i.message}`)].join('\n'));
    }
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    throw new UsageError(`cannot read the controls catalog in ${dir}${code === 'ENOENT' ? ': no controls folder there (give --catalog DIR)' : ''}`, { cause: error });
  }
}

/** Runs one scan and returns its exit code (0 clean, 1 failing results, 2 input errors). */
export async function scanCommand(deps: ScanDeps, io: CliIo, paths: string[], options: ScanCliOptions): Promise<number> {
  const catalogDir = options.catalog === undefined ? deps.catalogDir : resolve(deps.cwd, options.catalog);
  const catalog = await loadCatalog(deps, catalogDir);
  if (catalog.length === 0) throw new UsageError(`no controls in ${catalogDir}: give the catalog folder (with controls/*.yaml) as --catalog DIR`);
  const selected = selectControls(catalog, { controls: options.controls, skip: options.skip ?? [] });
  if (selected.unknown.length > 0) throw new UsageError(`not in the catalog: ${selected.unknown.join(', ')}`);

  const gathered = await gatherInputs(paths, deps.cwd);
  const settings = {
    severityThreshold: options.severityThreshold,
    strict: options.strict === true,
    ...(options.controls === undefined ? {} : { controls: options.controls }),
    skip: options.skip ?? [],
  };
  const report = runScan({ ...gathered, controls: selected.controls, knownIds: new Set(catalog.map((c) => c.id)), settings, version: deps.version });
  // A wrong path in a CI job must not pass quietly for having nothing to check.
  if (report.inputs.length === 0 && report.problems.length === 0) {
    report.problems.push({ file: paths.join(' '), message: 'found no CloudFormation template, CDK cloud assembly or Terraform plan to scan' });
  }

  for (const p of report.problems) io.err(`${at(p)}: ${p.message}`);
  for (const n of report.notes) io.err(`${at(n)}: ${options.lang === 'ja' ? '注記' : 'note'}: ${n.message}`);
  if (options.verbose === true) for (const s of report.skipped) io.err(`${s.file}: ${options.lang === 'ja' ? '対象外' : 'skipped'}: ${s.reason}`);

  const text =
    options.format === 'json'
      ? JSON.stringify(report, null, 2)
      : options.format === 'sarif'
        ? JSON.stringify(formatSarif(report, selected.controls, { lang: options.lang, srcRoot: `${pathToFileURL(deps.cwd).href.replace(/\/?$/, '/')}` }), null, 2)
        : formatText(report, { lang: options.lang, verbose: options.verbose === true }).join('\n');
  if (options.output === undefined) {
    io.out(text);
  } else {
    const file = resolve(deps.cwd, options.output);
    await writeFile(file, `${text}\n`, 'utf8').catch((error: unknown) => {
      throw new UsageError(`cannot write ${options.output}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
    io.err(summaryLine(report, options.lang));
  }
  return exitCodeOf(report);
}

const HELP = `
Inputs: CloudFormation templates (JSON or YAML, short-form intrinsics included), CDK output (a cdk.out
folder: the stacks its manifest.json lists, nested stacks and Stages), Terraform plans
(terraform show -json PLANFILE > plan.json). Folders are searched for *.json, *.yaml, *.yml, *.template.

Results: pass, fail, unresolvable (the answer depends on a Ref to a parameter or another value the
template leaves open: reported with the open paths, never guessed), error (the rule could not judge).

Suppress a control for one resource in its Metadata (a reason is required):
  Metadata:
    hatoba:
      skip:
        - id: HTB-S3-001
          reason: "public website bucket, approved in review 42"

Exit codes:
  0  no failing result at or above --severity-threshold
  1  failing results at or above the threshold (unresolvable and error results too, with --strict)
  2  usage or input error: a path or file that cannot be read or parsed, nothing to scan, a skip
     without a reason, an unknown control id, an invalid catalog (2 wins over 1: the scan did not
     see everything)

終了コード: 0 しきい値以上の不適合なし / 1 不適合あり（--strict では判定不能・エラーも） / 2 入力・使い方の誤り`;

/** Registers `hatoba scan`. */
export const scanVerbs =
  (deps: ScanDeps): VerbModule =>
  (program, { io }) => {
    program
      .command('scan')
      .description('check CloudFormation, CDK output and Terraform plans against the controls catalog, before deploying')
      .argument('<paths...>', 'files or folders')
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
      .option('--output <file>', 'write the report to FILE instead of standard output')
      .addOption(new Option('--severity-threshold <severity>', 'fail only for findings at or above').choices(Severity.options).default('low'))
      .option('--controls <ids>', 'only these controls (comma-separated, repeatable)', idList)
      .option('--skip <ids>', 'not these controls (comma-separated, repeatable)', idList)
      .option('--strict', 'unresolvable and error results fail the build too')
      .option('--catalog <dir>', 'the catalog folder (with controls/*.yaml)')
      .option('--verbose', 'also show passing checks and the files that were skipped')
      .addOption(langOption())
      .addHelpText('after', HELP)
      .action(async (paths: string[], options: ScanCliOptions) =>
        runVerb(io, async () => {
          process.exitCode = await scanCommand(deps, io, paths, options);
        }),
      );
  };
