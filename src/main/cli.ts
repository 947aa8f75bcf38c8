import { fileURLToPath } from 'node:url';
import { CommanderError, Option } from 'commander';
import { loadConfig, type Config } from './config.js';
import { startServer, type Role } from './server.js';
import { seedDemo } from './demo.js';
import { issueTokenFromConsole } from './identity.js';
import { createProgram, usageExitCode } from '../cli/program.js';
import { describeStartupError } from '../cli/startup-errors.js';
import { requestVerbs } from '../cli/requests.js';
import { tenantVerbs } from '../cli/tenants.js';
import { peopleVerbs } from '../cli/people.js';
import { accountVerbs } from '../cli/accounts.js';
import { scanVerbs } from '../cli/scan.js';
import { guardrailVerbs } from '../cli/guardrails.js';
import { controlVerbs } from '../cli/controls.js';
import { findingVerbs } from '../cli/findings.js';
import { auditVerbs } from '../cli/audit.js';
import { breakGlassVerbs } from '../cli/break-glass.js';
import { readControls } from './catalog.js';
import { packageVersion } from './package-version.js';
import { DomainError } from '../domain/errors.js';

const io = { out: (line: string) => console.log(line), err: (line: string) => console.error(line), isTty: process.stdout.isTTY === true };

// `hatoba findings list | head` closes the pipe early: that is the reader being done, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

function config(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    io.err(describeStartupError(error));
    process.exit(2);
  }
}

/** Runs until SIGINT/SIGTERM, then stops gracefully: in-flight steps finish, leases are released. */
async function serveUntilSignal(role: Role, demo: boolean): Promise<void> {
  const cfg = config();
  let running;
  try {
    running = await startServer(cfg, { role, devProvider: demo, ...(demo ? { seed: (c) => seedDemo(c, io, { tokenFile: cfg.identity.demoTokenFile }) } : {}) });
  } catch (error) {
    io.err(describeStartupError(error));
    process.exit(error instanceof DomainError && error.code === 'locked' ? 3 : 1);
  }
  const where = cfg.database.kind === 'pglite' ? `embedded database in ${cfg.database.dataDir}` : 'PostgreSQL';
  io.out(`Hatoba ${role === 'all' ? 'API and workers' : role} running on ${where}, simulated cloud`);
  if (running.url !== undefined) {
    io.out(`  API:     ${running.url}/api`);
    io.out(`  OpenAPI: ${running.url}/api/openapi.json`);
  }
  if (running.publicUrl !== undefined) {
    io.out(`  Portal:  ${running.publicUrl}/`);
    io.out(`  Sign in: ${running.publicUrl}/auth/sign-in`);
  }
  const stop = async () => {
    io.out('stopping…');
    await running.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

const program = createProgram({
  serverUrl: process.env.HATOBA_URL ?? `http://127.0.0.1:${process.env.PORT ?? '8080'}`,
  token: process.env.HATOBA_TOKEN,
  io,
  verbs: [
    tenantVerbs,
    accountVerbs,
    requestVerbs,
    guardrailVerbs,
    controlVerbs,
    findingVerbs,
    auditVerbs,
    breakGlassVerbs,
    peopleVerbs,
    // A local command: the catalog next to bin/hatoba.js, so `hatoba scan` works from any folder.
    scanVerbs({ loadControls: readControls, catalogDir: fileURLToPath(new URL('../../catalog', import.meta.url)), cwd: process.cwd(), version: packageVersion() }),
  ],
});

program
  .command('serve')
  .description('run the API and the workers (embedded database unless DATABASE_URL is set)')
  .addOption(new Option('--role <role>', 'which part to run').choices(['all', 'api', 'worker']).default('all'))
  .option('--demo', 'seed the demo federation and a few account requests on start')
  .action(async (options: { role: Role; demo?: boolean }) => serveUntilSignal(options.role, options.demo === true));

program
  .command('tokens')
  .description('API tokens made on the server itself')
  .command('issue')
  .description('issue an API token for a person, on the server\'s database (the first operator\'s, before anyone can sign in); printed once')
  .requiredOption('--email <email>', 'the person (with nobody able to sign in yet, they become the first operator)')
  .option('--name <name>', 'what the token is for', 'cli')
  .addOption(new Option('--days <days>', 'how many days it is valid (1 to 365)').default(30).argParser((v) => Number(v)))
  .action(async (options: { email: string; name: string; days: number }) => {
    try {
      await issueTokenFromConsole(config(), options, io);
    } catch (error) {
      io.err(describeStartupError(error));
      process.exitCode = error instanceof DomainError ? (error.code === 'locked' ? 3 : 2) : 1;
    }
  });

program
  .command('demo')
  .description('run everything with a demo federation (same as serve --demo)')
  .action(async () => serveUntilSignal('all', true));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // commander has already printed the usage problem; only the exit code is left to set.
  if (!(error instanceof CommanderError)) throw error;
  process.exitCode = usageExitCode(error);
}
