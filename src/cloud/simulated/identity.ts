import { z } from 'zod';
import { CloudError, type IdentityGroup, type Page, type PermissionSet } from '../../app/ports/cloud.js';
import { newGroupId, newPermissionSetArn } from './ids.js';
import { first, seq, type TwinContext } from './organization.js';
import { afterSeq, toPage, type Cursor } from './paging.js';

/** IAM Identity Center: the identity store's groups and the instance's permission sets. */

const GroupRow = z.object({ seq, group_id: z.string(), display_name: z.string(), description: z.string().nullable() });

const GROUPS: Cursor = { list: 'ListGroups', invalidCode: 'ValidationException' };

function toGroup(row: z.infer<typeof GroupRow>): IdentityGroup {
  return { groupId: row.group_id, displayName: row.display_name, ...(row.description === null ? {} : { description: row.description }) };
}

/** The identity store's ListGroups filters on DisplayName by exact match. */
export async function listGroups(ctx: TwinContext, filter: { displayName?: string }, nextToken: string | undefined): Promise<Page<IdentityGroup>> {
  const after = afterSeq(GROUPS, nextToken);
  const rows = await ctx.db.query(
    `SELECT * FROM twin_groups WHERE org_id = $1 AND seq > $2 AND ($3::text IS NULL OR display_name = $3)
      ORDER BY seq LIMIT $4`,
    [ctx.org.id, after, filter.displayName ?? null, ctx.config.pageSize + 1],
  );
  return toPage(GROUPS, rows.map((r) => GroupRow.parse(r)), ctx.config.pageSize, toGroup);
}

export async function createGroup(ctx: TwinContext, input: { displayName: string; description?: string }): Promise<IdentityGroup> {
  if (input.displayName.length < 1 || input.displayName.length > 1024) {
    throw new CloudError('ValidationException', 'DisplayName must be 1 to 1024 characters.');
  }
  const rows = await ctx.db.query(
    `INSERT INTO twin_groups (group_id, org_id, display_name, description) VALUES ($1, $2, $3, $4)
     ON CONFLICT (org_id, display_name) DO NOTHING RETURNING *`,
    [newGroupId(), ctx.org.id, input.displayName, input.description ?? null],
  );
  const row = rows[0];
  // ConflictException is retryable for in-flight conflicts; a duplicate name never resolves by waiting.
  if (row === undefined) {
    throw new CloudError('ConflictException', `Duplicate GroupDisplayName ${input.displayName}.`, { retryable: false, reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' });
  }
  return toGroup(GroupRow.parse(row));
}

const PermissionSetRow = z.object({
  seq,
  arn: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  session_duration: z.string(),
});

function toPermissionSet(row: z.infer<typeof PermissionSetRow>): PermissionSet {
  return {
    arn: row.arn,
    name: row.name,
    sessionDuration: row.session_duration,
    ...(row.description === null ? {} : { description: row.description }),
  };
}

const PERMISSION_SETS: Cursor = { list: 'ListPermissionSets', invalidCode: 'ValidationException' };

export async function listPermissionSets(ctx: TwinContext, nextToken: string | undefined): Promise<Page<PermissionSet>> {
  const after = afterSeq(PERMISSION_SETS, nextToken);
  const rows = await ctx.db.query('SELECT * FROM twin_permission_sets WHERE org_id = $1 AND seq > $2 ORDER BY seq LIMIT $3', [
    ctx.org.id,
    after,
    ctx.config.pageSize + 1,
  ]);
  return toPage(PERMISSION_SETS, rows.map((r) => PermissionSetRow.parse(r)), ctx.config.pageSize, toPermissionSet);
}

// Identity Center's rules: names of word characters and +=,.@-; sessions of 1 to 12 hours in ISO-8601.
const NAME = /^[\w+=,.@-]{1,32}$/;
const DURATION = /^PT(?:(\d{1,2})H)?(?:(\d{1,3})M)?$/;

function validSessionDuration(value: string): boolean {
  const match = DURATION.exec(value);
  if (match === null || (match[1] === undefined && match[2] === undefined)) return false;
  const minutes = Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
  return minutes >= 60 && minutes <= 720;
}

/**
 * Creates a permission set within the instance's quota. The count and the insert run under the
 * organisation row lock so processes racing for the last slot cannot overshoot the quota together.
 */
export async function createPermissionSet(
  ctx: TwinContext,
  input: { name: string; description?: string; sessionDuration?: string },
  now: Date,
): Promise<PermissionSet> {
  const sessionDuration = input.sessionDuration ?? 'PT1H';
  if (!NAME.test(input.name)) throw new CloudError('ValidationException', 'Name must be 1 to 32 characters of [\\w+=,.@-].');
  if (!validSessionDuration(sessionDuration)) {
    throw new CloudError('ValidationException', 'SessionDuration must be an ISO-8601 duration from PT1H to PT12H.');
  }
  return ctx.db.transaction(async (tx) => {
    await tx.query('SELECT id FROM twin_organizations WHERE id = $1 FOR UPDATE', [ctx.org.id]);
    const { n } = z.object({ n: seq }).parse(first(await tx.query('SELECT count(*) AS n FROM twin_permission_sets WHERE org_id = $1', [ctx.org.id])));
    if (n >= ctx.config.permissionSetQuota) {
      throw new CloudError('ServiceQuotaExceededException', `The number of permission sets in the instance would exceed the quota of ${ctx.config.permissionSetQuota}.`);
    }
    const rows = await tx.query(
      `INSERT INTO twin_permission_sets (arn, org_id, name, description, session_duration, created_at)
       VALUES ($1, $2, $3, $4, $5, $6::timestamptz) ON CONFLICT (org_id, name) DO NOTHING RETURNING *`,
      [newPermissionSetArn(ctx.org.ssoInstanceArn), ctx.org.id, input.name, input.description ?? null, sessionDuration, now.toISOString()],
    );
    const row = rows[0];
    if (row === undefined) {
      throw new CloudError('ConflictException', `PermissionSet with name ${input.name} already exists.`, { retryable: false });
    }
    return toPermissionSet(PermissionSetRow.parse(row));
  });
}
