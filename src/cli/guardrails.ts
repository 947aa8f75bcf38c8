import { Argument, Option, type Command } from 'commander';
import {
  GuardrailTargetList,
  ImpactReport,
  PolicyPreview,
  SelectionResult,
  StageResult,
  type GuardrailTarget,
  type ImpactReport as Report,
  type PolicyPreview as Preview,
} from '../contracts/guardrails.js';
import type { ApiClient } from './client.js';
import { UsageError, type CliIo, type VerbModule } from './program.js';
import { formatTable, langOption, runVerb, subcommand, type Lang } from './shared.js';

/** `hatoba guardrails …`: the preventive rollout of each OU (off -> audit -> enforce) over HTTP. */

type Common = { kind: 'SCP' | 'RCP'; json?: boolean; lang: Lang };

const targetPath = (ou: string): string => `/api/guardrails/targets/${encodeURIComponent(ou)}`;
const kindOption = () => new Option('--kind <kind>', 'policy kind').choices(['SCP', 'RCP']).default('SCP');
const list = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

const T = {
  ja: { path: 'OU パス', id: 'OU ID', kind: '種類', stage: '段階', controls: 'コントロール', since: '監査開始 / 適用開始', name: 'ポリシー', size: 'サイズ', principal: 'プリンシパル', account: 'アカウント', action: 'アクション', statement: '拒否した文', count: '件数', time: '時刻', region: 'リージョン' },
  en: { path: 'OU PATH', id: 'OU ID', kind: 'KIND', stage: 'STAGE', controls: 'CONTROLS', since: 'AUDIT / ENFORCED SINCE', name: 'POLICY', size: 'SIZE', principal: 'PRINCIPAL', account: 'ACCOUNT', action: 'ACTION', statement: 'DENIED BY', count: 'CALLS', time: 'TIME', region: 'REGION' },
} as const;

const day = (iso: string | null | undefined): string => (iso === null || iso === undefined ? '-' : iso.slice(0, 10));

function stageText(t: GuardrailTarget, lang: Lang): string {
  const label = t.stageLabel[lang];
  const pending = t.pendingInAudit ? ` (+${lang === 'ja' ? '変更を監査中' : 'change in audit'})` : '';
  // A stage change whose provider work did not finish: repeating the stage request completes it.
  const unconverged = t.converged ? '' : lang === 'ja' ? ' [未反映: 同じ段階をもう一度指定してください]' : ' [not applied yet: request the same stage again]';
  return `${label}${pending}${unconverged}`;
}

async function listTargets(client: ApiClient, io: CliIo, options: Common): Promise<void> {
  const result = await client.request('GET', '/api/guardrails/targets', GuardrailTargetList);
  if (options.json === true) return io.out(JSON.stringify(result.items, null, 2));
  if (result.items.length === 0) return io.out(options.lang === 'ja' ? 'OU がありません' : 'no OUs');
  const h = T[options.lang];
  const rows = result.items.map((t) => [t.ouPath, t.ouId, t.kind, stageText(t, options.lang), t.controls.join(',') || '-', t.stage === 'enforce' ? day(t.enforced?.since) : day(t.auditSince)]);
  for (const line of formatTable([h.path, h.id, h.kind, h.stage, h.controls, h.since], rows)) io.out(line);
}

function printPreview(io: CliIo, preview: Preview, lang: Lang): void {
  const h = T[lang];
  if (preview.policies.length === 0) {
    io.out(lang === 'ja' ? 'コントロールが選ばれていません（生成する方針はありません）' : 'no controls selected (no policies to generate)');
    return;
  }
  const rows = preview.policies.map((p) => [p.name, `${p.size}/${p.limit}`, p.controlIds.join(',')]);
  for (const line of formatTable([h.name, h.size, h.controls], rows)) io.out(line);
  for (const p of preview.policies) for (const l of p.lint) io.out(`  ${p.name} ${l.path.join('.')}: ${l.message[lang]}`);
  io.out(`${lang === 'ja' ? '内容ハッシュ' : 'content hash'}: ${preview.policyHash ?? '-'}  (${lang === 'ja' ? '空き枠' : 'free slots'}: ${preview.freeSlots})`);
}

async function selectControls(client: ApiClient, io: CliIo, ou: string, options: Common & { controls: string; reason?: string }): Promise<void> {
  const controls = list(options.controls);
  const result = await client.request('PUT', `${targetPath(ou)}/controls`, SelectionResult, { controls, kind: options.kind, ...(options.reason === undefined ? {} : { reason: options.reason }) });
  if (options.json === true) return io.out(JSON.stringify(result, null, 2));
  const t = result.target;
  io.out(`${t.ouPath} (${t.ouId}) ${t.kind}: ${stageText(t, options.lang)} — ${t.controls.join(', ') || '-'}`);
  if (t.pendingInAudit) {
    io.out(options.lang === 'ja' ? '適用中の版はそのまま付与され、新しい選択は監査中です' : 'the enforced version stays attached; the new selection is in audit');
  }
  printPreview(io, result.preview, options.lang);
}

async function preview(client: ApiClient, io: CliIo, ou: string, options: Common & { controls?: string; content?: boolean }): Promise<void> {
  const body = { kind: options.kind, ...(options.controls === undefined ? {} : { controls: list(options.controls) }) };
  const result = await client.request('POST', `${targetPath(ou)}/preview`, PolicyPreview, body);
  if (options.json === true) return io.out(JSON.stringify(result, null, 2));
  printPreview(io, result, options.lang);
  if (options.content === true) for (const p of result.policies) io.out(`${p.name}: ${p.content}`);
}

/** The report: its headline in both languages, then who, where, what and a few of the calls. */
export function printReport(io: CliIo, report: Report, lang: Lang): void {
  const h = T[lang];
  const f = report.findings;
  io.out(report.headline.ja);
  io.out(report.headline.en);
  io.out(`${lang === 'ja' ? 'レポート' : 'report'} ${report.id}  ${report.ouPath} ${report.kind}  ${day(report.since)} – ${day(report.until)}  ${lang === 'ja' ? '対象アカウント' : 'accounts in scope'}: ${f.accountsInScope}`);
  const table = (title: string, head: string, counts: { key: string; count: number }[]) => {
    if (counts.length === 0) return;
    io.out('');
    io.out(title);
    for (const line of formatTable([head, h.count], counts.map((c) => [c.key, String(c.count)]))) io.out(line);
  };
  table(lang === 'ja' ? 'プリンシパル別' : 'By principal', h.principal, f.byPrincipal);
  table(lang === 'ja' ? 'アカウント別' : 'By account', h.account, f.byAccount);
  table(lang === 'ja' ? 'アクション別' : 'By action', h.action, f.byAction);
  table(lang === 'ja' ? '拒否した文別' : 'By statement', h.statement, f.byStatement);
  if (f.samples.length > 0) {
    io.out('');
    io.out(lang === 'ja' ? '例' : 'Samples');
    for (const line of formatTable([h.time, h.account, h.principal, h.action, h.region], f.samples.map((s) => [s.eventTime, s.accountId, s.principal, s.action, s.region]))) io.out(line);
  }
  io.out('');
  if (report.inAudit) {
    io.out(`${lang === 'ja' ? '適用するには' : 'to enforce'}: hatoba guardrails stage ${report.ouPath} enforce --report ${report.id} --reason "…"`);
  } else {
    io.out(lang === 'ja' ? 'このレポートは audit 中に計算されていないため、適用の根拠にはなりません' : 'this report was not computed in audit: it cannot allow enforcing');
  }
}

async function impact(client: ApiClient, io: CliIo, ou: string, options: Common & { since?: string }): Promise<void> {
  if (options.since !== undefined && Number.isNaN(Date.parse(options.since))) throw new UsageError(`--since: "${options.since}" is not a date (YYYY-MM-DD or an ISO 8601 time)`);
  const body = { kind: options.kind, ...(options.since === undefined ? {} : { since: options.since }) };
  const report = await client.request('POST', `${targetPath(ou)}/impact`, ImpactReport, body);
  if (options.json === true) return io.out(JSON.stringify(report, null, 2));
  printReport(io, report, options.lang);
}

async function stage(client: ApiClient, io: CliIo, ou: string, to: string, options: Common & { report?: string; reason: string; acceptEmptyReport?: boolean }): Promise<void> {
  const body = {
    stage: to,
    reason: options.reason,
    kind: options.kind,
    ...(options.report === undefined ? {} : { impactReportId: options.report }),
    ...(options.acceptEmptyReport === true ? { acceptEmptyReport: true } : {}),
  };
  const result = await client.request('POST', `${targetPath(ou)}/stage`, StageResult, body);
  if (options.json === true) return io.out(JSON.stringify(result, null, 2));
  const t = result.target;
  const now = stageText(t, options.lang);
  if (!result.changed) io.out(options.lang === 'ja' ? `${t.ouPath} はすでに ${now} です（付与状態を確認しました）` : `${t.ouPath} is already ${now} (attachments checked)`);
  else io.out(options.lang === 'ja' ? `${t.ouPath} ${t.kind}: ${now} にしました` : `${t.ouPath} ${t.kind}: now ${now}`);
  if (result.policyIds.length > 0) io.out(`${options.lang === 'ja' ? '付与中' : 'attached'}: ${result.policyIds.join(', ')}`);
}

export const guardrailVerbs: VerbModule = (program, { client, io }) => {
  const guardrails = subcommand(program, 'guardrails', 'preventive guardrails per OU: select controls, preview policies, audit their impact, enforce');
  const common = (command: Command): Command => command.addOption(kindOption()).option('--json', 'print JSON').addOption(langOption());

  common(guardrails.command('list').description('OUs with their stage and selected controls')).action(async (options: Common) => runVerb(io, () => listTargets(client(), io, options)));

  common(
    guardrails
      .command('select <ou>')
      .description('select the preventive controls of an OU (an OU path such as /Workloads/Prod, or its id)')
      .requiredOption('--controls <ids>', 'control ids, comma-separated (empty: none)')
      .option('--reason <text>', 'why, for the history'),
  ).action(async (ou: string, options: Common & { controls: string; reason?: string }) => runVerb(io, () => selectControls(client(), io, ou, options)));

  common(
    guardrails
      .command('preview <ou>')
      .description('the policies the selected controls generate: sizes against the 5,120 limit, lint warnings')
      .option('--controls <ids>', 'preview these controls instead of the selection')
      .option('--content', 'print each policy document'),
  ).action(async (ou: string, options: Common & { controls?: string; content?: boolean }) => runVerb(io, () => preview(client(), io, ou, options)));

  common(
    guardrails
      .command('impact <ou>')
      .description('replay the activity log of the OU subtree against the proposed policies: what they would have denied')
      .option('--since <date>', 'replay from this date (default: the server lookback, HATOBA_IMPACT_LOOKBACK_DAYS, 30 days unless set)'),
  ).action(async (ou: string, options: Common & { since?: string }) => runVerb(io, () => impact(client(), io, ou, options)));

  common(
    guardrails
      .command('stage <ou>')
      .description('move an OU to off, audit or enforce (enforce needs --report: an impact report computed in audit)')
      .addArgument(new Argument('<stage>', 'off, audit or enforce').choices(['off', 'audit', 'enforce']))
      .option('--report <id>', 'the impact report you reviewed (for enforce)')
      .option('--accept-empty-report', 'enforce even though the report replayed no calls (say why in --reason)')
      .requiredOption('--reason <text>', 'why, for the history'),
  ).action(async (ou: string, to: string, options: Common & { report?: string; reason: string; acceptEmptyReport?: boolean }) => runVerb(io, () => stage(client(), io, ou, to, options)));
};

