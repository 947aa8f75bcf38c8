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
export class DetectiveWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private abort = new AbortController();

  constructor(
    private readonly deps: PostureDeps,
    private readonly options: DetectiveWorkerOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.loop = this.run();
  }

  /** Lets the batch in flight finish, then returns. */
  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let more = false;
      try {
        const result = await processChanges(this.deps, this.options.batchSize);
        if (result.changes > 0) this.options.onBatch?.(result);
        more = result.changes >= this.options.batchSize;
        await this.deps.store.expireSuppressions(this.deps.clock.now());
      } catch (error) {
        this.options.onError?.(error);
      }
      if (!more && this.running) await this.deps.clock.sleep(this.options.intervalMs, this.abort.signal);
    }
  }
}
