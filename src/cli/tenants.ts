import { Option } from 'commander';
import { REGISTRY_VOCABULARY, TenantImportResult, TenantPage, type Tenant } from '../contracts/registry.js';
import type { ApiClient } from './client.js';
import type { CliIo, VerbModule } from './program.js';
import { fetchPages, formatTable, langOption, queryString, readCsvFile, runVerb, subcommand, type Lang } from './shared.js';

type ImportOptions = { dryRun?: boolean; update?: boolean; json?: boolean };

async function importTenants(client: ApiClient, io: CliIo, file: string, options: ImportOptions): Promise<void> {
  const text = await readCsvFile(file, io);
  const path = `/api/tenants/import${queryString({ dryRun: options.dryRun === true ? 'true' : undefined, update: options.update === true ? 'true' : undefined })}`;
  // A refused file comes back as a problem listing every bad row and column; runVerb prints it and exits 2.
  const result = await client.requestText('POST', path, 'text/csv; charset=utf-8', text, TenantImportResult);
  if (options.json === true) return io.out(JSON.stringify(result, null, 2));
  const verb = result.dryRun ? 'valid: would create' : 'imported: created';
  io.out(`${verb} ${result.created} and ${result.dryRun ? 'update' : 'updated'} ${result.updated} organisation(s) from ${file}`);
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
