import { Repeating } from '../repeating.js';
import type { Clock } from '../ports/clock.js';
import type { PeopleProvisioning, PersonAccessStore } from '../ports/person-access.js';

export type PeopleReconcilerDeps = { access: Pick<PersonAccessStore, 'missingAccess' | 'strandedRemovals' | 'startRuns'>; provisioning: PeopleProvisioning; clock: Clock };

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
 * account provisioning.
 *
 * It also sweeps removed people who still have an identity store user or a live access row: a
 * provisioning run that read the person just before their removal can create both after the removal's
 * run deleted them. Once none of their runs is in flight, one more deprovisioning run (numbered by how
 * many they had, so every process starts the same one) deletes what was left. Returns how many runs it started.
 */
export async function reconcilePeople(deps: PeopleReconcilerDeps, batchSize: number): Promise<number> {
  const { provisioning } = deps;
  const missing = await deps.access.missingAccess(batchSize, provisioning.provisionWorkflow);
  const stranded = await deps.access.strandedRemovals(batchSize, { provision: provisioning.provisionWorkflow, deprovision: provisioning.deprovisionWorkflow });
  const runs = [
    ...missing.map((m) => provisioning.provisionRun(m.personId, `account:${m.accountId}`)),
    ...stranded.map((s) => provisioning.deprovisionRun(s.personId, s.deprovisionRuns + 1)),
  ];
  if (runs.length === 0) return 0;
  const started = await deps.access.startRuns(runs, deps.clock.now());
  if (started > 0) await deps.provisioning.wake();
  return started;
}

/** Runs the pass every `intervalMs` in each process that runs the workers (durable: it derives everything from the database). */
export class PeopleReconciler extends Repeating {
  constructor(
    private readonly deps: PeopleReconcilerDeps,
    private readonly options: PeopleReconcilerOptions,
  ) {
    super({ clock: deps.clock, intervalMs: options.intervalMs, onError: options.onError });
  }

  protected async round(): Promise<boolean> {
    await reconcilePeople(this.deps, this.options.batchSize);
    return false;
  }
}
