import { z } from 'zod';
import { chainAfter, type AuditEntry, type AuditRecord } from '../app/audit/chain.js';
import type { AuditFilter, AuditLog } from '../app/ports/audit-log.js';
import type { Database } from './database.js';

/** The audit trail in SQL (migration 008_audit_log.sql); rows parsed with zod. */

const EntryRow = z
  .object({
    seq: z.coerce.number().int(),
    at: z.date(),
    actor: z.string(),
    action: z.string(),
    target: z.record(z.string(), z.string()),
    tenant: z.string().nullable(),
    source_ip: z.string().nullable(),
    forwarded_for: z.string().nullable(),
    user_agent: z.string().nullable(),
    status: z.number().int(),
    outcome: z.enum(['succeeded', 'refused', 'failed']),
    dry_run: z.boolean(),
    details: z.record(z.string(), z.json()),
    prev_hash: z.string(),
    hash: z.string(),
  })
  .transform(
    (r): AuditEntry => ({
      seq: r.seq,
      at: r.at,
      actor: r.actor,
      action: r.action,
      target: r.target,
      tenant: r.tenant,
      source: { ip: r.source_ip, forwardedFor: r.forwarded_for, userAgent: r.user_agent },
      result: { status: r.status, outcome: r.outcome },
      dryRun: r.dry_run,
      details: r.details,
      prevHash: r.prev_hash,
      hash: r.hash,
    }),
  );
const HeadRow = z.object({ seq: z.coerce.number().int(), hash: z.string() });

export function createAuditStore(db: Database): AuditLog {
  return {
    async append(record: AuditRecord) {
      return db.transaction(async (tx) => {
        // The head row's lock serialises appends across connections and processes: the next one
        // waits here and then chains after this entry, so two entries never share a prev_hash.
        const head = HeadRow.parse((await tx.query('SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE'))[0]);
        const e = chainAfter(record, head);
        await tx.query(
          `INSERT INTO audit_log (seq, at, actor, action, target, tenant, source_ip, forwarded_for, user_agent, status, outcome, dry_run, details, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
          [
            e.seq, e.at, e.actor, e.action, JSON.stringify(e.target), e.tenant, e.source.ip, e.source.forwardedFor, e.source.userAgent,
            e.result.status, e.result.outcome, e.dryRun, JSON.stringify(e.details), e.prevHash, e.hash,
          ],
        );
        await tx.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1', [e.seq, e.hash]);
        return e;
      });
    },

    async read(afterSeq: number, limit: number, filter: AuditFilter = {}) {
      const params: unknown[] = [afterSeq, limit];
      const where = ['seq > $1'];
      if (filter.tenant !== undefined) {
        // A request that touched several tenants names them in details.tenants instead of tenant.
        const n = params.push(filter.tenant);
        where.push(`(tenant = $${n} OR details->'tenants' @> jsonb_build_array($${n}::text))`);
      }
      if (filter.from !== undefined) where.push(`at >= $${params.push(filter.from)}`);
      if (filter.to !== undefined) where.push(`at < $${params.push(filter.to)}`);
      const rows = await db.query(`SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $2`, params);
      return rows.map((r) => EntryRow.parse(r));
    },

    async head() {
      return HeadRow.parse((await db.query('SELECT seq, hash FROM audit_head WHERE id = 1'))[0]);
    },
  };
}
