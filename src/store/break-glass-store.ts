import { z } from 'zod';
import { DomainError } from '../domain/errors.js';
import { decodeCursor, toPage } from '../app/paging.js';
import type { AccessState, Grant, GrantStatus } from '../app/break-glass/model.js';
import type { AccountOwner, BreakGlassStore, GrantFilter } from '../app/break-glass/store.js';
import type { Database } from './database.js';
import { alertMethods, badCursor } from './break-glass-alert-store.js';

/**
 * Break-glass grants in SQL (migration 011; alerts and the scan cursor in break-glass-alert-store.ts). Every transition is one
 * conditional UPDATE, so two processes (or an approval racing a denial) never both apply one.
 */

const STATUSES = ['requested', 'approved', 'denied', 'expired', 'revoked', 'cancelled'] as const satisfies readonly GrantStatus[];
const ACCESS_STATES = ['none', 'assigning', 'assigned', 'removing', 'removed'] as const satisfies readonly AccessState[];

const GrantRow = z
  .object({
    id: z.string(),
    account_id: z.string(),
    provider: z.string(),
    provider_account_id: z.string(),
    tenant_id: z.string(),
    requested_by: z.string(),
    requester_email: z.string(),
    requester_name: z.string(),
    reason: z.string(),
    duration_minutes: z.number().int(),
    status: z.enum(STATUSES),
    requested_at: z.date(),
    decided_by: z.string().nullable(),
    decided_at: z.date().nullable(),
    decision_note: z.string().nullable(),
    starts_at: z.date().nullable(),
    expires_at: z.date().nullable(),
    ended_at: z.date().nullable(),
    ended_by: z.string().nullable(),
    end_note: z.string().nullable(),
    access_state: z.enum(ACCESS_STATES),
    identity_user_id: z.string().nullable(),
    identity_user_name: z.string().nullable(),
    permission_set_arn: z.string().nullable(),
    assignment_request_id: z.string().nullable(),
    assigned_at: z.date().nullable(),
    removal_request_id: z.string().nullable(),
    removed_at: z.date().nullable(),
    access_error: z.string().nullable(),
  })
  .transform(
    (r): Grant => ({
      id: r.id,
      accountId: r.account_id,
      provider: r.provider,
      providerAccountId: r.provider_account_id,
      tenantId: r.tenant_id,
      requestedBy: { personId: r.requested_by, email: r.requester_email, name: r.requester_name },
      reason: r.reason,
      durationMinutes: r.duration_minutes,
      status: r.status,
      requestedAt: r.requested_at,
      decidedBy: r.decided_by,
      decidedAt: r.decided_at,
      decisionNote: r.decision_note,
      startsAt: r.starts_at,
      expiresAt: r.expires_at,
      endedAt: r.ended_at,
      endedBy: r.ended_by,
      endNote: r.end_note,
      access: {
        state: r.access_state,
        userId: r.identity_user_id,
        userName: r.identity_user_name,
        permissionSetArn: r.permission_set_arn,
        assignmentRequestId: r.assignment_request_id,
        assignedAt: r.assigned_at,
        removalRequestId: r.removal_request_id,
        removedAt: r.removed_at,
        error: r.access_error,
      },
    }),
  );

const OwnerRow = z.object({ provider_account_id: z.string(), id: z.string(), name: z.string(), organisation_id: z.string(), code: z.string() });
const PersonRow = z.object({ id: z.string(), user_name: z.string() });

const parseGrants = (rows: Record<string, unknown>[]): Grant[] => rows.map((r) => GrantRow.parse(r));


/** Both drivers report a unique violation with SQLSTATE 23505 in `code`. */
const isUniqueViolation = (error: unknown): boolean => typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';

export function createBreakGlassStore(db: Database): BreakGlassStore {
  const one = async (sql: string, params: unknown[]): Promise<Grant | undefined> => parseGrants(await db.query(sql, params))[0];
  const changed = async (sql: string, params: unknown[]): Promise<boolean> => (await db.query(sql, params)).length > 0;

  return {
    async insertGrant(g) {
      try {
        const rows = await db.query(
          `INSERT INTO break_glass_grants (id, account_id, provider, provider_account_id, tenant_id, requested_by, requester_email, requester_name,
             reason, duration_minutes, status, requested_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'requested', $11::timestamptz) RETURNING *`,
          [g.id, g.accountId, g.provider, g.providerAccountId, g.tenantId, g.requestedBy.personId, g.requestedBy.email, g.requestedBy.name, g.reason, g.durationMinutes, g.requestedAt.toISOString()],
        );
        const [grant] = parseGrants(rows);
        if (grant === undefined) throw new Error(`grant ${g.id} was not inserted`);
        return grant;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        throw new DomainError('conflict', 'このアカウントには既に申請中または有効な緊急アクセスがあります / you already have a pending or active break-glass grant on this account', {
          issues: [{ path: ['account'], message: '申請中または有効な緊急アクセスがあります / a pending or active grant exists' }],
        });
      }
    },

    getGrant: (id) => one('SELECT * FROM break_glass_grants WHERE id = $1', [id]),

    async listGrants(filter: GrantFilter, page) {
      const params: unknown[] = [];
      const add = (value: unknown): string => {
        params.push(value);
        return `$${params.length}`;
      };
      const conditions: string[] = [];
      if (filter.tenantId !== undefined) conditions.push(`tenant_id = ${add(filter.tenantId)}`);
      if (filter.requestedBy !== undefined) conditions.push(`requested_by = ${add(filter.requestedBy)}`);
      if (filter.accountId !== undefined) conditions.push(`account_id = ${add(filter.accountId)}`);
      if (filter.status !== undefined) conditions.push(`status = ${add(filter.status)}`);
      const after = decodeCursor(page.cursor);
      if (after !== undefined) {
        if (!/^grt_[0-9a-f]+$/.test(after)) throw badCursor();
        conditions.push(`id < ${add(after)}`);
      }
      const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
      const rows = parseGrants(await db.query(`SELECT * FROM break_glass_grants ${where} ORDER BY id DESC LIMIT ${add(page.limit + 1)}`, params));
      return toPage(rows, page.limit, (g) => g.id);
    },

    approve: (id, by, at, note) =>
      one(
        `UPDATE break_glass_grants
            SET status = 'approved', decided_by = $2, decided_at = $3::timestamptz, decision_note = $4,
                starts_at = $3::timestamptz, expires_at = $3::timestamptz + duration_minutes * interval '1 minute', access_state = 'assigning'
          WHERE id = $1 AND status = 'requested'
            AND EXISTS (SELECT 1 FROM people p WHERE p.id = break_glass_grants.requested_by AND p.status = 'active') RETURNING *`,
        [id, by, at.toISOString(), note],
      ),

    deny: (id, by, at, note) =>
      one(`UPDATE break_glass_grants SET status = 'denied', decided_by = $2, decided_at = $3::timestamptz, decision_note = $4 WHERE id = $1 AND status = 'requested' RETURNING *`, [
        id,
        by,
        at.toISOString(),
        note,
      ]),

    cancel: (id, by, at) =>
      one(`UPDATE break_glass_grants SET status = 'cancelled', ended_by = $2, ended_at = $3::timestamptz WHERE id = $1 AND status = 'requested' RETURNING *`, [id, by, at.toISOString()]),

    revoke: (id, by, at, note) =>
      one(
        `UPDATE break_glass_grants
            SET status = 'revoked', ended_by = $2, ended_at = $3::timestamptz, end_note = $4,
                access_state = CASE WHEN access_state IN ('assigning', 'assigned') THEN 'removing' ELSE access_state END
          WHERE id = $1 AND status = 'approved' AND expires_at > $3::timestamptz RETURNING *`,
        [id, by, at.toISOString(), note],
      ),

    async expireDue(now) {
      return parseGrants(
        await db.query(
          `UPDATE break_glass_grants
              SET status = 'expired', ended_at = expires_at,
                  access_state = CASE WHEN access_state IN ('assigning', 'assigned') THEN 'removing' ELSE access_state END
            WHERE status = 'approved' AND expires_at <= $1::timestamptz RETURNING *`,
          [now.toISOString()],
        ),
      );
    },

    async endForRemovedRequesters(now, note) {
      // Ended at the removal, so nothing the person's session did after it counts as covered.
      return parseGrants(
        await db.query(
          `UPDATE break_glass_grants g
              SET status = CASE WHEN g.status = 'requested' THEN 'cancelled' ELSE 'revoked' END,
                  ended_at = LEAST(GREATEST(p.removed_at, COALESCE(g.starts_at, g.requested_at)), $1::timestamptz),
                  end_note = $2,
                  access_state = CASE WHEN g.access_state IN ('assigning', 'assigned') THEN 'removing' ELSE g.access_state END
             FROM people p
            WHERE p.id = g.requested_by AND p.status = 'removed'
              AND (g.status = 'requested' OR (g.status = 'approved' AND g.expires_at > $1::timestamptz))
           RETURNING g.*`,
          [now.toISOString(), note],
        ),
      );
    },

    accessWork: async (limit) => parseGrants(await db.query(`SELECT * FROM break_glass_grants WHERE access_state IN ('assigning', 'removing') ORDER BY id LIMIT $1`, [limit])),

    recordAssignment: (id, a) =>
      changed(
        `UPDATE break_glass_grants SET identity_user_id = $2, identity_user_name = $3, permission_set_arn = $4, assignment_request_id = $5, access_error = NULL
          WHERE id = $1 AND access_state = 'assigning' RETURNING id`,
        [id, a.userId, a.userName, a.permissionSetArn, a.requestId],
      ),

    markAssigned: (id, requestId, at) =>
      changed(`UPDATE break_glass_grants SET access_state = 'assigned', assigned_at = $3::timestamptz WHERE id = $1 AND access_state = 'assigning' AND assignment_request_id = $2 RETURNING id`, [
        id,
        requestId,
        at.toISOString(),
      ]),

    async assignmentFailed(id, requestId, error) {
      await db.query(`UPDATE break_glass_grants SET assignment_request_id = NULL, access_error = $3 WHERE id = $1 AND access_state = 'assigning' AND assignment_request_id = $2`, [
        id,
        requestId,
        error.slice(0, 2000),
      ]);
    },

    recordRemoval: (id, requestId, at) =>
      changed(
        `UPDATE break_glass_grants SET removal_request_id = $2, access_error = NULL,
                access_state = CASE WHEN $2::text IS NULL THEN 'removed' ELSE access_state END,
                removed_at = CASE WHEN $2::text IS NULL THEN $3::timestamptz ELSE removed_at END
          WHERE id = $1 AND access_state = 'removing' RETURNING id`,
        [id, requestId, at.toISOString()],
      ),

    markRemoved: (id, requestId, at) =>
      changed(
        `UPDATE break_glass_grants SET access_state = 'removed', removed_at = $3::timestamptz
          WHERE id = $1 AND access_state = 'removing' AND removal_request_id IS NOT DISTINCT FROM $2::text RETURNING id`,
        [id, requestId, at.toISOString()],
      ),

    async removalFailed(id, requestId, error) {
      await db.query(`UPDATE break_glass_grants SET removal_request_id = NULL, access_error = $3 WHERE id = $1 AND access_state = 'removing' AND removal_request_id = $2`, [
        id,
        requestId,
        error.slice(0, 2000),
      ]);
    },

    async removeAgain(id) {
      await db.query(`UPDATE break_glass_grants SET access_state = 'removing', removal_request_id = NULL, removed_at = NULL WHERE id = $1 AND access_state IN ('removing', 'removed')`, [id]);
    },

    accessOf: async (accountId, personId) =>
      parseGrants(
        await db.query(`SELECT * FROM break_glass_grants WHERE account_id = $1 AND requested_by = $2 AND access_state IN ('assigning', 'assigned', 'removing') ORDER BY id`, [
          accountId,
          personId,
        ]),
      ),

    async noteAccessError(id, error) {
      await db.query('UPDATE break_glass_grants SET access_error = $2 WHERE id = $1', [id, error.slice(0, 2000)]);
    },

    async windowsOverlapping(provider, providerAccountIds, from, to) {
      if (providerAccountIds.length === 0) return [];
      return parseGrants(
        await db.query(
          `SELECT * FROM break_glass_grants
            WHERE provider = $1 AND provider_account_id = ANY($2::text[]) AND starts_at IS NOT NULL
              AND starts_at <= $4::timestamptz AND COALESCE(ended_at, expires_at) > $3::timestamptz
            ORDER BY id`,
          [provider, [...providerAccountIds], from.toISOString(), to.toISOString()],
        ),
      );
    },

    async owners(provider, providerAccountIds) {
      if (providerAccountIds.length === 0) return [];
      const rows = await db.query(
        `SELECT a.provider_account_id, a.id, a.name, a.organisation_id, o.code FROM accounts a JOIN organisations o ON o.id = a.organisation_id
          WHERE a.provider = $1 AND a.provider_account_id = ANY($2::text[]) AND a.status <> 'closed'`,
        [provider, [...providerAccountIds]],
      );
      return rows.map((r): AccountOwner => {
        const row = OwnerRow.parse(r);
        return { providerAccountId: row.provider_account_id, accountId: row.id, accountName: row.name, tenantId: row.organisation_id, tenantCode: row.code };
      });
    },

    async centralPeopleByUserName(userNames) {
      if (userNames.length === 0) return new Map();
      // Identity Center compares user names without regard to case. A person's user is named after their
      // e-mail address, or recorded in person_cloud_users (migration 010). A removed person keeps their
      // row: a session may outlive them, and is still central.
      const rows = await db.query(
        `SELECT lower(p.email) AS user_name, p.id, p.status FROM people p WHERE p.kind = 'central' AND lower(p.email) = ANY($1::text[])
         UNION ALL
         SELECT lower(u.user_name), p.id, p.status FROM person_cloud_users u JOIN people p ON p.id = u.person_id
          WHERE p.kind = 'central' AND lower(u.user_name) = ANY($1::text[])
         ORDER BY 3, 2 DESC`,
        [[...new Set(userNames.map((n) => n.toLowerCase()))]],
      );
      const found = new Map<string, string>();
      for (const r of rows) {
        const row = PersonRow.parse(r);
        if (!found.has(row.user_name)) found.set(row.user_name, row.id);
      }
      return found;
    },
    ...alertMethods(db),
  };
}
