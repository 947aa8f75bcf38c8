/**
 * Rows of the workflow tables as the store reads and writes them: zod parsers from snake_case rows to
 * the port's types, the batched run insert, and SQL fragments the store's statements share.
 */
import { z } from 'zod';
import type { Row, SqlExecutor } from './database.js';
import type { Lease, NewRun, StepRecord, WorkflowRun } from '../app/ports/workflow-store.js';
import { RunFailure, RunStatus, StepError, StepStatus } from '../domain/workflow.js';

const Json = z.record(z.string(), z.unknown());

const RunRow = z
  .object({
    id: z.string(),
    workflow: z.string(),
    subject: z.string(),
    input: Json,
    state: Json,
    status: RunStatus,
    current_step: z.string().nullable(),
    needs_slot: z.string().nullable(),
    next_run_at: z.date(),
    lease_owner: z.string().nullable(),
    lease_until: z.date().nullable(),
    failure: RunFailure.nullable(),
    created_at: z.date(),
    updated_at: z.date(),
    finished_at: z.date().nullable(),
  })
  .transform(
    (r): WorkflowRun => ({
      id: r.id,
      workflow: r.workflow,
      subject: r.subject,
      input: r.input,
      state: r.state,
      status: r.status,
      currentStep: r.current_step,
      needsSlot: r.needs_slot,
      nextRunAt: r.next_run_at,
      leaseOwner: r.lease_owner,
      leaseUntil: r.lease_until,
      failure: r.failure,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      finishedAt: r.finished_at,
    }),
  );

export const StepRow = z
  .object({
    run_id: z.string(),
    step: z.string(),
    status: StepStatus,
    attempts: z.number(),
    started_at: z.date(),
    ended_at: z.date().nullable(),
    last_error: StepError.nullable(),
  })
  .transform(
    (r): StepRecord => ({
      runId: r.run_id,
      step: r.step,
      status: r.status,
      attempts: r.attempts,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      lastError: r.last_error,
    }),
  );

export const runs = (rows: Row[]): WorkflowRun[] => rows.map((r) => RunRow.parse(r));
export const leaseEnd = (lease: Lease): Date => new Date(lease.now.getTime() + lease.leaseMs);

// needs_slot is only set when the run does not already hold a slot of that resource (after a crash
// or a goto it may still hold one).
const NEEDS_SLOT = `CASE WHEN $NS::text IS NULL OR EXISTS (SELECT 1 FROM concurrency_slots s WHERE s.resource = $NS::text AND s.holder = r.id) THEN NULL ELSE $NS::text END`;
export const needsSlotSql = (param: string): string => NEEDS_SLOT.replaceAll('$NS', param);

/**
 * Inserts new runs in batches (PGlite is slow row by row) inside the caller's transaction; a run whose
 * (workflow, subject) exists already is left as it is. Creation times keep the given order, so slot
 * queues serve runs first come, first served. Returns the ids created.
 */
export async function insertRuns(tx: SqlExecutor, newRuns: NewRun[], now: Date): Promise<string[]> {
  const created: string[] = [];
  for (let i = 0; i < newRuns.length; i += 200) {
    const batch = newRuns.slice(i, i + 200);
    const rows = await tx.query(
      `INSERT INTO workflow_runs (id, workflow, subject, input, status, current_step, needs_slot, next_run_at, created_at, updated_at)
       SELECT x.id, x.workflow, x.subject, x.input, 'pending', x.first_step, x.needs_slot, $2::timestamptz,
              $2::timestamptz + (x.ord * interval '1 microsecond'), $2::timestamptz
       FROM jsonb_to_recordset($1::jsonb) AS x(id text, workflow text, subject text, input jsonb, first_step text, needs_slot text, ord int)
       ON CONFLICT (workflow, subject) DO NOTHING RETURNING id`,
      [
        JSON.stringify(batch.map((r, j) => ({ id: r.id, workflow: r.workflow, subject: r.subject, input: r.input, first_step: r.firstStep, needs_slot: r.needsSlot, ord: i + j }))),
        now,
      ],
    );
    for (const row of rows) created.push(z.object({ id: z.string() }).parse(row).id);
  }
  return created;
}

