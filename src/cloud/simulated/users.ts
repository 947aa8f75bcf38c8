import { z } from 'zod';
import { CloudError, type IdentityUser, type Page } from '../../app/ports/cloud.js';
import { newUserId } from './ids.js';
import { seq, type TwinContext } from './organization.js';
import { afterSeq, toPage, type Cursor } from './paging.js';

/**
 * The identity store's users (IdentityStore CreateUser, ListUsers, DeleteUser), with AWS's rules:
 * UserName 1 to 128 letters, marks, symbols, numbers and punctuation (no spaces), unique in the store
 * regardless of case, and not one of the reserved names; DisplayName 1 to 1,024 characters.
 */

const UserRow = z.object({ seq, user_id: z.string(), user_name: z.string(), display_name: z.string(), email: z.string() });

const USERS: Cursor = { list: 'ListUsers', invalidCode: 'ValidationException' };

const USER_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;
const DISPLAY_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r \u00a0\u3000]{1,1024}$/u;
const RESERVED = new Set(['administrator', 'awsadministrators']);

function toUser(row: z.infer<typeof UserRow>): IdentityUser {
  return { userId: row.user_id, userName: row.user_name, displayName: row.display_name, email: row.email };
}

/** ListUsers with the UserName filter, which matches exactly (without regard to case, as the store compares names). */
export async function listUsers(ctx: TwinContext, filter: { userName?: string }, nextToken: string | undefined): Promise<Page<IdentityUser>> {
  const after = afterSeq(USERS, nextToken);
  const rows = await ctx.db.query(
    `SELECT * FROM twin_users WHERE org_id = $1 AND seq > $2 AND ($3::text IS NULL OR lower(user_name) = lower($3))
      ORDER BY seq LIMIT $4`,
    [ctx.org.id, after, filter.userName ?? null, ctx.config.pageSize + 1],
  );
  return toPage(USERS, rows.map((r) => UserRow.parse(r)), ctx.config.pageSize, toUser);
}

export async function createUser(ctx: TwinContext, input: { userName: string; displayName: string; email: string }, now: Date): Promise<IdentityUser> {
  if (!USER_NAME.test(input.userName)) {
    throw new CloudError('ValidationException', 'UserName must be 1 to 128 letters, marks, symbols, numbers or punctuation characters.');
  }
  if (RESERVED.has(input.userName.toLowerCase())) throw new CloudError('ValidationException', `UserName ${input.userName} is reserved.`);
  if (!DISPLAY_NAME.test(input.displayName)) throw new CloudError('ValidationException', 'DisplayName must be 1 to 1024 characters.');
  if (input.email.length < 1 || input.email.length > 1024) throw new CloudError('ValidationException', 'Emails.Value must be 1 to 1024 characters.');
  const rows = await ctx.db.query(
    `INSERT INTO twin_users (user_id, org_id, user_name, display_name, email, created_at) VALUES ($1, $2, $3, $4, $5, $6::timestamptz)
     ON CONFLICT DO NOTHING RETURNING *`,
    [newUserId(ctx.org.identityStoreId), ctx.org.id, input.userName, input.displayName, input.email, now.toISOString()],
  );
  const row = rows[0];
  // A taken name never frees itself by waiting: not retryable (ConflictException is, by default).
  if (row === undefined) {
    throw new CloudError('ConflictException', `Duplicate UserName ${input.userName}.`, { retryable: false, reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' });
  }
  return toUser(UserRow.parse(row));
}

/** Deletes the user and, as Identity Center does, every account assignment made to it. */
export async function deleteUser(ctx: TwinContext, userId: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const deleted = await tx.query('DELETE FROM twin_users WHERE org_id = $1 AND user_id = $2 RETURNING user_id', [ctx.org.id, userId]);
    if (deleted.length === 0) throw new CloudError('ResourceNotFoundException', `User ${userId} does not exist in the identity store.`);
    await tx.query(`DELETE FROM twin_account_assignments WHERE org_id = $1 AND principal_type = 'USER' AND principal_id = $2`, [ctx.org.id, userId]);
  });
}
