import type { Clock } from './ports/clock.js';

export type RepeatingTiming = {
  clock: Clock;
  /** How long to wait after a round that left no work waiting. */
  intervalMs: number;
  /** A failed round is reported here and the loop goes on; without it the error is dropped. */
  onError?: ((error: unknown) => void) | undefined;
};

/**
 * A background loop of rounds for the workers of one process (the detective worker, the break-glass
 * worker, the people reconciler): a round, then a pause unless the round says more work is waiting,
 * until stopped. Stopping lets the round in flight finish. A round that throws does not end the loop.
 */
export abstract class Repeating {
  private running = false;
  private loop: Promise<void> | undefined;
  private abort = new AbortController();

  protected constructor(private readonly timing: RepeatingTiming) {}

  /** One round; true when more work is waiting and the next round should start at once. */
  protected abstract round(): Promise<boolean>;

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
    while (this.running) {
      let more = false;
      try {
        more = await this.round();
      } catch (error) {
        this.timing.onError?.(error);
      }
      if (!more && this.running) await this.timing.clock.sleep(this.timing.intervalMs, this.abort.signal);
    }
  }
}
