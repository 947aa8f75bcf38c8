/**
 * Durable state of workflow runs. Every write made on behalf of a claimed run is fenced by the
 * claimer's lease: a worker that lost its lease (it stalled, another took over) changes nothing.
 */
import type { RunFailure, RunStatus, StepError, StepStatus } from '../../domain/workflow.js';

export type { RunFailure, RunStatus, StepStatus };

export type WorkflowRun = {
  id: string;
  workflow: string;
  subject: string;
  input: Record<string, unknown>;
  state: Record<string, unknown>;
  status: RunStatus;
  currentStep: string | null;
  needsSlot: string | null;
  nextRunAt: Date;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  failure: RunFailure | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
};

export type StepRecord = {
  runId: string;
  step: string;
  status: StepStatus;
  attempts: number;
  startedAt: Date;
  endedAt: Date | null;
  lastError: StepError | null;
};

export type NewRun = {
  id: string;
  workflow: string;
  subject: string;
  input: Record<string, unknown>;
  firstStep: string;
  /** Slot resource the first step needs, if any. */
  needsSlot: string | null;
};

export type Lease = { owner: string; now: Date; leaseMs: number };

/** What to persist after one execution of the run's current step. */
export type Transition =
  | { kind: 'advance'; step: string; patch: Record<string, unknown>; nextStep: string; nextNeedsSlot: string | null; releaseSlot: boolean; continueNow: boolean }
  | { kind: 'finish'; step: string; patch: Record<string, unknown> }
  | { kind: 'wait'; step: string; patch: Record<string, unknown>; runAt: Date; error?: { code: string; message: string }; countAttempt: boolean }
  | { kind: 'goto'; step: string; patch: Record<string, unknown>; nextStep: string; nextNeedsSlot: string | null; runAt: Date; note: string }
  | { kind: 'fail'; step: string; failure: RunFailure; patch?: Record<string, unknown> };

export type TransitionResult = { next?: WorkflowRun; heirs: WorkflowRun[] };

export interface WorkflowStore {
  /** Creates runs; a run whose (workflow, subject) exists already is left as it is. Returns the ids created. */
  createRuns(runs: NewRun[], now: Date): Promise<string[]>;
  /**
   * Claims at most `limits.total` due runs for `lease.owner`: first, oldest first, runs waiting for a
   * slot (as many as there are free slots per resource); then up to `limits.general` runs whose step
   * needs no slot or whose lease expired.
   */
  claim(lease: Lease, limits: { general: number; total: number }, slots: Record<string, number>): Promise<WorkflowRun[]>;
  /**
   * Marks the step started (first start time kept); returns its attempt number, its first start, and
   * whether it ran before in this run (after a crash, a retry or a goto), when it must look for the
   * effects of that earlier execution.
   */
  startStep(runId: string, step: string, lease: Lease): Promise<{ attempt: number; startedAt: Date; resumed: boolean } | undefined>;
  /**
   * Applies a transition if the lease still holds. `next` is the run when the claimer may go on with
   * it. `heirs` are runs that were waiting for the slot this transition gave back: they now hold it
   * and are leased to the same claimer, which starts them at once instead of claiming again.
   */
  transition(runId: string, transition: Transition, lease: Lease): Promise<TransitionResult>;
  extendLeases(runIds: string[], lease: Lease): Promise<void>;
  /** Gives claimed runs back untouched (a worker that is stopping), so another takes them at once. */
  releaseLeases(runIds: string[], lease: Lease): Promise<void>;
  getRun(id: string): Promise<WorkflowRun | undefined>;
  listSteps(runId: string): Promise<StepRecord[]>;
  /** Operator action: a failed run goes back to pending at its failed step. */
  retry(runId: string, now: Date, needsSlot: string | null): Promise<WorkflowRun>;
  /** Operator action: a failed or pending run ends as abandoned and gives back its slot; again on an abandoned run, a no-op. */
  abandon(runId: string, now: Date): Promise<WorkflowRun>;
  /** When the next pending run becomes due, for the idle worker's sleep. */
  nextDueAt(options: { slotHoldersOnly: boolean }): Promise<Date | undefined>;
  /** Slot holders per resource (for observability and tests). */
  slotHolders(resource: string): Promise<string[]>;
}
