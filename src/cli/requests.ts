import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { AccountRequestDetail, AccountRequestPage, BatchProgress, SubmitResult } from '../contracts/requests.js';
import type { ApiClient } from './client.js';
import type { VerbModule } from './program.js';
import { describeError, exitCodeOf } from './program.js';

const subcommand = (program: Command, name: string, description: string): Command =>
  program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the batch until nothing is pending or running, drawing a progress bar on a terminal. */
async function follow(client: ApiClient, batchId: string, io: { out: (l: string) => void; isTty: boolean }, intervalMs: number): Promise<BatchProgress> {
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

export const requestVerbs: VerbModule = (program, { client, io }) => {
  const accounts = subcommand(program, 'accounts', 'accounts and account requests');
  accounts
    .command('request')
    .description('request accounts from a CSV file (columns: tenant_code, system_name or system_id, environment, account_name, email)')
    .requiredOption('--csv <file>', 'CSV file, header in row 1')
    .option('--dry-run', 'validate and show what would be queued, queue nothing')
    .option('--no-wait', 'queue and return without following progress')
    .option('--interval <ms>', 'progress polling interval', '1000')
    .action(async (options: { csv: string; dryRun?: boolean; wait: boolean; interval: string }) => {
      try {
        const text = await readFile(options.csv, 'utf8');
        const api = client();
        const result = await api.requestText('POST', `/api/account-requests/import${options.dryRun === true ? '?dryRun=true' : ''}`, 'text/csv', text, SubmitResult);
        if (result.dryRun) {
          io.out(`valid: ${result.requests.length} account(s) would be requested`);
          for (const r of result.requests) io.out(`  ${r.accountName}\t${r.email}\t${r.environment}\t${r.ouPath}`);
          return;
        }
        io.out(`queued ${result.requests.length} account request(s), batch ${result.batchId ?? '-'}`);
        if (!options.wait || result.batchId === null) return;
        const done = await follow(api, result.batchId, io, Number(options.interval));
        io.out(`done: ${done.counts.succeeded} ready, ${done.counts.failed} failed, ${done.counts.abandoned} abandoned`);
        if (done.counts.failed > 0) {
          const failed = await api.request('GET', `/api/account-requests?batchId=${result.batchId}&status=failed&limit=500`, AccountRequestPage);
          for (const r of failed.items) io.err(`  ${r.accountName}: ${r.failure?.code ?? ''} ${r.failure?.message ?? ''} (action: ${r.failure?.action ?? ''})`);
          process.exitCode = 4;
        }
      } catch (error) {
        io.err(describeError(error));
        process.exitCode = exitCodeOf(error);
      }
    });

  const requests = subcommand(program, 'requests', 'account requests');
  requests
    .command('show <id>')
    .description('one request with its step timeline')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      try {
        const r = await client().request('GET', `/api/account-requests/${encodeURIComponent(id)}`, AccountRequestDetail);
        if (options.json === true) return io.out(JSON.stringify(r, null, 2));
        io.out(`${r.id}  ${r.accountName} <${r.email}>  ${r.environment}  ${r.status}${r.currentStep === null ? '' : ` @ ${r.currentStep}`}`);
        if (r.providerAccountId !== null) io.out(`account ${r.providerAccountId}`);
        if (r.failure !== null) io.out(`failed at ${r.failure.step}: ${r.failure.code}: ${r.failure.message} (action: ${r.failure.action})`);
        for (const s of r.steps) {
          const took = s.endedAt === null ? '' : ` ${Date.parse(s.endedAt) - Date.parse(s.startedAt)} ms`;
          io.out(`  ${s.status.padEnd(9)} ${s.step.padEnd(24)} attempts ${s.attempts}${took}${s.lastError === null ? '' : `  last error ${s.lastError.code}: ${s.lastError.message}`}`);
        }
      } catch (error) {
        io.err(describeError(error));
        process.exitCode = exitCodeOf(error);
      }
    });
  for (const action of ['retry', 'abandon'] as const) {
    requests
      .command(`${action} <id>`)
      .description(action === 'retry' ? 'retry a failed request from its failed step' : 'abandon a failed or waiting request')
      .action(async (id: string) => {
        try {
          const r = await client().request('POST', `/api/account-requests/${encodeURIComponent(id)}/${action}`, AccountRequestDetail);
          io.out(`${r.id}: ${r.status}`);
        } catch (error) {
          io.err(describeError(error));
          process.exitCode = exitCodeOf(error);
        }
      });
  }
};
