import type { Clock } from '../ports/clock.js';
import type { PeopleProvisioning, PersonAccessStore } from '../ports/person-access.js';

export type PeopleReconcilerDeps = { access: Pick<PersonAccessStore, 'missingAccess' | 'startRuns'>; provisioning: PeopleProvisioning; clock: Clock };

export type PeopleReconcilerOptions = {
  /** Time between passes. */
  intervalMs: number;
  /** Person-account pairs looked at per pass. */
  batchSize: number;
  onError?: (error: unknown) => void;
};

/**
 * One reconciliation pass: every active tenant person who has no access row for a ready account of
 * their tenant gets a provision-person run, one per (person, account), so a pass repeated before the
 * run has written its rows starts nothing new. This is how an account that becomes ready after its
 * people were added (and a person made by a sign-in rule) gets its assignments, without any work in
 * account provisioning. Returns how many runs it started.
 */
export async function reconcilePeople(deps: PeopleReconcilerDeps, batchSize: number): Promise<number> {
  const missing = await deps.access.missingAccess(batchSize, deps.provisioning.provisionWorkflow);
  if (missing.length === 0) return 0;
  const runs = missing.map((m) => deps.provisioning.provisionRun(m.personId, `account:${m.accountId}`));
  const started = await deps.access.startRuns(runs, deps.clock.now());
  if (started > 0) await deps.provisioning.wake();
  return started;
}

/** Runs the pass every `intervalMs` in each process that runs the workers (durable: it derives everything from the database). */
export class PeopleReconciler {
  private running = false;
  private loop: Promise<void> | undefined;
  private abort = new AbortController();

  constructor(
    private readonly deps: PeopleReconcilerDeps,
    private readonly options: PeopleReconcilerOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await reconcilePeople(this.deps, this.options.batchSize);
      } catch (error) {
        this.options.onError?.(error);
      }
      if (this.running) await this.deps.clock.sleep(this.options.intervalMs, this.abort.signal);
    }
  }
}
