import { Repeating } from '../repeating.js';
import { convergeAccess } from './access.js';
import type { BreakGlassDeps } from './deps.js';
import { REQUESTER_REMOVED_NOTE } from './model.js';
import { scanActivity, type ScanResult } from './scan.js';

export type BreakGlassRound = { expired: number; requesterRemoved: number; converged: number; scan: ScanResult };

/** Grants whose cloud access is worked on per round. */
const ACCESS_BATCH = 100;

/**
 * One round of the break-glass worker: expires every grant past its expiry and ends every open grant
 * of a removed requester (conditional UPDATEs: each exactly once across processes), brings the cloud
 * access of grants in motion to their state (removing ended grants' assignments, finishing
 * approvals), then scans the activity log for uncovered central-side activity. A failure on one
 * grant is reported and the others go on.
 */
export async function runBreakGlassRound(deps: BreakGlassDeps, onError: (error: unknown) => void = () => undefined): Promise<BreakGlassRound> {
  const expired = await deps.store.expireDue(deps.clock.now());
  const requesterRemoved = await deps.store.endForRemovedRequesters(deps.clock.now(), REQUESTER_REMOVED_NOTE);
  let converged = 0;
  for (const grant of await deps.store.accessWork(ACCESS_BATCH)) {
    try {
      await convergeAccess(deps, grant);
      converged += 1;
    } catch (error) {
      onError(error);
    }
  }
  return { expired: expired.length, requesterRemoved: requesterRemoved.length, converged, scan: await scanActivity(deps) };
}

export type BreakGlassWorkerOptions = {
  intervalMs: number;
  onRound?: (round: BreakGlassRound) => void;
  onError?: (error: unknown) => void;
};

/** Runs a round every `intervalMs` until stopped (started with the other workers, src/main/server.ts). */
export class BreakGlassWorker extends Repeating {
  constructor(
    private readonly deps: BreakGlassDeps,
    private readonly options: BreakGlassWorkerOptions,
  ) {
    super({ clock: deps.clock, intervalMs: options.intervalMs, onError: options.onError });
  }

  protected async round(): Promise<boolean> {
    // Not `onRound?.(await …)`: an optional call skips evaluating its argument, and so the round itself.
    const round = await runBreakGlassRound(this.deps, this.options.onError ?? (() => undefined));
    this.options.onRound?.(round);
    return false;
  }
}
