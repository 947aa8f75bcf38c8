import { z } from 'zod';
import type { Database } from './database.js';
import type { AccountRequestView, RequestStore } from '../app/ports/request-store.js';
import { RunFailure, RunStatus } from '../domain/workflow.js';
import { createWorkflowStore } from './workflow-store.js';
import { insertRuns } from './workflow-rows.js';
import { conflict } from '../domain/errors.js';


const ViewRow = z
  .object({
    id: z.string(),
    batch_id: z.string().nullable(),
    organisation_id: z.string(),
    system_id: z.string(),
    environment: z.string(),
    account_name: z.string(),
    email: z.string(),
    requested_by: z.string(),
    created_at: z.date(),
    status: RunStatus,
    current_step: z.string().nullable(),
    failure: RunFailure.nullable(),
    provider_account_id: z.string().nullable(),
    finished_at: z.date().nullable(),
  })
  .transform(
    (r): AccountRequestView => ({
      id: r.id,
      batchId: r.batch_id,
      organisationId: r.organisation_id,
      systemId: r.system_id,
      environment: r.environment,
      accountName: r.account_name,
      email: r.email,
      requestedBy: r.requested_by,
      createdAt: r.created_at,
      status: r.status,
      currentStep: r.current_step,
      failure: r.failure,
      providerAccountId: r.provider_account_id,
      finishedAt: r.finished_at,
    }),
  );

const SELECT_VIEW = `SELECT q.*, r.status, r.current_step, r.failure, r.finished_at, r.state->>'providerAccountId' AS provider_account_id
  FROM account_requests q JOIN workflow_runs r ON r.id = q.id`;

export function createRequestStore(db: Database): RequestStore {
  const workflows = createWorkflowStore(db);
  return {
    async submit(items, now) {
      if (items.length === 0) return;
      await db.transaction(async (tx) => {
        for (let i = 0; i < items.length; i += 200) {
          const batch = items.slice(i, i + 200);
          await tx.query(
            `INSERT INTO account_requests (id, batch_id, organisation_id, system_id, environment, account_name, email, requested_by, created_at)
             SELECT x.id, x.batch_id, x.organisation_id, x.system_id, x.environment, x.account_name, x.email, x.requested_by,
                    $2::timestamptz + (x.ord * interval '1 microsecond')
             FROM jsonb_to_recordset($1::jsonb) AS x(id text, batch_id text, organisation_id text, system_id text, environment text,
                                                     account_name text, email text, requested_by text, ord int)`,
            [
              JSON.stringify(
                batch.map(({ request: q }, j) => ({
                  id: q.id, batch_id: q.batchId, organisation_id: q.organisationId, system_id: q.systemId, environment: q.environment,
                  account_name: q.accountName, email: q.email, requested_by: q.requestedBy, ord: i + j,
                })),
              ),
              now,
            ],
          );
        }
        // Runs are keyed by e-mail: the same e-mail can never be provisioned twice.
        const runsToStart = items.map(({ request, run }) => ({ ...run, id: request.id, subject: request.email.toLowerCase() }));
        const started = await insertRuns(tx, runsToStart, now);
        if (started.length !== runsToStart.length) throw conflict('an account with one of these e-mail addresses is already being provisioned');
      });
    },
    async get(id) {
      return (await db.query(`${SELECT_VIEW} WHERE q.id = $1`, [id])).map((r) => ViewRow.parse(r))[0];
    },
    async list(filter) {
      const rows = await db.query(
        `${SELECT_VIEW}
         WHERE ($1::text IS NULL OR q.organisation_id = $1) AND ($2::text IS NULL OR q.batch_id = $2) AND ($3::text IS NULL OR r.status = $3)
           AND ($4::text IS NULL OR (q.created_at, q.id) > (SELECT created_at, id FROM account_requests WHERE id = $4))
         ORDER BY q.created_at, q.id LIMIT $5`,
        [filter.organisationId ?? null, filter.batchId ?? null, filter.status ?? null, filter.after ?? null, filter.limit],
      );
      return rows.map((r) => ViewRow.parse(r));
    },
    async countByStatus(filter) {
      const rows = await db.query(
        `SELECT r.status, count(*)::int AS n FROM account_requests q JOIN workflow_runs r ON r.id = q.id
         WHERE ($1::text IS NULL OR q.batch_id = $1) AND ($2::text IS NULL OR q.organisation_id = $2) GROUP BY r.status`,
        [filter.batchId ?? null, filter.organisationId ?? null],
      );
      const counts: Record<RunStatus, number> = { pending: 0, running: 0, succeeded: 0, failed: 0, abandoned: 0 };
      for (const row of rows) {
        const { status, n } = z.object({ status: RunStatus, n: z.number() }).parse(row);
        counts[status] = n;
      }
      return counts;
    },
    async taken(names, emails) {
      const lowered = emails.map((e) => e.toLowerCase());
      const rows = await db.query(
        `SELECT account_name AS name, lower(email) AS email FROM account_requests
         WHERE released_at IS NULL AND (account_name = ANY($1::text[]) OR lower(email) = ANY($2::text[]))
         UNION SELECT name, lower(email) FROM accounts WHERE name = ANY($1::text[]) OR lower(email) = ANY($2::text[])`,
        [names, lowered],
      );
      const parsed = rows.map((r) => z.object({ name: z.string(), email: z.string() }).parse(r));
      const nameSet = new Set(names);
      const emailSet = new Set(lowered);
      return {
        names: [...new Set(parsed.map((p) => p.name).filter((n) => nameSet.has(n)))],
        emails: [...new Set(parsed.map((p) => p.email).filter((e) => emailSet.has(e)))],
      };
    },
    steps: (id) => workflows.listSteps(id),
    async releaseAbandoned(id, now) {
      return db.transaction(async (tx) => {
        const released = await tx.query(
          `UPDATE account_requests q SET released_at = $2
           WHERE q.id = $1 AND q.released_at IS NULL
             AND EXISTS (SELECT 1 FROM workflow_runs r WHERE r.id = q.id AND r.status = 'abandoned')
             AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.request_id = q.id)
           RETURNING q.id`,
          [id, now],
        );
        if (released.length === 0) return false;
        // The run keeps its history; its subject (the e-mail) is freed for a new run.
        await tx.query(`UPDATE workflow_runs SET subject = subject || '#released:' || id WHERE id = $1`, [id]);
        return true;
      });
    },
  };
}
