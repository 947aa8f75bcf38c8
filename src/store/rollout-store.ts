import { z } from 'zod';
import { conflict } from '../domain/errors.js';
import { OrganizationPolicyKind } from '../guardrails/iam/policy-schema.js';
import { ImpactFindings } from '../guardrails/rollout/report.js';
import { RolloutStage } from '../guardrails/rollout/stage.js';
import type { RolloutChange, RolloutKey, RolloutStore, StoredReport, StoredRollout } from '../app/ports/rollout-store.js';
import type { Database, SqlExecutor } from './database.js';

/** Rollouts, their history and impact reports in SQL (migration 006_guardrail_rollouts.sql); rows parsed with zod. */

const ControlIds = z.array(z.string());

const RolloutRow = z
  .object({
    provider: z.string(),
    ou_id: z.string(),
    kind: OrganizationPolicyKind,
    ou_path: z.string(),
    stage: RolloutStage,
    controls: ControlIds,
    audit_since: z.date().nullable(),
    enforced_controls: ControlIds.nullable(),
    enforced_hash: z.string().nullable(),
    enforced_since: z.date().nullable(),
    version: z.coerce.number().int(),
    converged: z.boolean(),
    updated_at: z.date(),
    updated_by: z.string(),
  })
  .transform(
    (r): StoredRollout => ({
      provider: r.provider,
      ouId: r.ou_id,
      kind: r.kind,
      ouPath: r.ou_path,
      state: {
        stage: r.stage,
        controls: r.controls,
        auditSince: r.audit_since,
        enforced:
          r.enforced_hash === null || r.enforced_since === null ? null : { controls: r.enforced_controls ?? [], policyHash: r.enforced_hash, since: r.enforced_since },
      },
      version: r.version,
      converged: r.converged,
      updatedAt: r.updated_at,
      updatedBy: r.updated_by,
    }),
  );

const ChangeRow = z
  .object({
    action: z.enum(['select', 'stage']),
    from_stage: RolloutStage,
    to_stage: RolloutStage,
    controls: ControlIds,
    policy_hash: z.string().nullable(),
    report_id: z.string().nullable(),
    accepted_empty_report: z.boolean(),
    actor: z.string(),
    reason: z.string().nullable(),
    at: z.date(),
  })
  .transform(
    (r): RolloutChange => ({
      action: r.action,
      fromStage: r.from_stage,
      toStage: r.to_stage,
      controls: r.controls,
      policyHash: r.policy_hash,
      reportId: r.report_id,
      acceptedEmptyReport: r.accepted_empty_report,
      actor: r.actor,
      reason: r.reason,
      at: r.at,
    }),
  );

const ReportRow = z
  .object({
    id: z.string(),
    provider: z.string(),
    ou_id: z.string(),
    kind: OrganizationPolicyKind,
    ou_path: z.string(),
    stage: RolloutStage,
    in_audit: z.boolean(),
    policy_hash: z.string(),
    controls: ControlIds,
    since: z.date(),
    until: z.date(),
    computed_at: z.date(),
    computed_by: z.string(),
    summary: ImpactFindings,
  })
  .transform(
    (r): StoredReport => ({
      id: r.id,
      provider: r.provider,
      ouId: r.ou_id,
      kind: r.kind,
      ouPath: r.ou_path,
      stage: r.stage,
      inAudit: r.in_audit,
      policyHash: r.policy_hash,
      controls: r.controls,
      since: r.since,
      until: r.until,
      computedAt: r.computed_at,
      computedBy: r.computed_by,
      findings: r.summary,
    }),
  );

const KEY = 'provider = $1 AND ou_id = $2 AND kind = $3';
const keyParams = (key: RolloutKey): unknown[] => [key.provider, key.ouId, key.kind];
const iso = (date: Date | null | undefined): string | null => (date === null || date === undefined ? null : date.toISOString());

async function insertChange(tx: SqlExecutor, key: RolloutKey, ouPath: string, change: RolloutChange): Promise<void> {
  await tx.query(
    `INSERT INTO guardrail_rollout_history (provider, ou_id, kind, ou_path, action, from_stage, to_stage, controls, policy_hash, report_id, actor, reason, at, accepted_empty_report)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13::timestamptz, $14)`,
    [
      ...keyParams(key),
      ouPath,
      change.action,
      change.fromStage,
      change.toStage,
      JSON.stringify(change.controls),
      change.policyHash,
      change.reportId,
      change.actor,
      change.reason,
      change.at.toISOString(),
      change.acceptedEmptyReport,
    ],
  );
}

export function createRolloutStore(db: Database): RolloutStore {
  return {
    async get(key) {
      const row = (await db.query(`SELECT * FROM guardrail_rollouts WHERE ${KEY}`, keyParams(key)))[0];
      return row === undefined ? undefined : RolloutRow.parse(row);
    },

    async list(provider) {
      return (await db.query('SELECT * FROM guardrail_rollouts WHERE provider = $1 ORDER BY ou_path, kind', [provider])).map((r) => RolloutRow.parse(r));
    },

    async save(rollout, expectedVersion, change) {
      const { state } = rollout;
      const values = [
        ...keyParams(rollout),
        rollout.ouPath,
        state.stage,
        JSON.stringify(state.controls),
        iso(state.auditSince),
        state.enforced === null ? null : JSON.stringify(state.enforced.controls),
        state.enforced?.policyHash ?? null,
        iso(state.enforced?.since),
        rollout.updatedAt.toISOString(),
        rollout.updatedBy,
        expectedVersion,
        rollout.converged ?? null,
      ];
      return db.transaction(async (tx) => {
        // Insert when new, update when the version still matches; either way at most one row comes back.
        const rows =
          expectedVersion === 0
            ? await tx.query(
                `INSERT INTO guardrail_rollouts (provider, ou_id, kind, ou_path, stage, controls, audit_since, enforced_controls, enforced_hash, enforced_since, updated_at, updated_by, converged)
                 SELECT $1, $2, $3, $4, $5, $6::jsonb, $7::timestamptz, $8::jsonb, $9, $10::timestamptz, $11::timestamptz, $12, COALESCE($14::boolean, true) WHERE $13::int = 0
                 ON CONFLICT (provider, ou_id, kind) DO NOTHING RETURNING *`,
                values,
              )
            : await tx.query(
                `UPDATE guardrail_rollouts SET ou_path = $4, stage = $5, controls = $6::jsonb, audit_since = $7::timestamptz, enforced_controls = $8::jsonb,
                        enforced_hash = $9, enforced_since = $10::timestamptz, updated_at = $11::timestamptz, updated_by = $12, version = version + 1,
                        converged = COALESCE($14::boolean, converged)
                  WHERE ${KEY} AND version = $13 RETURNING *`,
                values,
              );
        const row = rows[0];
        if (row === undefined) throw conflict(`the rollout of ${rollout.ouPath} (${rollout.kind}) was changed meanwhile; look again and retry`);
        await insertChange(tx, rollout, rollout.ouPath, change);
        return RolloutRow.parse(row);
      });
    },

    async markConverged(key, version) {
      const row = (await db.query(`UPDATE guardrail_rollouts SET converged = true WHERE ${KEY} AND version = $4 RETURNING *`, [...keyParams(key), version]))[0];
      return row === undefined ? undefined : RolloutRow.parse(row);
    },

    async history(key, limit) {
      return (await db.query(`SELECT * FROM guardrail_rollout_history WHERE ${KEY} ORDER BY seq DESC LIMIT $4`, [...keyParams(key), limit])).map((r) => ChangeRow.parse(r));
    },

    async insertReport(report) {
      await db.query(
        `INSERT INTO guardrail_impact_reports (id, provider, ou_id, kind, ou_path, stage, in_audit, policy_hash, controls, since, until, computed_at, computed_by, summary)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::timestamptz, $11::timestamptz, $12::timestamptz, $13, $14::jsonb)`,
        [
          report.id,
          report.provider,
          report.ouId,
          report.kind,
          report.ouPath,
          report.stage,
          report.inAudit,
          report.policyHash,
          JSON.stringify(report.controls),
          report.since.toISOString(),
          report.until.toISOString(),
          report.computedAt.toISOString(),
          report.computedBy,
          JSON.stringify(report.findings),
        ],
      );
    },

    async getReport(id) {
      const row = (await db.query('SELECT * FROM guardrail_impact_reports WHERE id = $1', [id]))[0];
      return row === undefined ? undefined : ReportRow.parse(row);
    },

    async latestReport(key) {
      const row = (await db.query(`SELECT * FROM guardrail_impact_reports WHERE ${KEY} ORDER BY computed_at DESC, id DESC LIMIT 1`, keyParams(key)))[0];
      return row === undefined ? undefined : ReportRow.parse(row);
    },
  };
}
