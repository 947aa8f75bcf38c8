import { z } from 'zod';
import type { Database, SqlExecutor } from './database.js';
import type { Lease, Transition, WorkflowRun, WorkflowStore } from '../app/ports/workflow-store.js';
import { invalidState, notFound } from '../domain/errors.js';
import { StepRow, insertRuns, leaseEnd, needsSlotSql, runs } from './workflow-rows.js';


export function createWorkflowStore(db: Database): WorkflowStore {
  const ensuredSlots = new Map<string, number>();

  async function ensureSlots(tx: SqlExecutor, resource: string, capacity: number): Promise<void> {
    const known = ensuredSlots.get(resource);
    if (known === undefined || known < capacity) {
      await tx.query(
        `INSERT INTO concurrency_slots (resource, slot) SELECT $1, g FROM generate_series(0, $2::int - 1) g ON CONFLICT DO NOTHING`,
        [resource, capacity],
      );
    }
    // Remember the capacity in force, also when it went down, so releases stop passing retired slots on.
    ensuredSlots.set(resource, capacity);
  }


  async function lockOwned(tx: SqlExecutor, runId: string, lease: Lease): Promise<WorkflowRun | undefined> {
    const rows = await tx.query(`SELECT * FROM workflow_runs WHERE id = $1 AND lease_owner = $2 AND status = 'running' FOR UPDATE`, [
      runId,
      lease.owner,
    ]);
    return runs(rows)[0];
  }

  async function endStep(tx: SqlExecutor, runId: string, step: string, status: 'succeeded' | 'failed', now: Date, error?: { code: string; message: string }) {
    await tx.query(
      `UPDATE workflow_steps SET status = $3, ended_at = $4, last_error = COALESCE($5::jsonb, last_error) WHERE run_id = $1 AND step = $2`,
      [runId, step, status, now, error === undefined ? null : JSON.stringify({ ...error, at: now.toISOString() })],
    );
  }


  /**
   * Gives the run's slot back and, in the same transaction, hands it to the oldest run waiting for
   * it, so the slot is busy again as soon as any worker claims that run (slot holders are claimed first).
   */
  async function releaseSlot(tx: SqlExecutor, runId: string, now: Date, heirsFor?: Lease): Promise<WorkflowRun[]> {
    const heirs: WorkflowRun[] = [];
    const freed = await tx.query(`UPDATE concurrency_slots SET holder = NULL, acquired_at = NULL WHERE holder = $1 RETURNING resource, slot`, [runId]);
    for (const row of freed) {
      const { resource, slot } = z.object({ resource: z.string(), slot: z.number() }).parse(row);
      // A slot above the capacity this process knows (it was lowered) is not passed on: it retires.
      if (slot >= (ensuredSlots.get(resource) ?? Infinity)) continue;
      const next = await tx.query(
        `SELECT id FROM workflow_runs WHERE status = 'pending' AND needs_slot = $1 AND next_run_at <= $2 ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [resource, now],
      );
      const heir = next[0] === undefined ? undefined : z.object({ id: z.string() }).parse(next[0]).id;
      if (heir === undefined) continue;
      await tx.query(`UPDATE concurrency_slots SET holder = $3, acquired_at = $4 WHERE resource = $1 AND slot = $2`, [resource, slot, heir, now]);
      const leased = await tx.query(
        heirsFor === undefined
          ? `UPDATE workflow_runs SET needs_slot = NULL, next_run_at = $2 WHERE id = $1 RETURNING *`
          : `UPDATE workflow_runs SET needs_slot = NULL, next_run_at = $2, status = 'running', lease_owner = $3, lease_until = $4, updated_at = $2
             WHERE id = $1 RETURNING *`,
        heirsFor === undefined ? [heir, now] : [heir, now, heirsFor.owner, leaseEnd(heirsFor)],
      );
      if (heirsFor !== undefined) heirs.push(...runs(leased));
    }
    return heirs;
  }

  /**
   * The hot path (every step that completes): one statement moves the run on, fenced by the lease,
   * closes the step, and decides whether this worker keeps the run (continue now, no slot needed) or
   * hands it back to the queue. One statement is atomic by itself, so only a slot release needs a
   * transaction around it.
   */
  async function advance(q: SqlExecutor, runId: string, t: Extract<Transition, { kind: 'advance' }>, lease: Lease): Promise<WorkflowRun | undefined> {
    const now = lease.now;
    // A run giving its slot back will not hold one when it moves on; otherwise it may still hold one.
    const needsSlot = t.releaseSlot ? '$4::text' : needsSlotSql('$4');
    const rows = await q.query(
      `WITH moved AS (
         UPDATE workflow_runs r SET state = r.state || $2::jsonb, current_step = $3, needs_slot = x.ns, updated_at = $5, next_run_at = $5,
           status = CASE WHEN $8 AND x.ns IS NULL THEN 'running' ELSE 'pending' END,
           lease_owner = CASE WHEN $8 AND x.ns IS NULL THEN r.lease_owner END,
           lease_until = CASE WHEN $8 AND x.ns IS NULL THEN $6::timestamptz END
         FROM (SELECT ${needsSlot.replaceAll('r.id', '$1')} AS ns) x
         WHERE r.id = $1 AND r.lease_owner = $7 AND r.status = 'running' AND r.current_step = $9
         RETURNING r.*
       ), ended AS (
         UPDATE workflow_steps SET status = 'succeeded', ended_at = $5 WHERE run_id = $1 AND step = $9 AND EXISTS (SELECT 1 FROM moved)
       )
       SELECT * FROM moved`,
      [runId, JSON.stringify(t.patch), t.nextStep, t.nextNeedsSlot, now, leaseEnd(lease), lease.owner, t.continueNow, t.step],
    );
    return runs(rows)[0];
  }

  /** A step that is not finished (polling, backing off): checkpoint and come back at `runAt`, in one statement. */
  async function wait(runId: string, t: Extract<Transition, { kind: 'wait' }>, lease: Lease): Promise<void> {
    const now = lease.now;
    await db.query(
      `WITH parked AS (
         UPDATE workflow_runs SET state = state || $2::jsonb, status = 'pending', lease_owner = NULL, lease_until = NULL, next_run_at = $3, updated_at = $4
         WHERE id = $1 AND lease_owner = $5 AND status = 'running' AND current_step = $6 RETURNING id
       )
       UPDATE workflow_steps SET status = 'waiting', ended_at = NULL, last_error = COALESCE($7::jsonb, last_error), attempts = attempts + $8
       WHERE run_id = $1 AND step = $6 AND EXISTS (SELECT 1 FROM parked)`,
      [runId, JSON.stringify(t.patch), t.runAt, now, lease.owner, t.step, t.error === undefined ? null : JSON.stringify({ ...t.error, at: now.toISOString() }), t.countAttempt ? 1 : 0],
    );
  }

  return {
    async createRuns(newRuns, now) {
      if (newRuns.length === 0) return [];
      return db.transaction((tx) => insertRuns(tx, newRuns, now));
    },

    async claim(lease, limits, slots) {
      if (limits.total <= 0) return [];
      return db.transaction(async (tx) => {
        // The provider's slots are the bottleneck: runs holding a slot (polling their creation) come
        // first, then runs waiting for a free slot, and only then other work (validation, setup).
        const claimed: WorkflowRun[] = runs(
          await tx.query(
            `UPDATE workflow_runs SET status = 'running', lease_owner = $1, lease_until = $2, updated_at = $3
             WHERE id IN (SELECT r.id FROM workflow_runs r JOIN concurrency_slots s ON s.holder = r.id
               WHERE (r.status = 'pending' AND r.next_run_at <= $3) OR (r.status = 'running' AND r.lease_until < $3)
               ORDER BY r.next_run_at LIMIT $4 FOR UPDATE OF r SKIP LOCKED)
             RETURNING *`,
            [lease.owner, leaseEnd(lease), lease.now, limits.total],
          ),
        );
        for (const [resource, capacity] of Object.entries(slots)) {
          const room = limits.total - claimed.length;
          if (room <= 0) break;
          await ensureSlots(tx, resource, capacity);
          const free = await tx.query(
            `SELECT slot FROM concurrency_slots WHERE resource = $1 AND slot < $2 AND holder IS NULL ORDER BY slot LIMIT $3 FOR UPDATE SKIP LOCKED`,
            [resource, capacity, room],
          );
          if (free.length === 0) continue;
          const waiting = await tx.query(
            `SELECT id FROM workflow_runs WHERE status = 'pending' AND needs_slot = $1 AND next_run_at <= $2
             ORDER BY created_at, id LIMIT $3 FOR UPDATE SKIP LOCKED`,
            [resource, lease.now, free.length],
          );
          for (const [index, row] of waiting.entries()) {
            const runId = z.object({ id: z.string() }).parse(row).id;
            const slot = z.object({ slot: z.number() }).parse(free[index]).slot;
            await tx.query(`UPDATE concurrency_slots SET holder = $3, acquired_at = $4 WHERE resource = $1 AND slot = $2`, [resource, slot, runId, lease.now]);
            claimed.push(
              ...runs(
                await tx.query(
                  `UPDATE workflow_runs SET status = 'running', needs_slot = NULL, lease_owner = $2, lease_until = $3, updated_at = $4 WHERE id = $1 RETURNING *`,
                  [runId, lease.owner, leaseEnd(lease), lease.now],
                ),
              ),
            );
          }
        }
        const room = Math.min(limits.general, limits.total - claimed.length);
        if (room > 0) {
          claimed.push(
            ...runs(
              await tx.query(
                `UPDATE workflow_runs SET status = 'running', lease_owner = $1, lease_until = $2, updated_at = $3
                 WHERE id IN (SELECT id FROM workflow_runs
                   WHERE (status = 'pending' AND needs_slot IS NULL AND next_run_at <= $3) OR (status = 'running' AND lease_until < $3)
                   ORDER BY next_run_at, created_at LIMIT $4 FOR UPDATE SKIP LOCKED)
                 RETURNING *`,
                [lease.owner, leaseEnd(lease), lease.now, room],
              ),
            ),
          );
        }
        return claimed;
      });
    },

    async startStep(runId, step, lease) {
      // An execution that never concluded (the worker died mid-step) counts as an attempt.
      const rows = await db.query(
        `INSERT INTO workflow_steps AS s (run_id, step, status, attempts, started_at)
         SELECT $1, $2, 'running', 1, $3 WHERE EXISTS (SELECT 1 FROM workflow_runs WHERE id = $1 AND lease_owner = $4 AND status = 'running')
         ON CONFLICT (run_id, step) DO UPDATE SET status = 'running', ended_at = NULL,
           attempts = s.attempts + CASE WHEN s.status = 'running' THEN 1 ELSE 0 END,
           started_at = CASE WHEN s.status IN ('succeeded', 'failed') THEN $3 ELSE s.started_at END
         RETURNING attempts, started_at, (xmax = 0) AS first_run`,
        [runId, step, lease.now, lease.owner],
      );
      const row = rows[0];
      if (row === undefined) return undefined;
      const parsed = z.object({ attempts: z.number(), started_at: z.date(), first_run: z.boolean() }).parse(row);
      return { attempt: parsed.attempts, startedAt: parsed.started_at, resumed: !parsed.first_run };
    },

    async transition(runId, t, lease) {
      if (t.kind === 'advance' && !t.releaseSlot) {
        const next = await advance(db, runId, t, lease);
        return next?.status === 'running' ? { next, heirs: [] } : { heirs: [] };
      }
      if (t.kind === 'wait') {
        await wait(runId, t, lease);
        return { heirs: [] };
      }
      return db.transaction(async (tx) => {
        const now = lease.now;
        if (t.kind === 'advance') {
          const next = await advance(tx, runId, t, lease);
          if (next === undefined) return { heirs: [] };
          const heirs = await releaseSlot(tx, runId, now, lease);
          return next.status === 'running' ? { next, heirs } : { heirs };
        }
        const run = await lockOwned(tx, runId, lease);
        if (run === undefined || run.currentStep !== t.step) return { heirs: [] };
        switch (t.kind) {
          case 'finish': {
            await endStep(tx, runId, t.step, 'succeeded', now);
            const heirs = await releaseSlot(tx, runId, now, lease);
            await tx.query(
              `UPDATE workflow_runs SET state = state || $2::jsonb, status = 'succeeded', lease_owner = NULL, lease_until = NULL,
                 updated_at = $3, finished_at = $3 WHERE id = $1`,
              [runId, JSON.stringify(t.patch), now],
            );
            return { heirs };
          }
          case 'goto':
            await endStep(tx, runId, t.step, 'failed', now, { code: 'retrying_from_' + t.nextStep, message: t.note });
            await tx.query(
              `UPDATE workflow_runs r SET state = r.state || $2::jsonb, current_step = $3, needs_slot = ${needsSlotSql('$4')},
                 status = 'pending', lease_owner = NULL, lease_until = NULL, next_run_at = $5, updated_at = $6 WHERE id = $1`,
              [runId, JSON.stringify(t.patch), t.nextStep, t.nextNeedsSlot, t.runAt, now],
            );
            return { heirs: [] };
          case 'fail': {
            await endStep(tx, runId, t.step, 'failed', now, { code: t.failure.code, message: t.failure.message });
            // A failed run gives its slot back: the queue must not stall behind a run waiting for a person.
            const heirs = await releaseSlot(tx, runId, now, lease);
            await tx.query(
              `UPDATE workflow_runs SET status = 'failed', failure = $2::jsonb, state = state || $4::jsonb, lease_owner = NULL, lease_until = NULL,
                 updated_at = $3, finished_at = $3 WHERE id = $1`,
              [runId, JSON.stringify(t.failure), now, JSON.stringify(t.patch ?? {})],
            );
            return { heirs };
          }
        }
      });
    },

    async extendLeases(runIds, lease) {
      if (runIds.length === 0) return;
      await db.query(`UPDATE workflow_runs SET lease_until = $1 WHERE id = ANY($2::text[]) AND lease_owner = $3 AND status = 'running'`, [
        leaseEnd(lease),
        runIds,
        lease.owner,
      ]);
    },

    async releaseLeases(runIds, lease) {
      if (runIds.length === 0) return;
      await db.query(`UPDATE workflow_runs SET status = 'pending', lease_owner = NULL, lease_until = NULL WHERE id = ANY($1::text[]) AND lease_owner = $2 AND status = 'running'`, [
        runIds,
        lease.owner,
      ]);
    },

    async getRun(id) {
      return runs(await db.query(`SELECT * FROM workflow_runs WHERE id = $1`, [id]))[0];
    },

    async listSteps(runId) {
      const rows = await db.query(`SELECT * FROM workflow_steps WHERE run_id = $1 ORDER BY started_at, step`, [runId]);
      return rows.map((r) => StepRow.parse(r));
    },

    async retry(runId, now, needsSlot) {
      return db.transaction(async (tx) => {
        const run = runs(await tx.query(`SELECT * FROM workflow_runs WHERE id = $1 FOR UPDATE`, [runId]))[0];
        if (run === undefined) throw notFound('workflow run', runId);
        if (run.status !== 'failed') throw invalidState(`only a failed run can be retried; this one is ${run.status}`);
        // The retried step starts afresh: its attempts and its deadline (e.g. the creation timeout) count from now.
        await tx.query(`UPDATE workflow_steps SET attempts = 1, status = 'waiting', started_at = $3 WHERE run_id = $1 AND step = $2`, [runId, run.currentStep, now]);
        const updated = runs(
          await tx.query(
            `UPDATE workflow_runs r SET status = 'pending', failure = NULL, finished_at = NULL, next_run_at = $2, updated_at = $2,
               needs_slot = ${needsSlotSql('$3')} WHERE id = $1 RETURNING *`,
            [runId, now, needsSlot],
          ),
        )[0];
        if (updated === undefined) throw notFound('workflow run', runId);
        return updated;
      });
    },

    async abandon(runId, now) {
      return db.transaction(async (tx) => {
        const run = runs(await tx.query(`SELECT * FROM workflow_runs WHERE id = $1 FOR UPDATE`, [runId]))[0];
        if (run === undefined) throw notFound('workflow run', runId);
        // Abandoning again is allowed and changes nothing here, so an abandon cut short after this
        // point (its clean-up failed) can simply be repeated.
        if (run.status === 'abandoned') return run;
        if (run.status !== 'failed' && run.status !== 'pending') {
          throw invalidState(`only a failed or waiting run can be abandoned; this one is ${run.status}`);
        }
        await releaseSlot(tx, runId, now);
        const updated = runs(
          await tx.query(
            `UPDATE workflow_runs SET status = 'abandoned', needs_slot = NULL, updated_at = $2, finished_at = $2 WHERE id = $1 RETURNING *`,
            [runId, now],
          ),
        )[0];
        if (updated === undefined) throw notFound('workflow run', runId);
        return updated;
      });
    },

    async nextDueAt({ slotHoldersOnly }) {
      const holding = `EXISTS (SELECT 1 FROM concurrency_slots s WHERE s.holder = r.id)`;
      const rows = await db.query(
        `SELECT min(t) AS t FROM (
           SELECT min(next_run_at) AS t FROM workflow_runs r WHERE status = 'pending' AND needs_slot IS NULL ${slotHoldersOnly ? `AND ${holding}` : ''}
           UNION ALL SELECT min(lease_until) FROM workflow_runs r WHERE status = 'running' ${slotHoldersOnly ? `AND ${holding}` : ''}) x`,
      );
      return z.object({ t: z.date().nullable() }).parse(rows[0]).t ?? undefined;
    },

    async slotHolders(resource) {
      const rows = await db.query(`SELECT holder FROM concurrency_slots WHERE resource = $1 AND holder IS NOT NULL ORDER BY slot`, [resource]);
      return rows.map((r) => z.object({ holder: z.string() }).parse(r).holder);
    },
  };
}

