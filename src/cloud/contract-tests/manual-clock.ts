import type { Clock } from '../../app/ports/clock.js';

/**
 * A clock that moves only when a test moves it. Sleepers wake when the clock passes their deadline,
 * so code that waits on the Clock port can be driven without real waiting.
 */
export class ManualClock implements Clock {
  private current: number;
  private sleepers: { until: number; wake: () => void }[] = [];

  constructor(start: Date | string = '2030-04-01T00:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || signal?.aborted === true) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper = { until: this.current + ms, wake: () => resolve() };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          resolve();
        },
        { once: true },
      );
    });
  }

  /** Moves time forward and wakes every sleeper whose deadline has passed. */
  advance(ms: number): void {
    this.current += ms;
    const due = this.sleepers.filter((s) => s.until <= this.current);
    this.sleepers = this.sleepers.filter((s) => s.until > this.current);
    for (const sleeper of due) sleeper.wake();
  }

  set(at: Date | string): void {
    const target = new Date(at).getTime();
    if (target < this.current) throw new Error('a ManualClock never goes backwards');
    this.advance(target - this.current);
  }
}
