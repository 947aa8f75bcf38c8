import { z } from 'zod';
import { CloudError, type SupportPlan } from '../../app/ports/cloud.js';
import { materialize } from './accounts.js';
import type { TwinContext } from './organization.js';

/** Support plan per account. Every account starts on BASIC, as a new AWS account does. */

const PlanRow = z.object({ found: z.boolean(), plan: z.enum(['BASIC', 'DEVELOPER', 'BUSINESS', 'ENTERPRISE']).nullable() });

const accountNotFound = (accountId: string): CloudError =>
  new CloudError('AccountNotFoundException', `You specified an account that doesn't exist: ${accountId}.`);

export async function getSupportPlan(ctx: TwinContext, accountId: string, now: Date): Promise<SupportPlan> {
  await materialize(ctx, now);
  const row = PlanRow.parse(
    (
      await ctx.db.query(
        `SELECT true AS found, s.plan FROM twin_accounts a
           LEFT JOIN twin_support_plans s ON s.org_id = a.org_id AND s.account_id = a.id
          WHERE a.org_id = $1 AND a.id = $2`,
        [ctx.org.id, accountId],
      )
    )[0] ?? { found: false, plan: null },
  );
  if (!row.found) throw accountNotFound(accountId);
  return row.plan ?? 'BASIC';
}

/** Idempotent: enrolling in the current plan changes nothing but the timestamp. */
export async function enrolSupportPlan(ctx: TwinContext, accountId: string, plan: SupportPlan, now: Date): Promise<void> {
  await materialize(ctx, now);
  const rows = await ctx.db.query(
    `INSERT INTO twin_support_plans (org_id, account_id, plan, updated_at)
     SELECT org_id, id, $3, $4::timestamptz FROM twin_accounts WHERE org_id = $1 AND id = $2
     ON CONFLICT (org_id, account_id) DO UPDATE SET plan = EXCLUDED.plan, updated_at = EXCLUDED.updated_at
     RETURNING account_id`,
    [ctx.org.id, accountId, plan, now.toISOString()],
  );
  if (rows.length === 0) throw accountNotFound(accountId);
}
