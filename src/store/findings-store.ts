import { z } from 'zod';
import { validationFailed } from '../domain/errors.js';
import { Severity } from '../guardrails/catalog/schema.js';
import { decodeCursor, toPage } from '../app/paging.js';
import type { AccountOwner, Finding, FindingFilter, FindingsStore, KeyedCheckCount, PostureWrite, PostureWriteResult, StoredCheck } from '../app/ports/findings-store.js';
import { scopedTenant } from '../app/scope.js';
import type { Database, SqlExecutor } from './database.js';

/**
 * Checks, findings and the change-feed cursor in SQL (migration 005_resources_and_findings.sql), the
 * same statements on PGlite and PostgreSQL. Many-row writes go through jsonb_to_recordset, a batch
 * of rows per parameter. The finding lifecycle is described in src/app/ports/findings-store.ts.
 */
const BATCH_SIZE = 1_000;

const FINDING_STATUS = z.enum(['active', 'resolved', 'suppressed']);

const FindingRow = z
  .object({
    id: z.string(),
    control_id: z.string(),
    severity: Severity,
    provider: z.string(),
    account_id: z.string(),
    tenant_id: z.string().nullable(),
    region: z.string(),
    resource_type: z.string(),
    resource_id: z.string(),
    resource_arn: z.string().nullable(),
    severity_rank: z.coerce.number(),
    status: FINDING_STATUS,
    message: z.string().nullable(),
    suppression_reason: z.string().nullable(),
    suppressed_by: z.string().nullable(),
    suppressed_at: z.date().nullable(),
    suppressed_until: z.date().nullable(),
    first_seen: z.date(),
    last_seen: z.date(),
    resolved_at: z.date().nullable(),
  })
  .transform(
    (r): Finding & { severityRank: number } => ({
      id: r.id,
      controlId: r.control_id,
      severity: r.severity,
      severityRank: r.severity_rank,
      provider: r.provider,
      accountId: r.account_id,
      tenantId: r.tenant_id,
      region: r.region,
      resourceType: r.resource_type,
      resourceId: r.resource_id,
      resourceArn: r.resource_arn,
      status: r.status,
      message: r.message,
      suppression:
        r.status === 'suppressed' && r.suppression_reason !== null && r.suppressed_until !== null
          ? { reason: r.suppression_reason, by: r.suppressed_by ?? '', at: r.suppressed_at ?? r.last_seen, until: r.suppressed_until }
          : null,
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      resolvedAt: r.resolved_at,
    }),
  );

const present = ({ severityRank: _rank, ...finding }: Finding & { severityRank: number }): Finding => finding;

const CountRow = z.object({
  key: z.string().nullable(),
  severity: Severity,
  result: z.enum(['pass', 'fail', 'error', 'unresolvable']),
  suppressed: z.boolean(),
  count: z.coerce.number(),
});

const OwnerRow = z.object({ provider_account_id: z.string(), id: z.string(), organisation_id: z.string() });
const Position = z.object({ position: z.string() });
const IdRow = z.object({ id: z.string() });
const PreviousRow = z.object({ id: z.string(), status: FINDING_STATUS, suppressed_until: z.date().nullable() });

const SEVERITY_RANK = `CASE r.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END`;
const CHECK_RECORD = `jsonb_to_recordset($1::jsonb) AS r(id text, provider text, account_id text, tenant_id text, region text, resource_type text,
  resource_id text, resource_arn text, control_id text, severity text, result text, message text)`;
const CLEAR_SUPPRESSION = 'suppression_reason = NULL, suppressed_by = NULL, suppressed_at = NULL, suppressed_until = NULL';
/** Still suppressed at $at: a suppression ends at its expiry. */
const stillSuppressed = (at: string) => `(f.status = 'suppressed' AND f.suppressed_until > ${at})`;
/** After a suppression ends: resolved when the latest check passed (or the check is gone), active otherwise. */
/** The finding is within the scope: `$n` is the scope's tenant, or null for every tenant (a finding without a tenant is in no tenant's scope). */
const IN_SCOPE = (param: string) => `(${param}::text IS NULL OR f.tenant_id = ${param}::text)`;
const AFTER_SUPPRESSION = `CASE WHEN coalesce((SELECT c.result FROM posture_checks c WHERE c.id = f.id), 'pass') = 'pass' THEN 'resolved' ELSE 'active' END`;

function batches<T>(items: readonly T[], size = BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const checkRecord = (c: StoredCheck) => ({
  id: c.id,
  provider: '',
  account_id: c.accountId,
  tenant_id: c.tenantId,
  region: c.region,
  resource_type: c.resourceType,
  resource_id: c.resourceId,
  resource_arn: c.resourceArn ?? null,
  control_id: c.controlId,
  severity: c.severity,
  result: c.result,
  message: c.message ?? null,
});

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Resolves findings (suppressed ones too when `force`), clearing their suppression; returns how many. */
async function resolve(tx: SqlExecutor, ids: readonly string[], at: string, force: boolean): Promise<number> {
  let resolved = 0;
  for (const batch of batches(ids)) {
    const rows = await tx.query(
      `UPDATE findings f SET status = 'resolved', resolved_at = $2::timestamptz, evaluated_at = greatest(f.evaluated_at, $2::timestamptz), ${CLEAR_SUPPRESSION}
        WHERE f.id = ANY($1::text[]) AND f.status <> 'resolved' AND ($3::boolean OR (f.evaluated_at <= $2::timestamptz AND NOT ${stillSuppressed('$2::timestamptz')}))
        RETURNING f.id`,
      [batch, at, force],
    );
    resolved += rows.length;
  }
  return resolved;
}

async function writeBatch(tx: SqlExecutor, batch: PostureWrite): Promise<PostureWriteResult> {
  const at = batch.at.toISOString();
  if (batch.cursor !== undefined) {
    await tx.query(`INSERT INTO posture_cursors (name, position, updated_at) VALUES ($1, '', $2) ON CONFLICT (name) DO NOTHING`, [batch.cursor.name, at]);
    const current = Position.parse((await tx.query('SELECT position FROM posture_cursors WHERE name = $1 FOR UPDATE', [batch.cursor.name]))[0]);
    if (current.position !== (batch.cursor.from ?? '')) return { written: false, checks: 0, opened: 0, reopened: 0, resolved: 0 };
  }
  const result: PostureWriteResult = { written: true, checks: 0, opened: 0, reopened: 0, resolved: 0 };
  const records = batch.checks.map((c) => ({ ...checkRecord(c), provider: batch.provider }));
  for (const rows of batches(records)) {
    // Only the checks this evaluation may write (it is newer than what is stored) move their findings.
    const written = await tx.query(
      `INSERT INTO posture_checks (id, provider, account_id, tenant_id, region, resource_type, resource_id, resource_arn, control_id, severity, result, message, evaluated_at)
       SELECT r.id, r.provider, r.account_id, r.tenant_id, r.region, r.resource_type, r.resource_id, r.resource_arn, r.control_id, r.severity, r.result, r.message, $2
         FROM ${CHECK_RECORD}
       ON CONFLICT (id) DO UPDATE SET tenant_id = coalesce(EXCLUDED.tenant_id, posture_checks.tenant_id), resource_arn = EXCLUDED.resource_arn,
         severity = EXCLUDED.severity, result = EXCLUDED.result, message = EXCLUDED.message, evaluated_at = EXCLUDED.evaluated_at
       WHERE posture_checks.evaluated_at <= EXCLUDED.evaluated_at
       RETURNING id`,
      [JSON.stringify(rows), at],
    );
    const current = new Set(written.map((r) => IdRow.parse(r).id));
    result.checks += current.size;
    const failing = rows.filter((r) => r.result === 'fail' && current.has(r.id));
    if (failing.length > 0) {
      const previous = new Map(
        (await tx.query('SELECT id, status, suppressed_until FROM findings WHERE id = ANY($1::text[]) FOR UPDATE', [failing.map((r) => r.id)])).map((r) => {
          const row = PreviousRow.parse(r);
          return [row.id, row] as const;
        }),
      );
      const touched = await tx.query(
        `INSERT INTO findings AS f (id, provider, account_id, tenant_id, region, resource_type, resource_id, resource_arn, control_id, severity, severity_rank,
                                    status, message, first_seen, last_seen, evaluated_at)
         SELECT r.id, r.provider, r.account_id, r.tenant_id, r.region, r.resource_type, r.resource_id, r.resource_arn, r.control_id, r.severity, ${SEVERITY_RANK},
                'active', r.message, $2, $2, $2
           FROM ${CHECK_RECORD}
         ON CONFLICT (id) DO UPDATE SET
           tenant_id = coalesce(EXCLUDED.tenant_id, f.tenant_id), resource_arn = EXCLUDED.resource_arn, severity = EXCLUDED.severity,
           severity_rank = EXCLUDED.severity_rank, message = EXCLUDED.message, last_seen = EXCLUDED.last_seen, evaluated_at = EXCLUDED.evaluated_at,
           resolved_at = NULL,
           status = CASE WHEN ${stillSuppressed('EXCLUDED.last_seen')} THEN 'suppressed' ELSE 'active' END,
           suppression_reason = CASE WHEN ${stillSuppressed('EXCLUDED.last_seen')} THEN f.suppression_reason END,
           suppressed_by = CASE WHEN ${stillSuppressed('EXCLUDED.last_seen')} THEN f.suppressed_by END,
           suppressed_at = CASE WHEN ${stillSuppressed('EXCLUDED.last_seen')} THEN f.suppressed_at END,
           suppressed_until = CASE WHEN ${stillSuppressed('EXCLUDED.last_seen')} THEN f.suppressed_until END
         WHERE f.evaluated_at <= EXCLUDED.evaluated_at
         RETURNING f.id`,
        [JSON.stringify(failing), at],
      );
      for (const { id } of touched.map((r) => IdRow.parse(r))) {
        const before = previous.get(id);
        if (before === undefined) result.opened += 1;
        else if (before.status === 'resolved' || (before.status === 'suppressed' && (before.suppressed_until ?? batch.at) <= batch.at)) result.reopened += 1;
      }
    }
    const passing = rows.filter((r) => r.result === 'pass' && current.has(r.id)).map((r) => r.id);
    if (passing.length > 0) result.resolved += await resolve(tx, passing, at, false);
  }
  const goneChecks: string[] = [];
  const gone = batch.gone.map((g) => ({ account_id: g.accountId, region: g.region, resource_type: g.type, resource_id: g.identifier }));
  for (const rows of batches(gone)) {
    const deleted = await tx.query(
      `DELETE FROM posture_checks c USING jsonb_to_recordset($1::jsonb) AS g(account_id text, region text, resource_type text, resource_id text)
        WHERE c.provider = $2 AND c.account_id = g.account_id AND c.region = g.region AND c.resource_type = g.resource_type
          AND c.resource_id = g.resource_id AND c.evaluated_at <= $3
        RETURNING c.id`,
      [JSON.stringify(rows), batch.provider, at],
    );
    goneChecks.push(...deleted.map((r) => IdRow.parse(r).id));
  }
  if (batch.replaced.length > 0) {
    const deleted = await tx.query('DELETE FROM posture_checks WHERE provider = $1 AND account_id = ANY($2::text[]) AND evaluated_at < $3 RETURNING id', [
      batch.provider,
      [...batch.replaced],
      at,
    ]);
    goneChecks.push(...deleted.map((r) => IdRow.parse(r).id));
  }
  if (goneChecks.length > 0) result.resolved += await resolve(tx, goneChecks, at, true);
  if (batch.cursor !== undefined) await tx.query('UPDATE posture_cursors SET position = $2, updated_at = $3 WHERE name = $1', [batch.cursor.name, batch.cursor.to, at]);
  return result;
}

/** Keyset cursor of the findings list: severity rank, first seen (newest first), id. */
const Key = z.tuple([z.number().int(), z.iso.datetime(), z.string()]);

export function createFindingsStore(db: Database): FindingsStore {
  const oneFinding = async (executor: SqlExecutor, sql: string, params: unknown[]): Promise<Finding | undefined> => {
    const row = (await executor.query(sql, params))[0];
    return row === undefined ? undefined : present(FindingRow.parse(row));
  };

  return {
    async owners(provider, providerAccountIds) {
      const rows = await db.query(
        `SELECT provider_account_id, id, organisation_id FROM accounts
          WHERE provider = $1 AND provider_account_id IS NOT NULL AND status <> 'closed' AND ($2::text[] IS NULL OR provider_account_id = ANY($2::text[]))
          ORDER BY provider_account_id`,
        [provider, providerAccountIds === undefined ? null : [...providerAccountIds]],
      );
      return rows.map((r): AccountOwner => {
        const row = OwnerRow.parse(r);
        return { providerAccountId: row.provider_account_id, accountId: row.id, tenantId: row.organisation_id };
      });
    },

    async checkedAccounts(provider) {
      const rows = await db.query('SELECT DISTINCT account_id AS id FROM posture_checks WHERE provider = $1 ORDER BY account_id', [provider]);
      return rows.map((r) => IdRow.parse(r).id);
    },

    async getCursor(name) {
      const row = (await db.query('SELECT position FROM posture_cursors WHERE name = $1', [name]))[0];
      const position = row === undefined ? '' : Position.parse(row).position;
      return position === '' ? undefined : position;
    },

    write: (batch) => db.transaction((tx) => writeBatch(tx, batch)),

    async expireSuppressions(at) {
      const rows = await db.query(
        `UPDATE findings f SET status = ${AFTER_SUPPRESSION}, resolved_at = CASE WHEN ${AFTER_SUPPRESSION} = 'resolved' THEN $1::timestamptz END, ${CLEAR_SUPPRESSION}
          WHERE f.status = 'suppressed' AND f.suppressed_until <= $1 RETURNING f.id`,
        [at.toISOString()],
      );
      return rows.length;
    },

    async listFindings(scope, filter: FindingFilter, page) {
      const p = new Params();
      const tenant = scopedTenant(scope);
      const conditions: string[] = [];
      if (tenant !== undefined) conditions.push(`tenant_id = ${p.add(tenant)}`);
      if (filter.tenantId !== undefined) conditions.push(`tenant_id = ${p.add(filter.tenantId)}`);
      if (filter.provider !== undefined) conditions.push(`provider = ${p.add(filter.provider)}`);
      if (filter.accountId !== undefined) conditions.push(`account_id = ${p.add(filter.accountId)}`);
      if (filter.controlId !== undefined) conditions.push(`control_id = ${p.add(filter.controlId)}`);
      if (filter.severity !== undefined) conditions.push(`severity = ${p.add(filter.severity)}`);
      if (filter.status !== undefined) conditions.push(`status = ${p.add(filter.status)}`);
      if (filter.resourceType !== undefined) conditions.push(`resource_type = ${p.add(filter.resourceType)}`);
      const after = decodeKey(page.cursor);
      if (after !== undefined) {
        const [rank, seen, id] = [p.add(after[0]), p.add(after[1]), p.add(after[2])];
        conditions.push(`(severity_rank > ${rank} OR (severity_rank = ${rank} AND (first_seen < ${seen}::timestamptz OR (first_seen = ${seen}::timestamptz AND id > ${id}))))`);
      }
      const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
      const rows = (await db.query(`SELECT * FROM findings ${where} ORDER BY severity_rank, first_seen DESC, id LIMIT ${p.add(page.limit + 1)}`, p.values)).map((r) =>
        FindingRow.parse(r),
      );
      const result = toPage(rows, page.limit, (f) => JSON.stringify([f.severityRank, f.firstSeen.toISOString(), f.id]));
      return { ...result, items: result.items.map(present) };
    },

    getFinding: (scope, id) => oneFinding(db, `SELECT * FROM findings f WHERE f.id = $1 AND ${IN_SCOPE('$2')}`, [id, scopedTenant(scope) ?? null]),

    suppress: (scope, id, s) =>
      oneFinding(
        db,
        `UPDATE findings f SET status = 'suppressed', suppression_reason = $2, suppressed_by = $3, suppressed_at = $4, suppressed_until = $5
          WHERE f.id = $1 AND f.status <> 'resolved' AND ${IN_SCOPE('$6')} RETURNING *`,
        [id, s.reason, s.by, s.at.toISOString(), s.until.toISOString(), scopedTenant(scope) ?? null],
      ),

    unsuppress: (scope, id, at) =>
      oneFinding(
        db,
        `UPDATE findings f SET status = ${AFTER_SUPPRESSION}, resolved_at = CASE WHEN ${AFTER_SUPPRESSION} = 'resolved' THEN $2::timestamptz END, ${CLEAR_SUPPRESSION}
          WHERE f.id = $1 AND f.status = 'suppressed' AND ${IN_SCOPE('$3')} RETURNING *`,
        [id, at.toISOString(), scopedTenant(scope) ?? null],
      ),

    async checkCounts(scope, groupBy, at): Promise<KeyedCheckCount[]> {
      const p = new Params();
      const atParam = p.add(at.toISOString());
      let where = '';
      if ('tenantId' in scope) where = `WHERE c.tenant_id = ${p.add(scope.tenantId)}`;
      else if ('accountId' in scope) where = `WHERE c.provider = ${p.add(scope.provider)} AND c.account_id = ${p.add(scope.accountId)}`;
      const key = groupBy === 'account' ? 'c.account_id' : 'c.tenant_id';
      const rows = await db.query(
        `SELECT ${key} AS key, c.severity, c.result, coalesce(${stillSuppressed(`${atParam}::timestamptz`)}, false) AS suppressed, count(*)::int AS count
           FROM posture_checks c LEFT JOIN findings f ON f.id = c.id ${where}
          GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
        p.values,
      );
      return rows.map((r) => CountRow.parse(r));
    },
  };
}

function decodeKey(cursor: string | undefined): z.infer<typeof Key> | undefined {
  const text = decodeCursor(cursor);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const parsed = Key.safeParse(value);
  if (!parsed.success) throw validationFailed('the cursor is not valid', [{ path: ['cursor'], message: 'pass back the nextCursor of a previous page' }]);
  return parsed.data;
}
