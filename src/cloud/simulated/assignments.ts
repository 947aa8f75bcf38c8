import { z } from 'zod';
import { CloudError, type AccountAssignment, type AssignmentStatus, type Page } from '../../app/ports/cloud.js';
import { materialize } from './accounts.js';
import { newRequestId } from './ids.js';
import { first, seq, type TwinContext } from './organization.js';
import { afterSeq, toPage, type Cursor } from './paging.js';

/**
 * Account assignments, asynchronous like CreateAccountAssignment: the call answers IN_PROGRESS and the
 * request succeeds (or fails) `assignmentDurationMs` later. Assigning an existing assignment is a new
 * request that succeeds without a second row. Deletion is asynchronous too (assignment-deletions.ts):
 * an assignment stays visible until its deletion completes at `removed_at`; creating it again clears that.
 */

export async function createAccountAssignment(ctx: TwinContext, assignment: AccountAssignment, now: Date): Promise<AssignmentStatus> {
  await materialize(ctx, now);
  const facts = z
    .object({ permission_set: z.boolean(), account: z.boolean(), principal: z.boolean() })
    .parse(
      first(
        await ctx.db.query(
          `SELECT EXISTS (SELECT 1 FROM twin_permission_sets WHERE org_id = $1 AND arn = $2) AS permission_set,
                  EXISTS (SELECT 1 FROM twin_accounts WHERE org_id = $1 AND id = $3) AS account,
                  CASE $4 WHEN 'GROUP' THEN EXISTS (SELECT 1 FROM twin_groups WHERE org_id = $1 AND group_id = $5)
                          ELSE EXISTS (SELECT 1 FROM twin_users WHERE org_id = $1 AND user_id = $5) END AS principal`,
          [ctx.org.id, assignment.permissionSetArn, assignment.accountId, assignment.principalType, assignment.principalId],
        ),
      ),
    );
  if (!facts.permission_set) throw new CloudError('ResourceNotFoundException', `Permission set ${assignment.permissionSetArn} does not exist.`);
  // Like AWS, a target or principal that does not exist is reported by the request status, not by the call.
  const failureReason = !facts.account
    ? `Account ${assignment.accountId} is not a member of the organization.`
    : !facts.principal
      ? `Principal ${assignment.principalId} does not exist in the identity store.`
      : null;
  const requestId = newRequestId();
  const completesAt = new Date(now.getTime() + ctx.config.assignmentDurationMs).toISOString();
  await ctx.db.query(
    `WITH req AS (
       INSERT INTO twin_assignment_requests
         (id, org_id, account_id, permission_set_arn, principal_type, principal_id, failure_reason, requested_at, completes_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz, $9::timestamptz)
     )
     INSERT INTO twin_account_assignments AS a (org_id, account_id, permission_set_arn, principal_type, principal_id, effective_at)
     SELECT $2, $3, $4, $5, $6, $9::timestamptz WHERE $7::text IS NULL
     ON CONFLICT (org_id, account_id, permission_set_arn, principal_type, principal_id) DO UPDATE
       SET effective_at = CASE WHEN a.removed_at <= $8::timestamptz THEN EXCLUDED.effective_at ELSE LEAST(a.effective_at, EXCLUDED.effective_at) END,
           removed_at = NULL
       WHERE a.removed_at IS NOT NULL`,
    [
      requestId,
      ctx.org.id,
      assignment.accountId,
      assignment.permissionSetArn,
      assignment.principalType,
      assignment.principalId,
      failureReason,
      now.toISOString(),
      completesAt,
    ],
  );
  return { requestId, status: 'IN_PROGRESS' };
}

const RequestRow = z.object({ id: z.string(), failure_reason: z.string().nullable(), completes_at: z.date() });

export async function describeAccountAssignmentCreationStatus(ctx: TwinContext, requestId: string, now: Date): Promise<AssignmentStatus> {
  const row = (await ctx.db.query('SELECT id, failure_reason, completes_at FROM twin_assignment_requests WHERE org_id = $1 AND id = $2', [ctx.org.id, requestId]))[0];
  if (row === undefined) throw new CloudError('ResourceNotFoundException', `Account assignment creation request ${requestId} does not exist.`);
  const request = RequestRow.parse(row);
  if (request.completes_at > now) return { requestId, status: 'IN_PROGRESS' };
  if (request.failure_reason !== null) return { requestId, status: 'FAILED', failureReason: request.failure_reason };
  return { requestId, status: 'SUCCEEDED' };
}

const AssignmentRow = z.object({
  seq,
  account_id: z.string(),
  permission_set_arn: z.string(),
  principal_type: z.enum(['GROUP', 'USER']),
  principal_id: z.string(),
});

const ASSIGNMENTS: Cursor = { list: 'ListAccountAssignments', invalidCode: 'ValidationException' };

export async function listAccountAssignments(
  ctx: TwinContext,
  accountId: string,
  permissionSetArn: string,
  nextToken: string | undefined,
  now: Date,
): Promise<Page<AccountAssignment>> {
  const after = afterSeq(ASSIGNMENTS, nextToken);
  const rows = await ctx.db.query(
    `SELECT * FROM twin_account_assignments
      WHERE org_id = $1 AND account_id = $2 AND permission_set_arn = $3 AND effective_at <= $4::timestamptz
        AND (removed_at IS NULL OR removed_at > $4::timestamptz) AND seq > $5
      ORDER BY seq LIMIT $6`,
    [ctx.org.id, accountId, permissionSetArn, now.toISOString(), after, ctx.config.pageSize + 1],
  );
  return toPage(ASSIGNMENTS, rows.map((r) => AssignmentRow.parse(r)), ctx.config.pageSize, (r) => ({
    accountId: r.account_id,
    permissionSetArn: r.permission_set_arn,
    principalType: r.principal_type,
    principalId: r.principal_id,
  }));
}
