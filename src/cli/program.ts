import { Command } from 'commander';
import { ApiError, createApiClient, formatProblem, type ApiClient } from './client.js';

/** Exit codes, mapped once: 0 ok, 1 unexpected, 2 usage/validation, 3 not found, 4 conflict/state. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof ApiError) {
    if (error.status === 422 || error.status === 400) return 2;
    if (error.status === 404) return 3;
    if (error.status === 409 || error.status === 423) return 4;
  }
  return 1;
}

export function describeError(error: unknown): string {
  if (error instanceof ApiError) return formatProblem(error.problem);
  if (error instanceof Error) return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
  return String(error);
}

export type CliIo = { out: (line: string) => void; err: (line: string) => void; isTty: boolean };

export type VerbModule = (program: Command, context: { client: () => ApiClient; io: CliIo }) => void;

/** The `hatoba` command without its process-level verbs (serve, demo), which main adds. */
export function createProgram(options: { serverUrl: string; io: CliIo; verbs: VerbModule[] }): Command {
  const program = new Command('hatoba')
    .description('Hatoba: control plane for a federated government cloud')
    .option('--server <url>', 'server URL (default: $HATOBA_URL or http://127.0.0.1:8080)');
  const client = () => createApiClient(program.opts<{ server?: string }>().server ?? options.serverUrl);
  for (const register of options.verbs) register(program, { client, io: options.io });
  return program;
}
