import { Repeating } from '../repeating.js';
import { processChanges, type ChangeBatchResult } from './changes.js';
import type { PostureDeps } from './deps.js';

export type DetectiveWorkerOptions = {
  /** How long to wait when the feed has nothing new. */
  intervalMs: number;
  /** Changes read per batch (one transaction). */
  batchSize: number;
  onBatch?: (result: ChangeBatchResult) => void;
  onError?: (error: unknown) => void;
};

/**
 * Follows the provider's resource change feed from the stored cursor: each batch is evaluated and
 * written with the cursor's advance in one transaction, so a crash repeats at most the batch in
 * flight, and two workers never both apply one (the second finds the cursor moved and writes
 * nothing). Between batches it ends the suppressions that have expired.
 */
export class DetectiveWorker extends Repeating {
  constructor(
    private readonly deps: PostureDeps,
    private readonly options: DetectiveWorkerOptions,
  ) {
    super({ clock: deps.clock, intervalMs: options.intervalMs, onError: options.onError });
  }

  protected async round(): Promise<boolean> {
    const result = await processChanges(this.deps, this.options.batchSize);
    if (result.changes > 0) this.options.onBatch?.(result);
    await this.deps.store.expireSuppressions(this.deps.clock.now());
    return result.changes >= this.options.batchSize;
  }
}
