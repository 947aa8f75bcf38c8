import { Option } from 'commander';
import { PeoplePage, PersonDetailView, PersonResult } from '../contracts/people.js';
import type { ApiClient } from './client.js';
import { UsageError, type CliIo, type VerbModule } from './program.js';
import { fetchPages, formatTable, langOption, queryString, runVerb, subcommand, type Lang } from './shared.js';

/** A duration for people: 850 ms, 12 s, 3 min 5 s, 2 h 10 min. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1_000) return `${ms} ms`;
  const seconds = Math.round(ms / 1_000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const SUMMARY: Record<PersonDetailView['summary']['status'], { ja: string; en: string }> = {
  no_accounts: { ja: 'アカウントなし', en: 'No accounts' },
  pending: { ja: '付与中', en: 'Being granted' },
  ready: { ja: 'サインイン可能', en: 'Can sign in' },
  failed: { ja: '失敗あり', en: 'Failed' },
  removing: { ja: '削除中', en: 'Being removed' },
  removed: { ja: '削除済み', en: 'Removed' },
};

const roleText = (p: PersonDetailView, lang: Lang): string => p.person.roleLabels.map((l) => l[lang]).join(', ');

type ListOptions = { tenant?: string; central?: boolean; removed?: boolean; limit: string; cursor?: string; all?: boolean; json?: boolean; lang: Lang };

async function listPeople(client: ApiClient, io: CliIo, options: ListOptions): Promise<void> {
  if ((options.tenant === undefined) === (options.central !== true)) throw new UsageError('give --tenant <id or code>, or --central');
  const base = options.tenant === undefined ? '/api/central/people' : `/api/tenants/${encodeURIComponent(options.tenant)}/people`;
  const query = { limit: options.limit, includeRemoved: options.removed === true ? 'true' : undefined };
  const page = await fetchPages((cursor) => client.request('GET', `${base}${queryString({ ...query, cursor })}`, PeoplePage), { cursor: options.cursor, all: options.all === true });
  if (options.json === true) return io.out(JSON.stringify(options.all === true ? page.items : page, null, 2));
  if (page.items.length === 0) return io.out(options.lang === 'ja' ? '利用者はいません' : 'no people');
  const header = options.lang === 'ja' ? ['ID', 'メール', '氏名', '役割', 'アクセス', '準備済み', 'サインイン可能まで'] : ['ID', 'E-MAIL', 'NAME', 'ROLE', 'ACCESS', 'READY', 'TIME TO ACCESS'];
  const rows = page.items.map((p) => [p.person.id, p.person.email, p.person.name, roleText(p, options.lang), SUMMARY[p.summary.status][options.lang], `${p.summary.ready}/${p.summary.accounts}`, formatDuration(p.summary.timeToAccessMs)]);
  for (const line of formatTable(header, rows)) io.out(line);
  if (page.nextCursor !== undefined) io.out(`more: --cursor ${page.nextCursor} (or --all)`);
}

function printPerson(io: CliIo, detail: PersonDetailView, lang: Lang): void {
  const p = detail.person;
  io.out(`${p.id}  ${p.email}  ${p.name}  ${roleText(detail, lang)}${p.tenant === null ? '' : `  ${p.tenant.code}`}${p.status === 'removed' ? `  (${SUMMARY.removed[lang]})` : ''}`);
  io.out(`${lang === 'ja' ? 'アクセス' : 'access'}: ${SUMMARY[detail.summary.status][lang]}, ${detail.summary.ready}/${detail.summary.accounts}, ${lang === 'ja' ? '追加からサインイン可能まで' : 'added to can sign in'} ${formatDuration(detail.summary.timeToAccessMs)}`);
  if (detail.access.length === 0) return;
  const header = lang === 'ja' ? ['アカウント', '環境', 'アカウントID', '権限セット', '状態', '所要時間'] : ['ACCOUNT', 'ENV', 'ACCOUNT ID', 'PERMISSION SET', 'STATUS', 'TIME TO ACCESS'];
  const rows = detail.access.map((a) => [a.accountName, a.environment, a.providerAccountId ?? '-', a.permissionSetLabel[lang], a.statusLabel[lang], formatDuration(a.timeToAccessMs)]);
  for (const line of formatTable(header, rows)) io.out(line);
}

type AddOptions = { tenant?: string; central?: boolean; email: string; name: string; role?: string; roles?: string; dryRun?: boolean; json?: boolean; lang: Lang };

const TENANT_ROLES: Record<string, string> = { admin: 'tenant_admin', member: 'tenant_member', tenant_admin: 'tenant_admin', tenant_member: 'tenant_member' };

async function addPerson(client: ApiClient, io: CliIo, options: AddOptions): Promise<void> {
  if ((options.tenant === undefined) === (options.central !== true)) throw new UsageError('give --tenant <id or code>, or --central');
  const dry = queryString({ dryRun: options.dryRun === true ? 'true' : undefined });
  const result =
    options.tenant === undefined
      ? await client.request('POST', `/api/central/people${dry}`, PersonResult, { email: options.email, name: options.name, roles: (options.roles ?? '').split(',').map((r) => r.trim()).filter((r) => r !== '') })
      : await client.request('POST', `/api/tenants/${encodeURIComponent(options.tenant)}/people${dry}`, PersonResult, {
          email: options.email,
          name: options.name,
          ...(options.role === undefined ? {} : { role: TENANT_ROLES[options.role] ?? options.role }),
        });
  if (options.json === true) return io.out(JSON.stringify(result, null, 2));
  if (result.dryRun) io.out(options.lang === 'ja' ? '試行: 次の内容で追加されます(何も変更していません)' : 'dry run: would add (nothing changed)');
  printPerson(io, result.person, options.lang);
}

async function showPerson(client: ApiClient, io: CliIo, id: string, options: { json?: boolean; lang: Lang }): Promise<void> {
  const detail = await client.request('GET', `/api/people/${encodeURIComponent(id)}`, PersonDetailView);
  if (options.json === true) return io.out(JSON.stringify(detail, null, 2));
  printPerson(io, detail, options.lang);
}

async function removePerson(client: ApiClient, io: CliIo, id: string, options: { dryRun?: boolean; json?: boolean; lang: Lang }): Promise<void> {
  const result = await client.request('DELETE', `/api/people/${encodeURIComponent(id)}${queryString({ dryRun: options.dryRun === true ? 'true' : undefined })}`, PersonResult);
  if (options.json === true) return io.out(JSON.stringify(result, null, 2));
  const p = result.person.person;
  if (options.lang === 'ja') io.out(`${result.dryRun ? '試行: 削除されます' : '削除しました'}: ${p.email}(サインイン中のセッションは終了、${result.person.access.length} 件のアクセスを削除)`);
  else io.out(`${result.dryRun ? 'dry run: would remove' : 'removed'} ${p.email} (sessions ended, ${result.person.access.length} account access(es) being removed)`);
}

/** `hatoba people list|add|show|remove`. */
export const peopleVerbs: VerbModule = (program, { client, io }) => {
  const people = subcommand(program, 'people', "people and their access to their tenant's accounts");
  people
    .command('list')
    .description("list a tenant's people (or the central people) with their access and the time from added to can sign in")
    .option('--tenant <tenant>', 'tenant id or official code')
    .option('--central', 'the central people instead')
    .option('--removed', 'include removed people')
    .option('--limit <n>', 'page size (1–500)', '50')
    .option('--cursor <cursor>', 'continue after a previous page')
    .option('--all', 'follow every page')
    .option('--json', 'print JSON')
    .addOption(langOption())
    .action(async (options: ListOptions) => runVerb(io, () => listPeople(client(), io, options)));

  people
    .command('add')
    .description("add a person to a tenant (assigned to every ready account of the tenant), or a central person with --central")
    .option('--tenant <tenant>', 'tenant id or official code')
    .option('--central', 'a central person (give --roles)')
    .requiredOption('--email <email>', 'e-mail address (also their user name in the identity store)')
    .requiredOption('--name <name>', 'full name')
    .addOption(new Option('--role <role>', 'tenant role').choices(['admin', 'member', 'tenant_admin', 'tenant_member']))
    .option('--roles <roles>', 'central roles, comma-separated: operator, security_officer, auditor')
    .option('--dry-run', 'check and show what would be done, change nothing')
    .option('--json', 'print JSON')
    .addOption(langOption())
    .action(async (options: AddOptions) => runVerb(io, () => addPerson(client(), io, options)));

  people
    .command('show <id>')
    .description("a person's access to each account, its status and how long it took")
    .option('--json', 'print JSON')
    .addOption(langOption())
    .action(async (id: string, options: { json?: boolean; lang: Lang }) => runVerb(io, () => showPerson(client(), io, id, options)));

  people
    .command('remove <id>')
    .description('remove a person: their sessions end now, and every assignment and their identity store user are removed')
    .option('--dry-run', 'show what would be removed, change nothing')
    .option('--json', 'print JSON')
    .addOption(langOption())
    .action(async (id: string, options: { dryRun?: boolean; json?: boolean; lang: Lang }) => runVerb(io, () => removePerson(client(), io, id, options)));
};
