import { Option } from 'commander';
import { AccountPage, REGISTRY_VOCABULARY, type AccountView } from '../contracts/registry.js';
import type { ApiClient } from './client.js';
import type { CliIo, VerbModule } from './program.js';
import { fetchPages, formatTable, langOption, queryString, runVerb, subcommand, type Lang } from './shared.js';

function accountRows(items: AccountView[], lang: Lang): string[][] {
  return items.map((a) => [
    a.name,
    `${a.tenant.code} ${lang === 'ja' ? a.tenant.nameJa : a.tenant.nameEn}`,
    a.system.slug,
    a.environment,
    a.statusLabel[lang],
    a.providerAccountId ?? '-',
    a.ouPath ?? '-',
  ]);
}

type AccountListOptions = { tenant?: string; system?: string; status?: string; environment?: string; limit: string; cursor?: string; all?: boolean; json?: boolean; lang: Lang };

async function listAccounts(client: ApiClient, io: CliIo, options: AccountListOptions): Promise<void> {
  const page = await fetchPages(
    (cursor) =>
      client.request(
        'GET',
        `/api/accounts${queryString({ tenant: options.tenant, system: options.system, status: options.status, environment: options.environment, limit: options.limit, cursor })}`,
        AccountPage,
      ),
    { cursor: options.cursor, all: options.all === true },
  );
  if (options.json === true) return io.out(JSON.stringify(options.all === true ? page.items : page, null, 2));
  if (page.items.length === 0) return io.out('no accounts');
  const header = options.lang === 'ja' ? ['名前', 'テナント', 'システム', '環境', '状態', 'アカウントID', 'OU'] : ['NAME', 'TENANT', 'SYSTEM', 'ENV', 'STATUS', 'ACCOUNT ID', 'OU'];
  for (const line of formatTable(header, accountRows(page.items, options.lang))) io.out(line);
  if (page.nextCursor !== undefined) io.out(`more: --cursor ${page.nextCursor} (or --all)`);
}

/** `hatoba accounts list`: the registry's accounts as a table, or JSON. */
export const accountVerbs: VerbModule = (program, { client, io }) => {
  const accounts = subcommand(program, 'accounts', 'accounts and account requests');
  accounts
    .command('list')
    .description('list accounts, newest first')
    .option('--tenant <tenant>', 'tenant id or official code')
    .option('--system <id>', 'system id')
    .addOption(new Option('--status <status>', 'account status').choices(REGISTRY_VOCABULARY.accountStatuses.map((t) => t.value)))
    .addOption(new Option('--environment <env>', 'environment').choices(REGISTRY_VOCABULARY.environments.map((t) => t.value)))
    .option('--limit <n>', 'page size (1–500)', '50')
    .option('--cursor <cursor>', 'continue after a previous page')
    .option('--all', 'follow every page')
    .option('--json', 'print JSON')
    .addOption(langOption())
    .action(async (options: AccountListOptions) => runVerb(io, () => listAccounts(client(), io, options)));
};
