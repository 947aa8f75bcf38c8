import { z } from 'zod';
import { decodeCursor, toPage } from '../app/paging.js';
import type { Alert, BreakGlassStore, NewAlert, PrincipalKind } from '../app/break-glass/store.js';
import type { Database } from './database.js';
import { DomainError } from '../domain/errors.js';

/** Uncovered-activity alerts and the activity scan's cursor in SQL (migration 011): the part of the break-glass store the scan writes. */

const PRINCIPAL_KINDS = ['identity_center', 'organization_access_role', 'root', 'management_account'] as const satisfies readonly PrincipalKind[];

/** A list cursor that is not one of this store's. */
export const badCursor = (): DomainError =>
  new DomainError('validation_failed', 'カーソルが不正です / the cursor is not valid', { issues: [{ path: ['cursor'], message: 'この一覧のカーソルではありません / not a cursor of this list' }] });

const AlertRow = z
  .object({
    seq: z.union([z.string(), z.number(), z.bigint()]),
    event_id: z.string(),
    provider: z.string(),
    provider_account_id: z.string(),
    account_id: z.string(),
    tenant_id: z.string(),
    principal_arn: z.string(),
    principal_kind: z.enum(PRINCIPAL_KINDS),
    person_id: z.string().nullable(),
    event_source: z.string(),
    event_name: z.string(),
    event_time: z.date(),
    raised_at: z.date(),
    acknowledged_at: z.date().nullable(),
    acknowledged_by: z.string().nullable(),
  })
  .transform((r): { seq: string; alert: Alert } => ({
    seq: String(r.seq),
    alert: {
      eventId: r.event_id,
      provider: r.provider,
      providerAccountId: r.provider_account_id,
      accountId: r.account_id,
      tenantId: r.tenant_id,
      principalArn: r.principal_arn,
      principalKind: r.principal_kind,
      personId: r.person_id,
      eventSource: r.event_source,
      eventName: r.event_name,
      eventTime: r.event_time,
      raisedAt: r.raised_at,
      acknowledgedAt: r.acknowledged_at,
      acknowledgedBy: r.acknowledged_by,
    },
  }));

const CursorRow = z.object({ position: z.date() });

type AlertMethods = Pick<BreakGlassStore, 'insertAlerts' | 'listAlerts' | 'acknowledgeAlert' | 'getScanCursor' | 'advanceScanCursor'>;

export function alertMethods(db: Database): AlertMethods {
  return {
    async insertAlerts(alerts: readonly NewAlert[]) {
      if (alerts.length === 0) return [];
      const rows = await db.query(
        `INSERT INTO break_glass_alerts (event_id, provider, provider_account_id, account_id, tenant_id, principal_arn, principal_kind, person_id,
           event_source, event_name, event_time, raised_at)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS a(event_id text, provider text, provider_account_id text, account_id text, tenant_id text,
           principal_arn text, principal_kind text, person_id text, event_source text, event_name text, event_time timestamptz, raised_at timestamptz)
         ON CONFLICT (event_id) DO NOTHING RETURNING *`,
        [
          JSON.stringify(
            alerts.map((a) => ({
              event_id: a.eventId,
              provider: a.provider,
              provider_account_id: a.providerAccountId,
              account_id: a.accountId,
              tenant_id: a.tenantId,
              principal_arn: a.principalArn,
              principal_kind: a.principalKind,
              person_id: a.personId,
              event_source: a.eventSource,
              event_name: a.eventName,
              event_time: a.eventTime.toISOString(),
              raised_at: a.raisedAt.toISOString(),
            })),
          ),
        ],
      );
      return rows.map((r) => AlertRow.parse(r).alert);
    },

    async listAlerts(tenantId, filter, page) {
      const after = decodeCursor(page.cursor);
      if (after !== undefined && !/^\d{1,19}$/.test(after)) throw badCursor();
      const rows = (
        await db.query(
          `SELECT * FROM break_glass_alerts
            WHERE tenant_id = $1 AND ($2::bigint IS NULL OR seq < $2::bigint) AND (NOT $3::boolean OR acknowledged_at IS NULL)
            ORDER BY seq DESC LIMIT $4`,
          [tenantId, after ?? null, filter.unacknowledged === true, page.limit + 1],
        )
      ).map((r) => AlertRow.parse(r));
      const paged = toPage(rows, page.limit, (a) => a.seq);
      return { items: paged.items.map((r) => r.alert), ...(paged.nextCursor === undefined ? {} : { nextCursor: paged.nextCursor }) };
    },

    async acknowledgeAlert(tenantId, eventId, by, at) {
      const rows = await db.query(
        `UPDATE break_glass_alerts SET acknowledged_at = COALESCE(acknowledged_at, $4::timestamptz), acknowledged_by = COALESCE(acknowledged_by, $3)
          WHERE tenant_id = $1 AND event_id = $2 RETURNING *`,
        [tenantId, eventId, by, at.toISOString()],
      );
      const [row] = rows;
      return row === undefined ? undefined : AlertRow.parse(row).alert;
    },

    async getScanCursor(name) {
      const row = (await db.query('SELECT position FROM break_glass_scan_cursors WHERE name = $1', [name]))[0];
      return row === undefined ? undefined : CursorRow.parse(row).position;
    },

    async advanceScanCursor(name, position, at) {
      await db.query(
        `INSERT INTO break_glass_scan_cursors (name, position, updated_at) VALUES ($1, $2::timestamptz, $3::timestamptz)
         ON CONFLICT (name) DO UPDATE SET position = GREATEST(break_glass_scan_cursors.position, EXCLUDED.position), updated_at = EXCLUDED.updated_at`,
        [name, position.toISOString(), at.toISOString()],
      );
    },
  };
}
