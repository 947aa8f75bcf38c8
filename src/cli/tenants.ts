import { readFile } from 'node:fs/promises';
import { Option } from 'commander';
import { Problem } from '../contracts/common.js';
import { REGISTRY_VOCABULARY, TenantImportResult, TenantPage, type Tenant } from '../contracts/registry.js';
import { ApiError, type ApiClient } from './client.js';
import { exitCodeOf, type CliIo, type VerbModule } from './program.js';
import { fetchPages, formatTable, langOption, queryString, runVerb, subcommand, type Lang } from './accounts.js';

/**
 * Japanese spreadsheets are often saved as Shift_JIS; read UTF-8 when the bytes are UTF-8, else
 * Shift_JIS, and say so, rather than importing mojibake names.
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'shift_jis' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('shift_jis').decode(bytes), encoding: 'shift_jis' };
  }
}

/** Every problem on its own line, CSV locations as "row 12, code". */
export function formatImportProblem(problem: Problem): string[] {
  return [
    problem.message,
    ...problem.issues.map((issue) => {
      const [first, row, column] = issue.path;
      const where = first === 'row' ? `row ${String(row)}${column === undefined ? '' : `, ${String(column)}`}` : issue.path.join('.');
      return `  ${where}: ${issue.message}`;
    }),
  ];
}

type ImportOptions = { dryRun?: boolean; update?: boolean; json?: boolean };

async function importTenants(client: ApiClient, io: CliIo, file: string, options: ImportOptions): Promise<void> {
  const { text, encoding } = decodeCsv(await readFile(file));
  if (encoding === 'shift_jis') io.err(`${file} is not UTF-8; read it as Shift_JIS`);
  try {
    const path = `/api/tenants/import${queryString({ dryRun: options.dryRun === true ? 'true' : undefined, update: options.update === true ? 'true' : undefined })}`;
    const result = await client.requestText('POST', path, 'text/csv; charset=utf-8', text, TenantImportResult);
    if (options.json === true) return io.out(JSON.stringify(result, null, 2));
    const verb = result.dryRun ? 'valid: would create' : 'imported: created';
    io.out(`${verb} ${result.created} and ${result.dryRun ? 'update' : 'updated'} ${result.updated} organisation(s) from ${file}`);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // The CSV problems, one per line with row and column; the exit code says invalid (2).
    for (const line of formatImportProblem(error.problem)) io.err(line);
    process.exitCode = exitCodeOf(error);
  }
}

type ListOptions = { kind?: string; prefecture?: string; parent?: string; search?: string; limit: string; cursor?: string; all?: boolean; json?: boolean; lang: Lang };

function tenantRows(items: Tenant[], lang: Lang): string[][] {
  return items.map((t) => [t.code, t.kindLabel[lang], t.nameJa, t.nameEn, t.parentCode ?? '-', t.billingEmail]);
}

async function listTenants(client: ApiClient, io: CliIo, options: ListOptions): Promise<void> {
  const query = { kind: options.kind, prefecture: options.prefecture, parentCode: options.parent, q: options.search, limit: options.limit };
  const page = await fetchPages((cursor) => client.request('GET', `/api/tenants${queryString({ ...query, cursor })}`, TenantPage), {
    cursor: options.cursor,
    all: options.all === true,
  });
  if (options.json === true) return io.out(JSON.stringify(options.all === true ? page.items : page, null, 2));
  if (page.items.length === 0) return io.out('no tenants');
  const header = options.lang === 'ja' ? ['コード', '種別', '名称', '英語名', '親団体', '請求先'] : ['CODE', 'KIND', 'NAME (JA)', 'NAME (EN)', 'PARENT', 'BILLING'];
  for (const line of formatTable(header, tenantRows(page.items, options.lang))) io.out(line);
  if (page.nextCursor !== undefined) io.out(`more: --cursor ${page.nextCursor} (or --all)`);
}

/** `hatoba tenants import FILE.csv` and `hatoba tenants list`. */
export const tenantVerbs: VerbModule = (program, { client, io }) => {
  const tenants = subcommand(program, 'tenants', 'tenants (organisations): ministries, prefectures, municipalities, …');
  tenants
    .command('import <file>')
    .description(
      'import organisations from CSV, all or nothing (header row; columns code, kind, name_ja, name_en, billing_email, ' +
        'parent_code, contact_name, contact_email, contact_role). Existing codes are refused unless --update',
    )
    .option('--dry-run', 'validate every row and report, change nothing')
    .option('--update', 'update organisations whose code is already registered')
    .option('--json', 'print JSON')
    .action(async (file: string, options: ImportOptions) => runVerb(io, () => importTenants(client(), io, file, options)));

  tenants
    .command('list')
    .description('list tenants by code')
    .addOption(new Option('--kind <kind>', 'organisation kind').choices(REGISTRY_VOCABULARY.organisationKinds.map((t) => t.value)))
    .option('--prefecture <nn>', 'two-digit prefecture number, e.g. 13')
    .option('--parent <code>', "parent's code")
    .option('--search <text>', 'part of a name or code')
    .option('--limit <n>', 'page size (1–500)', '50')
    .option('--cursor <cursor>', 'continue after a previous page')
    .option('--all', 'follow every page')
    .option('--json', 'print JSON')
    .addOption(langOption())
    .action(async (options: ListOptions) => runVerb(io, () => listTenants(client(), io, options)));
};
