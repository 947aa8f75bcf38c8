import { SingleBar, Presets } from 'cli-progress';
import { AbandonResult, AccountRequestDetail, AccountRequestPage, BatchProgress, SubmitResult } from '../contracts/requests.js';
import type { ApiClient } from './client.js';
import type { CliIo, VerbModule } from './program.js';
import { fetchPages, formatTable, langOption, positiveInteger, queryString, readCsvFile, runVerb, subcommand, type Lang } from './shared.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the batch until nothing is pending or running, drawing a progress bar on a terminal. */
async function follow(client: ApiClient, batchId: string, io: CliIo, intervalMs: number): Promise<BatchProgress> {
  const bar = io.isTty ? new SingleBar({ format: ' {bar} {value}/{total} ready | {failed} failed | {eta_formatted} left' }, Presets.shades_classic) : undefined;
  let progress = await client.request('GET', `/api/account-request-batches/${batchId}`, BatchProgress);
  bar?.start(progress.total, 0, { failed: 0 });
  let lastLogged = -1;
  for (;;) {
    const { succeeded, failed, abandoned, pending, running } = progress.counts;
    bar?.update(succeeded, { failed: failed + abandoned });
    if (bar === undefined && succeeded + failed !== lastLogged) {
      io.out(`${succeeded}/${progress.total} ready, ${failed} failed, ${pending + running} in progress`);
      lastLogged = succeeded + failed;
    }
    if (pending + running === 0) break;
    await sleep(intervalMs);
    progress = await client.request('GET', `/api/account-request-batches/${batchId}`, BatchProgress);
  }
  bar?.stop();
  return progress;
}

type RequestOptions = { csv: string; dryRun?: boolean; wait: boolean; interval: number };

async function requestAccounts(api: ApiClient, io: CliIo, options: RequestOptions): Promise<void> {
  const text = await readCsvFile(options.csv, io);
  const path = `/api/account-requests/import${queryString({ dryRun: options.dryRun === true ? 'true' : undefined })}`;
  const result = await api.requestText('POST', path, 'text/csv; charset=utf-8', text, SubmitResult);
  if (result.dryRun) {
    io.out(`valid: ${result.requests.length} account(s) would be requested`);
    for (const r of result.requests) io.out(`  ${r.accountName}\t${r.email}\t${r.environment}\t${r.ouPath}`);
    return;
  }
  io.out(`queued ${result.requests.length} account request(s), batch ${result.batchId ?? '-'}`);
  if (!options.wait || result.batchId === null) return;
  const batchId = result.batchId;
  const done = await follow(api, batchId, io, options.interval);
  io.out(`done: ${done.counts.succeeded} ready, ${done.counts.failed} failed, ${done.counts.abandoned} abandoned`);
  if (done.counts.failed === 0) return;
  // A batch may hold 5,000 requests and a page at most 500: every failed one is listed, page after page.
  const failed = await fetchPages(
    (cursor) => api.request('GET', `/api/account-requests${queryString({ batchId, status: 'failed', limit: '500', cursor })}`, AccountRequestPage),
    { all: true },
  );
  for (const r of failed.items) io.err(`  ${r.accountName}: ${r.failure?.code ?? ''} ${r.failure?.message ?? ''} (action: ${r.failure?.action ?? ''})`);
  process.exitCode = 4;
}

/** The words of `requests show` around the API's labels, in the language `--lang` picks. */
const SHOW_WORDS: Record<Lang, { account: string; failedAt: string; action: string; steps: string[] }> = {
  ja: { account: 'アカウント', failedAt: '失敗したステップ', action: '対処', steps: ['状態', 'ステップ', '試行', '所要時間', '直近のエラー'] },
  en: { account: 'account', failedAt: 'failed at', action: 'action', steps: ['STATUS', 'STEP', 'ATTEMPTS', 'TOOK', 'LAST ERROR'] },
};

function printRequest(io: CliIo, r: AccountRequestDetail, lang: Lang): void {
  const words = SHOW_WORDS[lang];
  io.out(`${r.id}  ${r.accountName} <${r.email}>  ${r.environment}  ${r.statusLabel[lang]}${r.currentStep === null ? '' : ` @ ${r.currentStep}`}`);
  if (r.providerAccountId !== null) io.out(`${words.account} ${r.providerAccountId}`);
  if (r.failure !== null) io.out(`${words.failedAt} ${r.failure.step}: ${r.failure.code}: ${r.failure.message} (${words.action}: ${r.failure.action})`);
  if (r.steps.length === 0) return;
  const rows = r.steps.map((s) => [
    s.statusLabel[lang],
    s.step,
    String(s.attempts),
    s.endedAt === null ? '-' : `${Date.parse(s.endedAt) - Date.parse(s.startedAt)} ms`,
    s.lastError === null ? '' : `${s.lastError.code}: ${s.lastError.message}`,
  ]);
  for (const line of formatTable(words.steps, rows)) io.out(`  ${line}`);
}

/** `hatoba accounts request --csv FILE`, `hatoba requests show|retry|abandon ID`. */
export const requestVerbs: VerbModule = (program, { client, io }) => {
  const accounts = subcommand(program, 'accounts', 'accounts and account requests');
  accounts
    .command('request')
    .description('request accounts from a CSV file (columns: tenant_code, system_name or system_id, environment, account_name, email)')
    .requiredOption('--csv <file>', 'CSV file, header in row 1 (UTF-8, or Shift_JIS)')
    .option('--dry-run', 'validate and show what would be queued, queue nothing')
    .option('--no-wait', 'queue and return without following progress')
    .option('--interval <ms>', 'progress polling interval in milliseconds', positiveInteger, 1000)
    .action(async (options: RequestOptions) => runVerb(io, () => requestAccounts(client(), io, options)));

  const requests = subcommand(program, 'requests', 'account requests');
  requests
    .command('show <id>')
    .description('one request with its step timeline')
    .option('--json', 'print JSON')
    .addOption(langOption())
    .action(async (id: string, options: { json?: boolean; lang: Lang }) =>
      runVerb(io, async () => {
        const r = await client().request('GET', `/api/account-requests/${encodeURIComponent(id)}`, AccountRequestDetail);
        if (options.json === true) return io.out(JSON.stringify(r, null, 2));
        printRequest(io, r, options.lang);
      }),
    );
  requests
    .command('retry <id>')
    .description('retry a failed request from its failed step')
    .action(async (id: string) =>
      runVerb(io, async () => {
        const r = await client().request('POST', `/api/account-requests/${encodeURIComponent(id)}/retry`, AccountRequestDetail);
        io.out(`${r.id}: ${r.status}`);
      }),
    );
  requests
    .command('abandon <id>')
    .description('abandon a failed or waiting request; its name and e-mail are freed when nothing was created')
    .action(async (id: string) =>
      runVerb(io, async () => {
        const r = await client().request('POST', `/api/account-requests/${encodeURIComponent(id)}/abandon`, AbandonResult);
        io.out(`${r.id}: ${r.status}${r.released ? ' (name and e-mail are free to request again)' : ' (name and e-mail stay taken: the provider may hold the account)'}`);
      }),
    );
};
