import { Option } from 'commander';
import {
  ControlDetail,
  ControlSearchResult,
  ControlType,
  CoverageView,
  FrameworkList,
  OSCAL_EXPORT_FORMATS,
  OscalDocument,
  Trace,
  type NodeView,
  type OscalExportFormat,
} from '../contracts/controls.js';
import { Objective, Severity } from '../guardrails/catalog/schema.js';
import type { ApiClient } from './client.js';
import type { CliIo, VerbModule } from './program.js';
import { formatTable, langOption, queryString, runVerb, subcommand, writeTextFile, type Lang } from './shared.js';

type Titled = { ja?: string | undefined; en: string };
const titleIn = (title: Titled, lang: Lang): string => (lang === 'ja' ? (title.ja ?? title.en) : title.en);
const json = (io: CliIo, value: unknown) => io.out(JSON.stringify(value, null, 2));

type SearchOptions = { objective?: string; service?: string; framework?: string; type?: string; severity?: string; json?: boolean; lang: Lang };

async function search(client: ApiClient, io: CliIo, text: string | undefined, options: SearchOptions): Promise<void> {
  const query = queryString({ text, objective: options.objective, service: options.service, framework: options.framework, type: options.type, severity: options.severity });
  const result = await client.request('GET', `/api/controls${query}`, ControlSearchResult);
  if (options.json === true) return json(io, result);
  if (result.items.length === 0) return io.out(options.lang === 'ja' ? '該当するコントロールはありません' : 'no controls match');
  const header = options.lang === 'ja' ? ['ID', '重大度', '種類', 'タイトル'] : ['ID', 'SEVERITY', 'TYPES', 'TITLE'];
  const rows = result.items.map((c) => [c.id, c.severityLabel[options.lang], c.types.map((t) => t.label[options.lang]).join(', '), c.title[options.lang]]);
  for (const line of formatTable(header, rows)) io.out(line);
  io.out(options.lang === 'ja' ? `${result.total} 件` : `${result.total} control(s)`);
}

const nodeText = (node: NodeView, lang: Lang): string => (node.kind === 'control' ? node.id : `${node.ref}  ${titleIn(node.title, lang)}`);

/** A chain on one line: `HTB-S3-001 —implements→ nist-sp-800-53-r5:AC-3 —part of→ …`. */
const chainText = (chain: Trace['up'][number], lang: Lang): string =>
  chain.map((hop) => (hop.via === undefined ? '' : ` —${hop.via.relationshipLabel[lang]}→ `) + (hop.node.kind === 'control' ? hop.node.id : hop.node.ref)).join('');

type ShowOptions = { json?: boolean; chains?: boolean; lang: Lang };

async function show(client: ApiClient, io: CliIo, id: string, options: ShowOptions): Promise<void> {
  const c = await client.request('GET', `/api/controls/${encodeURIComponent(id)}`, ControlDetail);
  if (options.json === true) return json(io, c);
  const ja = options.lang === 'ja';
  const lang = options.lang;
  io.out(`${c.id}  ${c.title[lang]}`);
  io.out(`  ${c.description[lang]}`);
  io.out(`  ${ja ? '重大度' : 'severity'}: ${c.severityLabel[lang]}   ${ja ? '種類' : 'types'}: ${c.types.map((t) => t.label[lang]).join(', ')}`);
  io.out(`  ${ja ? '目的' : 'objectives'}: ${c.objectives.map((o) => o.label[lang]).join(', ')}`);
  io.out(`  ${ja ? 'サービス' : 'services'}: ${c.services.join(', ')}   ${ja ? 'リソースタイプ' : 'resource types'}: ${c.resourceTypes.join(', ') || '-'}`);
  const refs = [...c.references.securityHub.map((r) => `Security Hub ${r}`), ...c.references.configRule.map((r) => `Config ${r}`), ...c.references.prowler.map((r) => `Prowler ${r}`)];
  if (refs.length > 0) io.out(`  ${ja ? '参照' : 'references'}: ${refs.join(', ')}`);
  if (c.implementations.preventive !== undefined) io.out(`  ${c.implementations.preventive.kind}: ${c.implementations.preventive.statements.length} statement(s)`);
  if (c.implementations.rule !== undefined) io.out(`  rule: ${c.implementations.rule.expression.replace(/\s+/g, ' ')}`);
  io.out(ja ? 'マッピング:' : 'mappings:');
  if (c.mappings.length === 0) io.out(ja ? '  なし' : '  none');
  for (const m of c.mappings) io.out(`  ${m.written === 'forward' ? m.relationship : `(${m.relationship})`} ${nodeText(m.node, lang)}`);
  io.out(ja ? '到達する要求事項:' : 'reaches:');
  for (const r of c.reaches) io.out(`  ${r.framework.id} (${r.framework.kindLabel[lang]}): ${r.requirements.map((q) => q.id).join(', ')}`);
  if (options.chains === true) {
    io.out(ja ? 'チェーン:' : 'chains:');
    for (const chain of c.trace.up) io.out(`  ${chainText(chain, lang)}`);
    if (c.trace.truncated) io.out(ja ? '  （一部のみ表示）' : '  (truncated)');
  }
}

async function trace(client: ApiClient, io: CliIo, node: string, options: { json?: boolean; lang: Lang }): Promise<void> {
  const result = await client.request('GET', `/api/catalog/trace${queryString({ node })}`, Trace);
  if (options.json === true) return json(io, result);
  const ja = options.lang === 'ja';
  io.out(ja ? '上位（フレームワーク・法令）へ:' : 'up (to frameworks and laws):');
  for (const chain of result.up) io.out(`  ${chainText(chain, options.lang)}`);
  io.out(ja ? '下位（コントロール）へ:' : 'down (to controls):');
  for (const chain of result.down) io.out(`  ${chainText(chain, options.lang)}`);
  if (result.truncated) io.out(ja ? '（一部のみ表示）' : '(truncated)');
}

async function listFrameworks(client: ApiClient, io: CliIo, options: { json?: boolean; lang: Lang }): Promise<void> {
  const result = await client.request('GET', '/api/frameworks', FrameworkList);
  if (options.json === true) return json(io, result);
  const header = options.lang === 'ja' ? ['ID', '種別', '版', '要求事項', '廃止', 'タイトル'] : ['ID', 'KIND', 'VERSION', 'REQUIREMENTS', 'WITHDRAWN', 'TITLE'];
  const rows = result.items.map((f) => [f.id, f.kindLabel[options.lang], f.version, String(f.requirements), String(f.withdrawn), f.title[options.lang]]);
  for (const line of formatTable(header, rows)) io.out(line);
}

async function showCoverage(client: ApiClient, io: CliIo, id: string, options: { uncovered?: boolean; json?: boolean; lang: Lang }): Promise<void> {
  const result = await client.request('GET', `/api/frameworks/${encodeURIComponent(id)}/coverage`, CoverageView);
  const rows = options.uncovered === true ? result.requirements.filter((r) => !r.covered) : result.requirements;
  if (options.json === true) return json(io, options.uncovered === true ? { ...result, requirements: rows } : result);
  const ja = options.lang === 'ja';
  io.out(
    ja
      ? `${result.framework.id}: ${result.total} 件中 ${result.covered} 件の要求事項をカバー (${result.percentage}%)、末端の要求事項 ${result.leaves.total} 件中 ${result.leaves.covered} 件 (${result.leaves.percentage}%)`
      : `${result.framework.id}: ${result.covered} of ${result.total} requirements covered (${result.percentage}%); leaves ${result.leaves.covered} of ${result.leaves.total} (${result.leaves.percentage}%)`,
  );
  if (rows.length === 0) return;
  const header = ja ? ['ID', 'カバー', 'コントロール', 'タイトル'] : ['ID', 'COVERED', 'CONTROLS', 'TITLE'];
  const table = rows.map((r) => [r.id, r.covered ? (ja ? 'はい' : 'yes') : ja ? 'いいえ' : 'no', r.controls.length > 3 ? `${r.controls.slice(0, 3).join(', ')} +${r.controls.length - 3}` : r.controls.join(', ') || '-', titleIn(r.title, options.lang)]);
  for (const line of formatTable(header, table)) io.out(line);
}

type ExportOptions = { format: OscalExportFormat; output?: string; lang: Lang };

/** The OSCAL document as the server exports it, indented; to a file with `--output`. */
async function exportOscal(client: ApiClient, io: CliIo, options: ExportOptions): Promise<void> {
  const document = await client.request('GET', `/api/controls/export${queryString({ format: options.format })}`, OscalDocument);
  const text = JSON.stringify(document, null, 2);
  if (options.output === undefined) return io.out(text);
  await writeTextFile(options.output, `${text}\n`);
  // On stderr, as scan does: stdout carries only documents.
  io.err(options.lang === 'ja' ? `${options.output} に書き出しました` : `wrote ${options.output}`);
}

/** `hatoba controls search|show|trace|export` and `hatoba frameworks list|coverage`. */
export const controlVerbs: VerbModule = (program, { client, io }) => {
  const controls = subcommand(program, 'controls', 'the controls catalog: search controls, show one with where it leads');
  controls
    .command('search [text]')
    .description('find controls by words (ids, titles, descriptions in ja or en) and filters; best matches first')
    .addOption(new Option('--objective <objective>', 'objective').choices(Objective.options))
    .option('--service <service>', 'service, as in IAM action prefixes: s3, ec2, iam')
    .option('--framework <id>', 'controls that reach this framework (nist-csf-2.0) or requirement (nist-sp-800-53-r5:AC-2)')
    .addOption(new Option('--type <type>', 'how the control acts').choices(ControlType.options))
    .addOption(new Option('--severity <severity>', 'severity').choices(Severity.options))
    .option('--json', 'print JSON')
    .addOption(langOption())
    .action(async (text: string | undefined, options: SearchOptions) => runVerb(io, () => search(client(), io, text, options)));

  controls
    .command('show <id>')
    .description('one control: its implementations, mappings, and the frameworks and laws it reaches')
    .option('--chains', 'print every chain from the control up to frameworks and laws')
    .option('--json', 'print JSON')
    .addOption(langOption())
    .action(async (id: string, options: ShowOptions) => runVerb(io, () => show(client(), io, id, options)));

  controls
    .command('trace <node>')
    .description('the chains from a node (control:HTB-S3-001, nist-csf-2.0:PR.DS-01, …) up to laws and down to controls')
    .option('--json', 'print JSON')
    .addOption(langOption())
    .action(async (node: string, options: { json?: boolean; lang: Lang }) => runVerb(io, () => trace(client(), io, node, options)));

  controls
    .command('export')
    .description('the catalog as OSCAL 1.1 JSON: the controls (oscal-catalog) or what they implement per framework (oscal-component-definition)')
    .addOption(new Option('--format <format>', 'which OSCAL document').choices(OSCAL_EXPORT_FORMATS).makeOptionMandatory())
    .option('--output <file>', 'write the document to this file instead of printing it')
    .addOption(langOption())
    .action(async (options: ExportOptions) => runVerb(io, () => exportOscal(client(), io, options)));

  const frameworks = subcommand(program, 'frameworks', 'frameworks, guidelines, regulations and laws in the controls catalog');
  frameworks
    .command('list')
    .description('list the frameworks with their requirement counts')
    .option('--json', 'print JSON')
    .addOption(langOption())
    .action(async (options: { json?: boolean; lang: Lang }) => runVerb(io, () => listFrameworks(client(), io, options)));

  frameworks
    .command('coverage <id>')
    .description('which requirements at least one implemented control reaches')
    .option('--uncovered', 'list only the requirements no control reaches')
    .option('--json', 'print JSON')
    .addOption(langOption())
    .action(async (id: string, options: { uncovered?: boolean; json?: boolean; lang: Lang }) => runVerb(io, () => showCoverage(client(), io, id, options)));
};
