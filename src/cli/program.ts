import { Command, CommanderError } from 'commander';
import { ApiError, createApiClient, formatProblem, type ApiClient } from './client.js';

/** The user's input is wrong before any request is sent (a file that cannot be read, a malformed --token): exit 2. */
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** Exit codes, mapped once: 0 ok, 1 unexpected, 2 usage/validation, 3 not found, 4 conflict/state. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return 2;
  if (error instanceof ApiError) {
    // 413: the file is too large, which the user fixes by splitting it, as with a bad row.
    if (error.status === 422 || error.status === 400 || error.status === 413) return 2;
    if (error.status === 404) return 3;
    if (error.status === 409 || error.status === 423) return 4;
  }
  return 1;
}

/** The exit code of commander's own outcome: help and version are success, anything else is bad usage. */
export function usageExitCode(error: CommanderError): number {
  return ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code) ? 0 : 2;
}

export function describeError(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) return `${formatProblem(error.problem)}\n  (pass --token or set $HATOBA_TOKEN to an API token; see README.md, "CLI tokens")`;
  if (error instanceof ApiError) return formatProblem(error.problem);
  if (error instanceof UsageError) return error.message;
  if (error instanceof Error) return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
  return String(error);
}

export type CliIo = { out: (line: string) => void; err: (line: string) => void; isTty: boolean };

export type VerbModule = (program: Command, context: { client: () => ApiClient; io: CliIo }) => void;

export type ProgramOptions = {
  serverUrl: string;
  /** The API token when `--token` is not given; main passes $HATOBA_TOKEN (this layer does not read the environment). */
  token?: string | undefined;
  io: CliIo;
  verbs: VerbModule[];
  /** Answers the client's requests; tests pass an in-process API. */
  fetch?: typeof fetch;
};

/** The `hatoba` command without its process-level verbs (serve, demo), which main adds. */
export function createProgram(options: ProgramOptions): Command {
  const program = new Command('hatoba')
    // Usage errors throw instead of exiting, so the entry point can give them exit code 2 (set before
    // any verb is added: subcommands inherit it).
    .exitOverride()
    .description('Hatoba: control plane for a federated government cloud')
    .option('--server <url>', 'server URL (default: $HATOBA_URL or http://127.0.0.1:8080)')
    .option('--token <token>', 'API token sent as Authorization: Bearer (default: $HATOBA_TOKEN)');
  const client = () => {
    const flags = program.opts<{ server?: string; token?: string }>();
    const token = flags.token ?? (options.token === '' ? undefined : options.token);
    // Checked without echoing it: a token is a credential.
    if (token !== undefined && !/^[\x21-\x7e]+$/.test(token)) throw new UsageError(`${flags.token === undefined ? '$HATOBA_TOKEN' : '--token'}: not an API token (printable characters, no spaces)`);
    return createApiClient(flags.server ?? options.serverUrl, { token, fetch: options.fetch });
  };
  for (const register of options.verbs) register(program, { client, io: options.io });
  return program;
}
