import { Option, type Command } from 'commander';
import { AccountPage, REGISTRY_VOCABULARY, type AccountView } from '../contracts/registry.js';
import type { ApiClient } from './client.js';
import { describeError, exitCodeOf, type CliIo, type VerbModule } from './program.js';

/** Finds the verb group another module may already have created (e.g. `accounts request`), or makes it. */
export const subcommand = (program: Command, name: string, description: string): Command =>
  program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);

// Wide (East Asian) characters take two terminal columns; tables of Japanese names must count them so.
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u;
export const displayWidth = (text: string): number => [...text].reduce((width, ch) => width + (WIDE.test(ch) ? 2 : 1), 0);

/** A plain table: a header, columns padded to their widest cell (by display width). */
export function formatTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - displayWidth(cell))))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export const queryString = (params: Record<string, string | undefined>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, value);
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
};

/** Fetches one page, or every page when `all` is set (following nextCursor). */
export async function fetchPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | undefined }>,
  options: { cursor?: string | undefined; all: boolean },
): Promise<{ items: T[]; nextCursor?: string | undefined }> {
  let page = await fetchPage(options.cursor);
  if (!options.all) return page;
  const items = [...page.items];
  while (page.nextCursor !== undefined) {
    page = await fetchPage(page.nextCursor);
    items.push(...page.items);
  }
  return { items };
}

export type Lang = 'ja' | 'en';
export const langOption = () => new Option('--lang <lang>', 'language of labels and names').choices(['ja', 'en']).default('ja');

/** Runs a verb's action, printing a failure and setting the exit code once (see exitCodeOf). */
export async function runVerb(io: CliIo, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    io.err(describeError(error));
    process.exitCode = exitCodeOf(error);
  }
}

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
