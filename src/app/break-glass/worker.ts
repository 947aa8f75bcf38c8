import { convergeAccess } from './access.js';
import type { BreakGlassDeps } from './deps.js';
import { scanActivity, type ScanResult } from './scan.js';

export type BreakGlassRound = { expired: number; converged: number; scan: ScanResult };

/** Grants whose cloud access is worked on per round. */
const ACCESS_BATCH = 100;

/**
 * One round of the break-glass worker: expires every grant past its expiry (one conditional UPDATE:
 * each exactly once across processes), brings the cloud access of grants in motion to their state
 * (removing expired and revoked assignments, finishing approvals), then scans the activity log for
 * uncovered central-side activity. A failure on one grant is reported and the others go on.
 */
export async function runBreakGlassRound(deps: BreakGlassDeps, onError: (error: unknown) => void = () => undefined): Promise<BreakGlassRound> {
  const expired = await deps.store.expireDue(deps.clock.now());
  let converged = 0;
  for (const grant of await deps.store.accessWork(ACCESS_BATCH)) {
    try {
      await convergeAccess(deps, grant);
      converged += 1;
    } catch (error) {
      onError(error);
    }
  }
  return { expired: expired.length, converged, scan: await scanActivity(deps) };
}

export type BreakGlassWorkerOptions = {
  intervalMs: number;
  onRound?: (round: BreakGlassRound) => void;
  onError?: (error: unknown) => void;
};

/** Runs a round every `intervalMs` until stopped (started with the other workers, src/main/server.ts). */
export class BreakGlassWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private abort = new AbortController();

  constructor(
    private readonly deps: BreakGlassDeps,
    private readonly options: BreakGlassWorkerOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.loop = this.run();
  }

  /** Lets the round in flight finish, then returns. */
  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const onError = this.options.onError ?? (() => undefined);
    while (this.running) {
      try {
        this.options.onRound?.(await runBreakGlassRound(this.deps, onError));
      } catch (error) {
        onError(error);
      }
      if (this.running) await this.deps.clock.sleep(this.options.intervalMs, this.abort.signal);
    }
  }
}
