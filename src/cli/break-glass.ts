import { InvalidArgumentError, Option } from 'commander';
import {
  AlertPage,
  AlertView,
  GRANT_STATUSES,
  GrantActivityView,
  GrantPage,
  GrantView,
  MAX_GRANT_MINUTES,
  MIN_GRANT_MINUTES,
} from '../contracts/break-glass.js';
import type { ApiClient } from './client.js';
import type { CliIo, VerbModule } from './program.js';
import { fetchPages, formatTable, langOption, queryString, runVerb, subcommand, type Lang } from './shared.js';

/** `hatoba break-glass request|list|show|approve|deny|revoke|cancel|activity|alerts|acknowledge`. */

const DURATION = /^(?:(\d+)h)?(?:(\d+)m(?:in)?)?$/;

/** commander argParser: `90`, `90m`, `2h`, `1h30m` -> minutes, 15 to 1440; anything else exits 2. */
export function parseDuration(value: string): number {
  const text = value.trim().toLowerCase();
  const match = /^\d+$/.test(text) ? [text, undefined, text] : DURATION.exec(text);
  const minutes = match === null || (match[1] === undefined && match[2] === undefined) ? Number.NaN : Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
  if (!Number.isInteger(minutes) || minutes < MIN_GRANT_MINUTES || minutes > MAX_GRANT_MINUTES) {
    const error = new InvalidArgumentError(`must be ${MIN_GRANT_MINUTES} minutes to 24 hours, e.g. 90m, 2h or 1h30m.`);
    error.exitCode = 2;
    throw error;
  }
  return minutes;
}

const WORDS: Record<Lang, { grants: string[]; events: string[]; alerts: string[]; none: string; noEvents: string; noAlerts: string; truncated: string; window: string }> = {
  ja: {
    grants: ['ID', '状態', 'アカウント', '申請者', '期間', '期限'],
    events: ['時刻', 'サービス', '操作', 'エラー', 'リソース'],
    alerts: ['ID', '時刻', 'アカウント', '操作', '主体', '確認'],
    none: '該当する緊急アクセスはありません',
    noEvents: 'この緊急アクセスでの操作はありません',
    noAlerts: '警告はありません',
    truncated: '(件数が多いため一部のみ表示)',
    window: '期間',
  },
  en: {
    grants: ['ID', 'STATUS', 'ACCOUNT', 'REQUESTER', 'DURATION', 'EXPIRES'],
    events: ['TIME', 'SOURCE', 'EVENT', 'ERROR', 'RESOURCES'],
    alerts: ['ID', 'TIME', 'ACCOUNT', 'EVENT', 'PRINCIPAL', 'ACKNOWLEDGED'],
    none: 'no break-glass grants',
    noEvents: 'nothing was done under this grant',
    noAlerts: 'no alerts',
    truncated: '(cut: too many events)',
    window: 'window',
  },
};

const minutesText = (m: number): string => (m % 60 === 0 ? `${m / 60}h` : m > 60 ? `${Math.floor(m / 60)}h${m % 60}m` : `${m}m`);

function printGrant(io: CliIo, g: GrantView, lang: Lang): void {
  io.out(`${g.id}  ${g.statusLabel[lang]}  ${g.access.stateLabel[lang]}`);
  io.out(`  ${g.account.id} (${g.account.providerAccountId})  ${minutesText(g.durationMinutes)}`);
  io.out(`  ${g.requester.name} <${g.requester.email}>: ${g.reason}`);
  if (g.decision !== null) io.out(`  ${g.decision.at} ${g.decision.by}${g.decision.note === null ? '' : `: ${g.decision.note}`}`);
  if (g.startsAt !== null) io.out(`  ${WORDS[lang].window}: ${g.startsAt} .. ${g.ended?.at ?? g.expiresAt ?? ''}`);
  if (g.ended !== null && g.ended.note !== null) io.out(`  ${g.ended.by ?? ''}: ${g.ended.note}`);
  if (g.access.error !== null) io.out(`  ! ${g.access.error}`);
}

type ListOptions = { status?: string; account?: string; tenant?: string; limit: string; cursor?: string; all?: boolean; json?: boolean; lang: Lang };

async function listGrants(client: ApiClient, io: CliIo, options: ListOptions): Promise<void> {
  const query = { status: options.status, account: options.account, tenant: options.tenant, limit: options.limit };
  const page = await fetchPages((cursor) => client.request('GET', `/api/break-glass/grants${queryString({ ...query, cursor })}`, GrantPage), { cursor: options.cursor, all: options.all === true });
  if (options.json === true) return io.out(JSON.stringify(options.all === true ? page.items : page, null, 2));
  if (page.items.length === 0) return io.out(WORDS[options.lang].none);
  const rows = page.items.map((g) => [g.id, g.statusLabel[options.lang], g.account.providerAccountId, g.requester.email, minutesText(g.durationMinutes), g.expiresAt ?? '-']);
  for (const line of formatTable(WORDS[options.lang].grants, rows)) io.out(line);
  if (page.nextCursor !== undefined) io.out(`more: --cursor ${page.nextCursor} (or --all)`);
}

const grantPath = (id: string, verb = ''): string => `/api/break-glass/grants/${encodeURIComponent(id)}${verb === '' ? '' : `/${verb}`}`;

export const breakGlassVerbs: VerbModule = (program, { client, io }) => {
  const verbs = subcommand(program, 'break-glass', 'time-limited access to one tenant account, approved by the tenant (ADR 0013)');

  verbs
    .command('request')
    .description('(central operator) ask the tenant for access to one account')
    .requiredOption('--account <id>', 'registry account id (acc_…)')
    .requiredOption('--reason <text>', 'why access is needed (the tenant reads it)')
    .requiredOption('--duration <duration>', 'how long from approval: 15m to 24h (90m, 2h, 1h30m)', parseDuration)
    .option('--json', 'print JSON')
    .addOption(langOption())
    .action(async (options: { account: string; reason: string; duration: number; json?: boolean; lang: Lang }) =>
      runVerb(io, async () => {
        const g = await client().request('POST', '/api/break-glass/requests', GrantView, { accountId: options.account, reason: options.reason, durationMinutes: options.duration });
        if (options.json === true) return io.out(JSON.stringify(g, null, 2));
        printGrant(io, g, options.lang);
      }),
    );

  verbs
    .command('list')
    .description('grants you may see: your tenant’s, or those you requested (operators: all), newest first')
    .addOption(new Option('--status <status>', 'only this status').choices(GRANT_STATUSES))
    .option('--account <id>', 'only this registry account (acc_…)')
    .option('--tenant <tenant>', 'only this tenant (id or official code)')
    .option('--limit <n>', 'page size (1–500)', '50')
    .option('--cursor <cursor>', 'continue after a previous page')
    .option('--all', 'follow every page')
    .option('--json', 'print JSON')
    .addOption(langOption())
    .action(async (options: ListOptions) => runVerb(io, () => listGrants(client(), io, options)));

  verbs
    .command('show <id>')
    .description('one grant')
    .option('--json', 'print JSON')
    .addOption(langOption())
    .action(async (id: string, options: { json?: boolean; lang: Lang }) =>
      runVerb(io, async () => {
        const g = await client().request('GET', grantPath(id), GrantView);
        if (options.json === true) return io.out(JSON.stringify(g, null, 2));
        printGrant(io, g, options.lang);
      }),
    );

  const decision = (verb: 'approve' | 'deny' | 'revoke', description: string, noteRequired: boolean) =>
    verbs
      .command(`${verb} <id>`)
      .description(description)
      .option('--note <text>', noteRequired ? 'why (required)' : 'a note for the requester')
      .addOption(langOption())
      .action(async (id: string, options: { note?: string; lang: Lang }) =>
        runVerb(io, async () => {
          const g = await client().request('POST', grantPath(id, verb), GrantView, options.note === undefined ? {} : { note: options.note });
          io.out(`${g.id}: ${g.statusLabel[options.lang]} (${g.access.stateLabel[options.lang]})${g.expiresAt === null ? '' : ` -> ${g.expiresAt}`}`);
        }),
      );
  decision('approve', '(tenant admin) approve: access starts now and ends by itself', false);
  decision('deny', '(tenant admin) deny, saying why', true);
  decision('revoke', '(tenant admin) end an active grant now, saying why', true);

  verbs
    .command('cancel <id>')
    .description('(requester) withdraw a pending request')
    .addOption(langOption())
    .action(async (id: string, options: { lang: Lang }) =>
      runVerb(io, async () => {
        const g = await client().request('POST', grantPath(id, 'cancel'), GrantView);
        io.out(`${g.id}: ${g.statusLabel[options.lang]}`);
      }),
    );

  verbs
    .command('activity <id>')
    .description('(tenant) what was done under a grant, newest first')
    .option('--json', 'print JSON')
    .addOption(langOption())
    .action(async (id: string, options: { json?: boolean; lang: Lang }) =>
      runVerb(io, async () => {
        const a = await client().request('GET', grantPath(id, 'activity'), GrantActivityView);
        if (options.json === true) return io.out(JSON.stringify(a, null, 2));
        const w = WORDS[options.lang];
        printGrant(io, a.grant, options.lang);
        if (a.events.length === 0) return io.out(w.noEvents);
        const rows = a.events.map((e) => [e.eventTime, e.eventSource, e.eventName, e.errorCode ?? '', e.resources.join(' ')]);
        for (const line of formatTable(w.events, rows)) io.out(line);
        if (a.truncated) io.out(w.truncated);
      }),
    );

  verbs
    .command('alerts <tenant>')
    .description('(tenant) central-side activity in your accounts that no grant covered, newest first')
    .option('--unacknowledged', 'only the alerts nobody acknowledged yet')
    .option('--limit <n>', 'page size (1–500)', '50')
    .option('--cursor <cursor>', 'continue after a previous page')
    .option('--json', 'print JSON')
    .addOption(langOption())
    .action(async (tenant: string, options: { unacknowledged?: boolean; limit: string; cursor?: string; json?: boolean; lang: Lang }) =>
      runVerb(io, async () => {
        const query = queryString({ unacknowledged: options.unacknowledged === true ? 'true' : undefined, limit: options.limit, cursor: options.cursor });
        const page = await client().request('GET', `/api/tenants/${encodeURIComponent(tenant)}/alerts${query}`, AlertPage);
        if (options.json === true) return io.out(JSON.stringify(page, null, 2));
        if (page.items.length === 0) return io.out(WORDS[options.lang].noAlerts);
        const rows = page.items.map((a) => [a.id, a.eventTime, a.account.providerAccountId, a.eventName, a.principal, a.acknowledged === null ? '-' : a.acknowledged.at]);
        for (const line of formatTable(WORDS[options.lang].alerts, rows)) io.out(line);
        if (page.nextCursor !== undefined) io.out(`more: --cursor ${page.nextCursor}`);
      }),
    );

  verbs
    .command('acknowledge <tenant> <alert>')
    .description('(tenant admin) mark an alert seen')
    .action(async (tenant: string, alert: string) =>
      runVerb(io, async () => {
        const a = await client().request('POST', `/api/tenants/${encodeURIComponent(tenant)}/alerts/${encodeURIComponent(alert)}/acknowledge`, AlertView);
        io.out(`${a.id}: ${a.acknowledged?.at ?? ''}`);
      }),
    );
};
