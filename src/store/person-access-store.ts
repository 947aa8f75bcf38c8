import { z } from 'zod';
import { AccessStatus, PermissionSetKey } from '../domain/people/person.js';
import { Environment } from '../domain/registry/account.js';
import type { CloudUserRecord, PersonAccess, PersonAccessStore, PersonAccessView } from '../app/ports/person-access.js';
import type { Database, Row } from './database.js';
import { insertPerson, removePersonIn, setTenantRoleIn } from './people-store.js';
import { insertRuns } from './workflow-rows.js';

/** Person access and identity store users in SQL (migration 010); people changes share a transaction with their runs. */

const AccessRow = z
  .object({
    person_id: z.string(),
    account_id: z.string(),
    permission_set: PermissionSetKey,
    replacing: PermissionSetKey.nullable(),
    status: AccessStatus,
    requested_at: z.date(),
    ready_at: z.date().nullable(),
    removed_at: z.date().nullable(),
    request_id: z.string().nullable(),
    failure: z.string().nullable(),
    updated_at: z.date(),
  })
  .transform(
    (r): PersonAccess => ({
      personId: r.person_id,
      accountId: r.account_id,
      permissionSet: r.permission_set,
      replacing: r.replacing,
      status: r.status,
      requestedAt: r.requested_at,
      readyAt: r.ready_at,
      removedAt: r.removed_at,
      requestId: r.request_id,
      failure: r.failure,
      updatedAt: r.updated_at,
    }),
  );

const AccessViewRow = z
  .object({ a_name: z.string(), a_environment: Environment, a_provider: z.string(), a_provider_account_id: z.string().nullable() })
  .loose()
  .transform(
    (r): PersonAccessView => ({
      ...AccessRow.parse(r),
      account: { name: r.a_name, environment: r.a_environment, provider: r.a_provider, providerAccountId: r.a_provider_account_id },
    }),
  );

const UserRow = z
  .object({ person_id: z.string(), provider: z.string(), user_id: z.string(), user_name: z.string(), created_at: z.date(), deleted_at: z.date().nullable() })
  .transform((r): CloudUserRecord => ({ personId: r.person_id, provider: r.provider, userId: r.user_id, userName: r.user_name, createdAt: r.created_at, deletedAt: r.deleted_at }));

const Count = z.object({ n: z.coerce.number().int() });
const Stranded = z.object({ person_id: z.string(), runs: z.coerce.number().int() }).transform((r) => ({ personId: r.person_id, deprovisionRuns: r.runs }));
const Pair = z.object({ person_id: z.string(), account_id: z.string() }).transform((r) => ({ personId: r.person_id, accountId: r.account_id }));

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());
const parse = <T>(schema: z.ZodType<T>, rows: Row[]): T[] => rows.map((r) => schema.parse(r));

export function createPersonAccessStore(db: Database): PersonAccessStore {
  return {
    addPerson: (person, runs, now) =>
      db.transaction(async (tx) => {
        const created = await insertPerson(tx, person);
        await insertRuns(tx, runs, now);
        return created;
      }),

    changeTenantRole: (id, role, runs, now) =>
      db.transaction(async (tx) => {
        const changed = await setTenantRoleIn(tx, id, role);
        if (changed !== undefined) await insertRuns(tx, runs, now);
        return changed;
      }),

    removePerson: (id, by, at, runs) =>
      db.transaction(async (tx) => {
        const removed = await removePersonIn(tx, id, by, at);
        if (removed !== undefined) await insertRuns(tx, runs, at);
        return removed;
      }),

    startRuns: async (runs, now) => (runs.length === 0 ? 0 : (await db.transaction((tx) => insertRuns(tx, runs, now))).length),

    async listAccess(personIds) {
      if (personIds.length === 0) return [];
      const rows = await db.query(
        `SELECT x.*, a.name AS a_name, a.environment AS a_environment, a.provider AS a_provider, a.provider_account_id AS a_provider_account_id
           FROM person_access x JOIN accounts a ON a.id = x.account_id
          WHERE x.person_id = ANY($1::text[]) ORDER BY x.person_id, a.name`,
        [[...personIds]],
      );
      return parse(AccessViewRow, rows);
    },

    async getAccess(personId, accountId) {
      return parse(AccessRow, await db.query('SELECT * FROM person_access WHERE person_id = $1 AND account_id = $2', [personId, accountId]))[0];
    },

    async saveAccess(row, readAs) {
      const rows = await db.query(
        `INSERT INTO person_access AS x (person_id, account_id, permission_set, replacing, status, requested_at, ready_at, removed_at, request_id, failure, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7::timestamptz, $8::timestamptz, $9, $10, $11::timestamptz)
         ON CONFLICT (person_id, account_id) DO UPDATE SET
           permission_set = EXCLUDED.permission_set, replacing = EXCLUDED.replacing, status = EXCLUDED.status,
           requested_at = EXCLUDED.requested_at, ready_at = EXCLUDED.ready_at, removed_at = EXCLUDED.removed_at,
           request_id = EXCLUDED.request_id, failure = EXCLUDED.failure, updated_at = EXCLUDED.updated_at
         WHERE $12::boolean AND x.status = $13 AND x.permission_set = $14 AND x.replacing IS NOT DISTINCT FROM $15 AND x.request_id IS NOT DISTINCT FROM $16
         RETURNING x.person_id`,
        [
          row.personId,
          row.accountId,
          row.permissionSet,
          row.replacing,
          row.status,
          row.requestedAt.toISOString(),
          iso(row.readyAt),
          iso(row.removedAt),
          row.requestId,
          row.failure,
          row.updatedAt.toISOString(),
          readAs !== null,
          readAs?.status ?? null,
          readAs?.permissionSet ?? null,
          readAs?.replacing ?? null,
          readAs?.requestId ?? null,
        ],
      );
      return rows.length > 0;
    },

    async cloudUsers(personId) {
      return parse(UserRow, await db.query('SELECT * FROM person_cloud_users WHERE person_id = $1 ORDER BY provider', [personId]));
    },

    async holderOfCloudUser(provider, userId) {
      const row = (await db.query('SELECT person_id FROM person_cloud_users WHERE provider = $1 AND user_id = $2 AND deleted_at IS NULL', [provider, userId]))[0];
      return row === undefined ? undefined : z.object({ person_id: z.string() }).parse(row).person_id;
    },

    async recordCloudUser(record) {
      // A user id held by another living person is refused by the partial unique index: report false.
      const rows = await db.query(
        `INSERT INTO person_cloud_users (person_id, provider, user_id, user_name, created_at)
         SELECT $1, $2, $3, $4, $5::timestamptz
          WHERE NOT EXISTS (SELECT 1 FROM person_cloud_users WHERE provider = $2 AND user_id = $3 AND deleted_at IS NULL AND person_id <> $1)
         ON CONFLICT (person_id, provider) DO UPDATE SET user_id = EXCLUDED.user_id, user_name = EXCLUDED.user_name, created_at = EXCLUDED.created_at, deleted_at = NULL
         RETURNING person_id`,
        [record.personId, record.provider, record.userId, record.userName, record.createdAt.toISOString()],
      );
      return rows.length > 0;
    },

    async markCloudUserDeleted(personId, provider, at) {
      await db.query('UPDATE person_cloud_users SET deleted_at = $3::timestamptz WHERE person_id = $1 AND provider = $2 AND deleted_at IS NULL', [personId, provider, at.toISOString()]);
    },

    async activeAdminCount(tenantId) {
      const rows = await db.query(`SELECT count(*) AS n FROM people WHERE tenant_id = $1 AND status = 'active' AND tenant_role = 'tenant_admin'`, [tenantId]);
      return Count.parse(rows[0]).n;
    },

    async missingAccess(limit, busyWorkflow) {
      const rows = await db.query(
        `SELECT p.id AS person_id, a.id AS account_id
           FROM people p
           JOIN accounts a ON a.organisation_id = p.tenant_id AND a.status = 'ready' AND a.provider_account_id IS NOT NULL
          WHERE p.status = 'active' AND p.kind = 'tenant'
            AND NOT EXISTS (SELECT 1 FROM person_access x WHERE x.person_id = p.id AND x.account_id = a.id)
            AND NOT EXISTS (SELECT 1 FROM workflow_runs r WHERE r.workflow = $2 AND r.status IN ('pending', 'running') AND r.input->>'personId' = p.id)
          ORDER BY p.id, a.id LIMIT $1`,
        [limit, busyWorkflow],
      );
      return parse(Pair, rows);
    },

    async strandedRemovals(limit, workflows) {
      const rows = await db.query(
        `SELECT p.id AS person_id,
                (SELECT count(*) FROM workflow_runs r WHERE r.workflow = $3 AND r.input->>'personId' = p.id) AS runs
           FROM people p
          WHERE p.status = 'removed'
            AND (EXISTS (SELECT 1 FROM person_cloud_users u WHERE u.person_id = p.id AND u.deleted_at IS NULL)
                 OR EXISTS (SELECT 1 FROM person_access x WHERE x.person_id = p.id AND x.status <> 'removed'))
            AND NOT EXISTS (SELECT 1 FROM workflow_runs r WHERE r.workflow = $2 AND r.status IN ('pending', 'running') AND r.input->>'personId' = p.id)
            AND NOT EXISTS (SELECT 1 FROM workflow_runs r WHERE r.workflow = $3 AND r.status <> 'succeeded' AND r.input->>'personId' = p.id)
          ORDER BY p.id LIMIT $1`,
        [limit, workflows.provision, workflows.deprovision],
      );
      return parse(Stranded, rows);
    },
  };
}
