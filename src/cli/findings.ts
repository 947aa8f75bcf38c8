import { Option } from 'commander';
import {
  AccountPostureView,
  EstatePostureView,
  FINDING_STATUSES,
  FindingPage,
  FindingView,
  SEVERITIES,
  SEVERITY_LABELS,
  SweepResultView,
  TenantPostureView,
  type PostureScoreView,
} from '../contracts/posture.js';
import type { ApiClient } from './client.js';
import { UsageError, type CliIo, type VerbModule } from './program.js';
import { fetchPages, formatTable, langOption, queryString, runVerb, subcommand, type Lang } from './shared.js';

/** A score as people read it: 87.5%, or '-' when nothing was scored. */
export const percent = (score: number | null): string => (score === null ? '-' : `${(Math.floor(score * 1_000) / 10).toFixed(1)}%`);

type Tally = PostureScoreView['checks'];

const WORDS: Record<
  Lang,
  { findings: string[]; none: string; score: string; target: string; met: string; missed: string; checks: (t: Tally) => string; severities: string[]; accounts: string[]; tenants: string[]; estate: string }
> = {
  ja: {
    findings: ['ID', '重要度', '状態', 'コントロール', 'アカウント', 'リソース'],
    none: '該当する検出結果はありません',
    score: 'スコア',
    target: '目標',
    met: '達成',
    missed: '未達',
    checks: (t) => `チェック: 合格 ${t.passed} / 不合格 ${t.failed} / 抑制 ${t.suppressed} / 評価不能 ${t.errored} (計 ${t.total})`,
    severities: ['重要度', '合格', '不合格', '抑制', '評価不能'],
    accounts: ['アカウント', 'アカウントID', '環境', 'スコア', '重大', '高', '中', '低'],
    tenants: ['テナント', '名称', 'スコア', '重大', '高', '中', '低'],
    estate: '全体',
  },
  en: {
    findings: ['ID', 'SEVERITY', 'STATUS', 'CONTROL', 'ACCOUNT', 'RESOURCE'],
    none: 'no findings',
    score: 'score',
    target: 'target',
    met: 'met',
    missed: 'missed',
    checks: (t) => `checks: ${t.passed} passed / ${t.failed} failed / ${t.suppressed} suppressed / ${t.errored} not evaluable (${t.total} in all)`,
    severities: ['SEVERITY', 'PASSED', 'FAILED', 'SUPPRESSED', 'NOT EVALUABLE'],
    accounts: ['ACCOUNT', 'ACCOUNT ID', 'ENV', 'SCORE', 'CRITICAL', 'HIGH', 'MEDIUM', 'LOW'],
    tenants: ['TENANT', 'NAME', 'SCORE', 'CRITICAL', 'HIGH', 'MEDIUM', 'LOW'],
    estate: 'estate',
  },
};

/** Active findings per severity (critical, high, medium, low): what the tables show beside a score. */
const failedBySeverity = (s: PostureScoreView): string[] => [s.bySeverity.critical, s.bySeverity.high, s.bySeverity.medium, s.bySeverity.low].map((t) => String(t.failed));

function scoreLines(s: PostureScoreView, lang: Lang): string[] {
  const w = WORDS[lang];
  const verdict = s.meetsTarget === null ? '' : `: ${s.meetsTarget ? w.met : w.missed}`;
  return [`${w.score} ${percent(s.score)} (${w.target} ${percent(s.target)}${verdict})`, w.checks(s.checks)];
}

type ListOptions = { tenant?: string; account?: string; control?: string; severity?: string; status: string; type?: string; limit: string; cursor?: string; all?: boolean; json?: boolean; lang: Lang };

function findingRows(items: FindingView[], lang: Lang): string[][] {
  return items.map((f) => [f.id, f.severityLabel[lang], f.statusLabel[lang], `${f.controlId} ${f.controlTitle?.[lang] ?? ''}`.trim(), f.accountId, `${f.resourceType} ${f.resourceId}`]);
}

async function listFindings(client: ApiClient, io: CliIo, options: ListOptions): Promise<void> {
  const query = {
    tenant: options.tenant,
    account: options.account,
    control: options.control,
    severity: options.severity,
    status: options.status === 'all' ? undefined : options.status,
    resourceType: options.type,
    limit: options.limit,
  };
  const page = await fetchPages((cursor) => client.request('GET', `/api/findings${queryString({ ...query, cursor })}`, FindingPage), { cursor: options.cursor, all: options.all === true });
  if (options.json === true) return io.out(JSON.stringify(options.all === true ? page.items : page, null, 2));
  if (page.items.length === 0) return io.out(WORDS[options.lang].none);
  for (const line of formatTable(WORDS[options.lang].findings, findingRows(page.items, options.lang))) io.out(line);
  if (page.nextCursor !== undefined) io.out(`more: --cursor ${page.nextCursor} (or --all)`);
}

const SHOW_WORDS: Record<Lang, { seen: (f: FindingView) => string; suppressed: (s: NonNullable<FindingView['suppression']>) => string }> = {
  ja: {
    seen: (f) => `初回検出 ${f.firstSeen}、最終検出 ${f.lastSeen}${f.resolvedAt === null ? '' : `、解決 ${f.resolvedAt}`}`,
    suppressed: (s) => `${s.by} が ${s.until} まで抑制: ${s.reason}`,
  },
  en: {
    seen: (f) => `first seen ${f.firstSeen}, last seen ${f.lastSeen}${f.resolvedAt === null ? '' : `, resolved ${f.resolvedAt}`}`,
    suppressed: (s) => `suppressed by ${s.by} until ${s.until}: ${s.reason}`,
  },
};

function printFinding(io: CliIo, f: FindingView, lang: Lang): void {
  io.out(`${f.id}  ${f.severityLabel[lang]}  ${f.statusLabel[lang]}`);
  io.out(`  ${f.controlId} ${f.controlTitle?.[lang] ?? ''}`.trimEnd());
  io.out(`  ${f.accountId} ${f.region} ${f.resourceType} ${f.resourceId}${f.resourceArn === null ? '' : ` (${f.resourceArn})`}`);
  io.out(`  ${SHOW_WORDS[lang].seen(f)}`);
  if (f.message !== null) io.out(`  ${f.message}`);
  if (f.suppression !== null) io.out(`  ${SHOW_WORDS[lang].suppressed(f.suppression)}`);
}

type PostureOptions = { tenant?: string; account?: string; json?: boolean; lang: Lang };

async function showPosture(client: ApiClient, io: CliIo, options: PostureOptions): Promise<void> {
  const w = WORDS[options.lang];
  const name = (t: { nameJa: string; nameEn: string }) => (options.lang === 'ja' ? t.nameJa : t.nameEn);
  if (options.tenant !== undefined && options.account !== undefined) throw new UsageError('give --tenant or --account, not both');
  if (options.account !== undefined) {
    const p = await client.request('GET', `/api/posture/accounts/${encodeURIComponent(options.account)}`, AccountPostureView);
    if (options.json === true) return io.out(JSON.stringify(p, null, 2));
    io.out(`${p.account.name} (${p.account.providerAccountId ?? '-'})  ${p.tenant.code} ${name(p.tenant)}`);
    for (const line of scoreLines(p.score, options.lang)) io.out(line);
    const table = SEVERITIES.map((s) => {
      const t = p.score.bySeverity[s];
      return [SEVERITY_LABELS[s][options.lang], String(t.passed), String(t.failed), String(t.suppressed), String(t.errored)];
    });
    for (const line of formatTable(w.severities, table)) io.out(line);
    return;
  }
  if (options.tenant !== undefined) {
    const p = await client.request('GET', `/api/posture/tenants/${encodeURIComponent(options.tenant)}`, TenantPostureView);
    if (options.json === true) return io.out(JSON.stringify(p, null, 2));
    io.out(`${p.tenant.code} ${name(p.tenant)}`);
    for (const line of scoreLines(p.score, options.lang)) io.out(line);
    const rows = p.accounts.map((a) => [a.account.name, a.account.providerAccountId ?? '-', a.account.environment, percent(a.score.score), ...failedBySeverity(a.score)]);
    for (const line of formatTable(w.accounts, rows)) io.out(line);
    return;
  }
  const p = await client.request('GET', '/api/posture', EstatePostureView);
  if (options.json === true) return io.out(JSON.stringify(p, null, 2));
  io.out(w.estate);
  for (const line of scoreLines(p.score, options.lang)) io.out(line);
  const rows = p.tenants.map((t) => [t.tenant?.code ?? '-', t.tenant === null ? '-' : name(t.tenant), percent(t.score.score), ...failedBySeverity(t.score)]);
  for (const line of formatTable(w.tenants, rows)) io.out(line);
}

/** `hatoba findings list|show|suppress|unsuppress`, `hatoba posture [--tenant CODE | --account ID]`, `hatoba posture sweep`. */
export const findingVerbs: VerbModule = (program, { client, io }) => {
  const findings = subcommand(program, 'findings', 'detective findings: what the controls found on live resources');
  findings
    .command('list')
    .description('list findings, most severe first, then newest')
    .option('--tenant <tenant>', 'tenant id or official code')
    .option('--account <account>', 'registry account id (acc_…) or provider account id')
    .option('--control <id>', 'control id, e.g. HTB-VPC-004')
    .addOption(new Option('--severity <severity>', 'severity').choices(SEVERITIES))
    .addOption(new Option('--status <status>', 'status').choices([...FINDING_STATUSES, 'all']).default('active'))
    .option('--type <type>', 'resource type, e.g. AWS::S3::Bucket')
    .option('--limit <n>', 'page size (1–500)', '50')
    .option('--cursor <cursor>', 'continue after a previous page')
    .option('--all', 'follow every page')
    .option('--json', 'print JSON')
    .addOption(langOption())
    .action(async (options: ListOptions) => runVerb(io, () => listFindings(client(), io, options)));

  findings
    .command('show <id>')
    .description('one finding')
    .option('--json', 'print JSON')
    .addOption(langOption())
    .action(async (id: string, options: { json?: boolean; lang: Lang }) =>
      runVerb(io, async () => {
        const f = await client().request('GET', `/api/findings/${encodeURIComponent(id)}`, FindingView);
        if (options.json === true) return io.out(JSON.stringify(f, null, 2));
        printFinding(io, f, options.lang);
      }),
    );

  findings
    .command('suppress <id>')
    .description('accept a finding’s risk until a date (at most a year); it counts as passed meanwhile')
    .requiredOption('--reason <text>', 'why the risk is accepted (recorded with your e-mail address)')
    .requiredOption('--until <date>', 'expiry: YYYY-MM-DD (through the end of that day, Japan time) or an ISO 8601 time')
    .addOption(langOption())
    .action(async (id: string, options: { reason: string; until: string; lang: Lang }) =>
      runVerb(io, async () => {
        const f = await client().request('POST', `/api/findings/${encodeURIComponent(id)}/suppress`, FindingView, { reason: options.reason, until: options.until });
        io.out(`${f.id}: ${f.statusLabel[options.lang]} (${f.suppression?.until ?? ''})`);
      }),
    );

  findings
    .command('unsuppress <id>')
    .description('end a suppression; the finding becomes active or resolved by its latest check')
    .addOption(langOption())
    .action(async (id: string, options: { lang: Lang }) =>
      runVerb(io, async () => {
        const f = await client().request('POST', `/api/findings/${encodeURIComponent(id)}/unsuppress`, FindingView);
        io.out(`${f.id}: ${f.statusLabel[options.lang]}`);
      }),
    );

  const posture = subcommand(program, 'posture', 'posture scores (severity-weighted share of passed checks; target 90%)')
    .option('--tenant <tenant>', 'one tenant, by id or official code, with its accounts')
    .option('--account <account>', 'one account, by registry id (acc_…) or provider account id')
    .option('--json', 'print JSON')
    .addOption(langOption())
    .action(async (options: PostureOptions) => runVerb(io, () => showPosture(client(), io, options)));

  posture
    .command('sweep')
    .description('re-evaluate every account from its whole inventory now')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) =>
      runVerb(io, async () => {
        const r = await client().request('POST', '/api/posture/sweep', SweepResultView);
        if (options.json === true) return io.out(JSON.stringify(r, null, 2));
        io.out(`swept ${r.accounts} account(s), ${r.resources} resource(s): ${r.checks} check(s), ${r.opened} finding(s) opened, ${r.reopened} reopened, ${r.resolved} resolved`);
      }),
    );
};
