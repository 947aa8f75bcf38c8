import { z } from 'zod';
import { CloudError, type AccountAssignment, type AssignmentStatus } from '../../app/ports/cloud.js';
import { materialize } from './accounts.js';
import { newRequestId } from './ids.js';
import { first, type TwinContext } from './organization.js';

/**
 * SSO admin DeleteAccountAssignment, asynchronous like creation: the call answers IN_PROGRESS and the
 * assignment disappears `assignmentDurationMs` later, when the request succeeds. Deleting an
 * assignment that does not exist succeeds (nothing to do); a target outside the organisation fails the
 * request, reported by its status as for creation.
 */
export async function deleteAccountAssignment(ctx: TwinContext, assignment: AccountAssignment, now: Date): Promise<AssignmentStatus> {
  await materialize(ctx, now);
  const facts = z
    .object({ permission_set: z.boolean(), account: z.boolean() })
    .parse(
      first(
        await ctx.db.query(
          `SELECT EXISTS (SELECT 1 FROM twin_permission_sets WHERE org_id = $1 AND arn = $2) AS permission_set,
                  EXISTS (SELECT 1 FROM twin_accounts WHERE org_id = $1 AND id = $3) AS account`,
          [ctx.org.id, assignment.permissionSetArn, assignment.accountId],
        ),
      ),
    );
  if (!facts.permission_set) throw new CloudError('ResourceNotFoundException', `Permission set ${assignment.permissionSetArn} does not exist.`);
  const failureReason = facts.account ? null : `Account ${assignment.accountId} is not a member of the organization.`;
  const requestId = newRequestId();
  const completesAt = new Date(now.getTime() + ctx.config.assignmentDurationMs).toISOString();
  await ctx.db.query(
    `WITH req AS (
       INSERT INTO twin_assignment_deletion_requests
         (id, org_id, account_id, permission_set_arn, principal_type, principal_id, failure_reason, requested_at, completes_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz, $9::timestamptz)
     )
     UPDATE twin_account_assignments SET removed_at = $9::timestamptz
      WHERE org_id = $2 AND account_id = $3 AND permission_set_arn = $4 AND principal_type = $5 AND principal_id = $6
        AND removed_at IS NULL AND $7::text IS NULL`,
    [requestId, ctx.org.id, assignment.accountId, assignment.permissionSetArn, assignment.principalType, assignment.principalId, failureReason, now.toISOString(), completesAt],
  );
  return { requestId, status: 'IN_PROGRESS' };
}

const RequestRow = z.object({ failure_reason: z.string().nullable(), completes_at: z.date() });

export async function describeAccountAssignmentDeletionStatus(ctx: TwinContext, requestId: string, now: Date): Promise<AssignmentStatus> {
  const row = (await ctx.db.query('SELECT failure_reason, completes_at FROM twin_assignment_deletion_requests WHERE org_id = $1 AND id = $2', [ctx.org.id, requestId]))[0];
  if (row === undefined) throw new CloudError('ResourceNotFoundException', `Account assignment deletion request ${requestId} does not exist.`);
  const request = RequestRow.parse(row);
  if (request.completes_at > now) return { requestId, status: 'IN_PROGRESS' };
  if (request.failure_reason !== null) return { requestId, status: 'FAILED', failureReason: request.failure_reason };
  return { requestId, status: 'SUCCEEDED' };
}
