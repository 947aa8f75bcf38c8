import { Option } from 'commander';
import { AuditExportFormat, AuditVerification } from '../contracts/audit.js';
import type { ApiClient } from './client.js';
import type { CliIo, VerbModule } from './program.js';
import { langOption, queryString, runVerb, subcommand, writeTextFile, type Lang } from './shared.js';

type VerifyOptions = { json?: boolean; lang: Lang };

/** Exit 0 when the chain is intact, 1 when it is broken, naming the first missing or altered entry. */
async function verify(client: ApiClient, io: CliIo, options: VerifyOptions): Promise<void> {
  const result = await client.request('GET', '/api/audit/verify', AuditVerification);
  if (options.json === true) io.out(JSON.stringify(result, null, 2));
  else if (result.intact) io.out(result.message[options.lang]);
  else io.err(result.message[options.lang]);
  if (!result.intact) process.exitCode = 1;
}

type ExportOptions = { format: AuditExportFormat; tenant?: string; from?: string; to?: string; output?: string; lang: Lang };

/** JSON Lines or CSV, each entry with its hash and prev_hash; to a file with `--output`. */
async function exportEntries(client: ApiClient, io: CliIo, options: ExportOptions): Promise<void> {
  const text = await client.download(`/api/audit/export${queryString({ format: options.format, tenant: options.tenant, from: options.from, to: options.to })}`);
  if (options.output === undefined) {
    for (const line of text.split(/\r?\n/)) if (line !== '') io.out(line);
    return;
  }
  await writeTextFile(options.output, text);
  io.err(options.lang === 'ja' ? `${options.output} に書き出しました` : `wrote ${options.output}`);
}

/** `hatoba audit verify` and `hatoba audit export`. */
export const auditVerbs: VerbModule = (program, { client, io }) => {
  const audit = subcommand(program, 'audit', 'the tamper-evident audit trail: verify its hash chain, export it');
  audit
    .command('verify')
    .description('walk the whole hash chain; exit 0 if intact, 1 naming the first missing or altered entry')
    .option('--json', 'print JSON')
    .addOption(langOption())
    .action(async (options: VerifyOptions) => runVerb(io, () => verify(client(), io, options)));

  audit
    .command('export')
    .description('export entries for the annual audit, each with its hash and prev_hash')
    .addOption(new Option('--format <format>', 'JSON Lines or CSV').choices(AuditExportFormat.options).default('jsonl'))
    .option('--tenant <code>', "only this tenant's entries")
    .option('--from <iso>', 'from this time (ISO 8601, inclusive)')
    .option('--to <iso>', 'until this time (ISO 8601, exclusive)')
    .option('--output <file>', 'write to this file instead of printing')
    .addOption(langOption())
    .action(async (options: ExportOptions) => runVerb(io, () => exportEntries(client(), io, options)));
};
