import { z } from 'zod';
import {
  CloudError,
  type CloudAccount,
  type CreateAccountFailureReason,
  type CreateAccountState,
  type CreateAccountStatus,
  type Page,
} from '../../app/ports/cloud.js';
import type { FaultInjector } from './faults.js';
import { FULL_AWS_ACCESS_ID, accountArn, newAccountId, newCreateAccountRequestId } from './ids.js';
import { first, json, seq, type TwinContext } from './organization.js';
import { afterSeq, toPage, type Cursor } from './paging.js';

/** Organizations accounts: asynchronous creation, the concurrency limit, listing and moving. */

const RequestRow = z.object({
  seq,
  id: z.string(),
  account_name: z.string(),
  account_id: z.string(),
  outcome: z.string(),
  state: z.string(),
  requested_at: z.date(),
  completes_at: z.date().nullable(),
});
type RequestRow = z.infer<typeof RequestRow>;

const FAILURE_REASONS = new Set<string>([
  'EMAIL_ALREADY_EXISTS',
  'CONCURRENT_ACCOUNT_MODIFICATION',
  'ACCOUNT_LIMIT_EXCEEDED',
  'INVALID_EMAIL',
  'INVALID_ADDRESS',
  'INTERNAL_FAILURE',
]);
const isFailureReason = (value: string): value is CreateAccountFailureReason => FAILURE_REASONS.has(value);

/** The state is computed from the clock, so a request is observed finishing at the same instant everywhere. */
function toStatus(row: RequestRow, now: Date): CreateAccountStatus {
  const base = { id: row.id, accountName: row.account_name, requestedAt: row.requested_at };
  if (row.completes_at === null || row.completes_at > now) return { ...base, state: 'IN_PROGRESS' };
  if (row.outcome === 'SUCCEEDED') return { ...base, state: 'SUCCEEDED', completedAt: row.completes_at, accountId: row.account_id };
  return {
    ...base,
    state: 'FAILED',
    completedAt: row.completes_at,
    failureReason: isFailureReason(row.outcome) ? row.outcome : 'INTERNAL_FAILURE',
  };
}

/**
 * Turns requests past their completion time into finished ones, creating each account exactly once.
 * Rows are locked in id order, so concurrent materialisers wait for each other instead of deadlocking,
 * and a waiter re-checks `state` and skips what the winner already finished.
 *
 * Each finished request also gets the service event AWS writes to CloudTrail (CreateAccountResult,
 * at the completion time), so "what happened to account X" finds its creation. Its actor is the
 * organisation itself: CloudTrail names no principal for service events.
 */
export async function materialize(ctx: TwinContext, now: Date): Promise<void> {
  await ctx.db.query(
    `WITH due AS (
       SELECT id FROM twin_create_account_requests
        WHERE org_id = $1 AND state = 'IN_PROGRESS' AND completes_at <= $2::timestamptz
        ORDER BY id FOR UPDATE
     ), done AS (
       UPDATE twin_create_account_requests r
          SET state = CASE WHEN r.outcome = 'SUCCEEDED' THEN 'SUCCEEDED' ELSE 'FAILED' END, completed_at = r.completes_at
         FROM due WHERE r.id = due.id AND r.state = 'IN_PROGRESS'
       RETURNING r.id, r.account_id, r.account_name, r.email, r.tags, r.outcome, r.requested_at, r.completes_at
     ), logged AS (
       INSERT INTO twin_events (event_id, org_id, event_time, event_source, event_name, aws_region, read_only, user_identity,
                                recipient_account_id, subject_account_id, response_elements)
       SELECT gen_random_uuid()::text, $1, completes_at, 'organizations.amazonaws.com', 'CreateAccountResult', 'us-east-1', false,
              $5::jsonb, $6, CASE WHEN outcome = 'SUCCEEDED' THEN account_id END,
              jsonb_build_object('createAccountStatus', jsonb_strip_nulls(jsonb_build_object(
                'id', id, 'accountName', account_name,
                'state', CASE WHEN outcome = 'SUCCEEDED' THEN 'SUCCEEDED' ELSE 'FAILED' END,
                'accountId', CASE WHEN outcome = 'SUCCEEDED' THEN account_id END,
                'failureReason', CASE WHEN outcome <> 'SUCCEEDED' THEN outcome END,
                'requestedTimestamp', to_char(requested_at AT TIME ZONE 'UTC', $7),
                'completedTimestamp', to_char(completes_at AT TIME ZONE 'UTC', $7))))
         FROM done ORDER BY completes_at, id
     ), created AS (
       INSERT INTO twin_accounts (id, org_id, name, email, parent_id, tags, joined_at)
       SELECT account_id, $1, account_name, email, $3, tags, completes_at FROM done WHERE outcome = 'SUCCEEDED'
       RETURNING id
     )
     INSERT INTO twin_policy_attachments (org_id, policy_id, target_id) SELECT $1, $4, id FROM created`,
    [ctx.org.id, now.toISOString(), ctx.org.rootId, FULL_AWS_ACCESS_ID, JSON.stringify(serviceIdentity(ctx)), ctx.org.managementAccountId, ISO_8601],
  );
}

// The same text JSON.stringify gives a Date, whatever the server's TimeZone setting.
const ISO_8601 = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';

function serviceIdentity(ctx: TwinContext): { type: string; principalId: string; arn: string; accountId: string } {
  return {
    type: 'AWSService',
    principalId: 'organizations.amazonaws.com',
    arn: `arn:aws:organizations::${ctx.org.managementAccountId}:organization/${ctx.org.id}`,
    accountId: ctx.org.managementAccountId,
  };
}

// Organizations' own limits: e-mail 6–64 characters, account name 1–50.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type CreateAccountInput = { email: string; accountName: string; tags?: Record<string, string> };

/**
 * Accepts a creation request, or refuses it when `accountCreationConcurrency` requests are already
 * IN_PROGRESS. The organisation row is locked for the check and the insert, so processes sharing a
 * PostgreSQL database are serialised there and can never exceed the limit together.
 *
 * Refusal: AWS documents TooManyRequestsException for "too many requests in too short a period" and
 * ConstraintViolationException for hard limits (its ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED reason is a
 * per-day quota, not retryable soon). Concurrent creations beyond the limit are reported in the field as
 * TooManyRequestsException with "another request is already in progress", which clears as soon as a
 * creation finishes — so the twin throws that, retryable, with reason CONCURRENT_ACCOUNT_CREATION_LIMIT
 * (the twin's label in the Type field AWS leaves undocumented).
 */
export async function createAccount(ctx: TwinContext, faults: FaultInjector, input: CreateAccountInput, now: Date): Promise<CreateAccountStatus> {
  if (input.email.length < 6 || input.email.length > 64 || !EMAIL.test(input.email)) {
    throw new CloudError('InvalidInputException', 'The requested email address is not valid.', { reason: 'INVALID_EMAIL_ADDRESS_TARGET' });
  }
  if (input.accountName.length < 1 || input.accountName.length > 50) {
    throw new CloudError('InvalidInputException', 'The account name must be 1 to 50 characters.', { reason: 'INPUT_REQUIRED' });
  }
  // Finishing due requests first keeps the in-progress index small; the count below does not depend on it.
  await materialize(ctx, now);
  const nowIso = now.toISOString();
  return ctx.db.transaction(async (tx) => {
    await tx.query('SELECT id FROM twin_organizations WHERE id = $1 FOR UPDATE', [ctx.org.id]);
    const check = z
      .object({ in_flight: seq, email_taken: z.boolean() })
      .parse(
        first(
          await tx.query(
            `SELECT (SELECT count(*) FROM twin_create_account_requests
                      WHERE org_id = $1 AND state = 'IN_PROGRESS' AND (completes_at IS NULL OR completes_at > $2::timestamptz)) AS in_flight,
                    (EXISTS (SELECT 1 FROM twin_accounts WHERE org_id = $1 AND lower(email) = lower($3))
                     OR EXISTS (SELECT 1 FROM twin_create_account_requests
                                 WHERE org_id = $1 AND lower(email) = lower($3) AND outcome = 'SUCCEEDED')) AS email_taken`,
            [ctx.org.id, nowIso, input.email],
          ),
        ),
      );
    if (check.in_flight >= ctx.config.accountCreationConcurrency) {
      throw new CloudError(
        'TooManyRequestsException',
        "AWS Organizations can't complete your request because another request is already in progress. Try again later.",
        { retryable: true, reason: 'CONCURRENT_ACCOUNT_CREATION_LIMIT' },
      );
    }
    // A fault rule is consumed only by requests that are accepted, so `times: 1` means one doomed request.
    const fault = faults.creationOutcome(input.email);
    const outcome = check.email_taken ? 'EMAIL_ALREADY_EXISTS' : fault !== undefined && 'reason' in fault ? fault.reason : 'SUCCEEDED';
    const duration = outcome === 'SUCCEEDED' ? ctx.config.accountCreationDurationMs : (ctx.config.failedCreationDurationMs ?? ctx.config.accountCreationDurationMs);
    const neverCompletes = !check.email_taken && fault !== undefined && 'neverCompletes' in fault;
    const completesAt = neverCompletes ? null : new Date(now.getTime() + duration).toISOString();
    const row = first(
      await tx.query(
        `INSERT INTO twin_create_account_requests (id, org_id, account_name, email, tags, account_id, outcome, requested_at, completes_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8::timestamptz, $9::timestamptz) RETURNING *`,
        [newCreateAccountRequestId(), ctx.org.id, input.accountName, input.email, JSON.stringify(input.tags ?? {}), newAccountId(), outcome, nowIso, completesAt],
      ),
    );
    return toStatus(RequestRow.parse(row), now);
  });
}

/** Polled often, so it materialises only when this very request is due: one query on most polls. */
export async function describeCreateAccountStatus(ctx: TwinContext, requestId: string, now: Date): Promise<CreateAccountStatus> {
  const row = (await ctx.db.query('SELECT * FROM twin_create_account_requests WHERE org_id = $1 AND id = $2', [ctx.org.id, requestId]))[0];
  if (row === undefined) {
    throw new CloudError('CreateAccountStatusNotFoundException', `We can't find a create account request with the ID ${requestId}.`);
  }
  const request = RequestRow.parse(row);
  // The account must exist before anyone is told SUCCEEDED and goes looking for it.
  if (request.state === 'IN_PROGRESS' && request.completes_at !== null && request.completes_at <= now) await materialize(ctx, now);
  return toStatus(request, now);
}

const STATUSES: Cursor = { list: 'ListCreateAccountStatus', invalidCode: 'InvalidInputException' };

/** An empty `states` lists every request, as AWS does without a States filter. */
export async function listCreateAccountStatus(
  ctx: TwinContext,
  states: CreateAccountState[],
  nextToken: string | undefined,
  now: Date,
): Promise<Page<CreateAccountStatus>> {
  const after = afterSeq(STATUSES, nextToken);
  await materialize(ctx, now);
  // After materialising, `state` is current except for requests that never complete (still IN_PROGRESS).
  const rows = await ctx.db.query(
    `SELECT * FROM twin_create_account_requests
      WHERE org_id = $1 AND seq > $2 AND (cardinality($3::text[]) = 0 OR state = ANY($3::text[]))
      ORDER BY seq LIMIT $4`,
    [ctx.org.id, after, states, ctx.config.pageSize + 1],
  );
  return toPage(STATUSES, rows.map((r) => RequestRow.parse(r)), ctx.config.pageSize, (r) => toStatus(r, now));
}

const AccountRow = z.object({
  seq,
  id: z.string(),
  name: z.string(),
  email: z.string(),
  status: z.enum(['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE']),
  parent_id: z.string(),
  tags: json,
  joined_at: z.date(),
});

const ACCOUNTS: Cursor = { list: 'ListAccounts', invalidCode: 'InvalidInputException' };

export async function listAccounts(ctx: TwinContext, nextToken: string | undefined, now: Date): Promise<Page<CloudAccount>> {
  const after = afterSeq(ACCOUNTS, nextToken);
  await materialize(ctx, now);
  const rows = await ctx.db.query('SELECT * FROM twin_accounts WHERE org_id = $1 AND seq > $2 ORDER BY seq LIMIT $3', [
    ctx.org.id,
    after,
    ctx.config.pageSize + 1,
  ]);
  return toPage(ACCOUNTS, rows.map((r) => AccountRow.parse(r)), ctx.config.pageSize, (r) => toAccount(ctx, r));
}

function toAccount(ctx: TwinContext, row: z.infer<typeof AccountRow>): CloudAccount {
  return { id: row.id, arn: accountArn(ctx.org, row.id), name: row.name, email: row.email, status: row.status, joinedAt: row.joined_at };
}

async function findAccount(ctx: TwinContext, accountId: string, now: Date): Promise<z.infer<typeof AccountRow> | undefined> {
  await materialize(ctx, now);
  const row = (await ctx.db.query('SELECT * FROM twin_accounts WHERE org_id = $1 AND id = $2', [ctx.org.id, accountId]))[0];
  return row === undefined ? undefined : AccountRow.parse(row);
}

const accountNotFound = (accountId: string): CloudError =>
  new CloudError('AccountNotFoundException', `You specified an account that doesn't exist: ${accountId}.`);

export async function describeAccount(ctx: TwinContext, accountId: string, now: Date): Promise<CloudAccount> {
  const row = await findAccount(ctx, accountId, now);
  if (row === undefined) throw accountNotFound(accountId);
  return toAccount(ctx, row);
}

/** ListTagsForResource for an account (the only taggable resource the twin models so far). */
export async function listTagsForResource(ctx: TwinContext, resourceId: string, now: Date): Promise<Record<string, string>> {
  const row = await findAccount(ctx, resourceId, now);
  if (row === undefined) throw new CloudError('TargetNotFoundException', `We can't find a resource that matches the ResourceId ${resourceId}.`);
  return z.record(z.string(), z.string()).parse(row.tags);
}

export async function listParents(ctx: TwinContext, childId: string, now: Date): Promise<{ id: string; type: 'ROOT' | 'ORGANIZATIONAL_UNIT' }> {
  const row = await findAccount(ctx, childId, now);
  if (row === undefined) throw new CloudError('ChildNotFoundException', `We can't find an organizational unit (OU) or AWS account with the ChildId ${childId}.`);
  return { id: row.parent_id, type: row.parent_id === ctx.org.rootId ? 'ROOT' : 'ORGANIZATIONAL_UNIT' };
}

export type MoveAccountInput = { accountId: string; sourceParentId: string; destinationParentId: string };

/** Checks in the order AWS reports them: the account, its source parent, the destination, a no-op move. */
export async function moveAccount(ctx: TwinContext, input: MoveAccountInput, now: Date): Promise<void> {
  await materialize(ctx, now);
  const facts = z
    .object({ parent_id: z.string().nullable(), source_exists: z.boolean(), destination_exists: z.boolean() })
    .parse(
      first(
        await ctx.db.query(
          `SELECT (SELECT parent_id FROM twin_accounts WHERE org_id = $1 AND id = $3) AS parent_id,
                  ($4 = $2 OR EXISTS (SELECT 1 FROM twin_ous WHERE org_id = $1 AND id = $4)) AS source_exists,
                  ($5 = $2 OR EXISTS (SELECT 1 FROM twin_ous WHERE org_id = $1 AND id = $5)) AS destination_exists`,
          [ctx.org.id, ctx.org.rootId, input.accountId, input.sourceParentId, input.destinationParentId],
        ),
      ),
    );
  if (facts.parent_id === null) throw accountNotFound(input.accountId);
  if (!facts.source_exists || facts.parent_id !== input.sourceParentId) {
    throw new CloudError('SourceParentNotFoundException', `We can't find a source root or OU with the ParentId ${input.sourceParentId} for account ${input.accountId}.`);
  }
  if (!facts.destination_exists) {
    throw new CloudError('DestinationParentNotFoundException', `We can't find the destination container (a root or OU) with the ParentId ${input.destinationParentId}.`);
  }
  if (input.destinationParentId === input.sourceParentId) {
    throw new CloudError('DuplicateAccountException', 'That account is already present in the specified destination.');
  }
  const moved = await ctx.db.query('UPDATE twin_accounts SET parent_id = $4 WHERE org_id = $1 AND id = $2 AND parent_id = $3 RETURNING id', [
    ctx.org.id,
    input.accountId,
    input.sourceParentId,
    input.destinationParentId,
  ]);
  // Another caller moved it between our check and our update: AWS reports the same race this way.
  if (moved.length === 0) {
    throw new CloudError('ConcurrentModificationException', 'The target of the operation is currently being modified by a different request. Try again later.');
  }
}
