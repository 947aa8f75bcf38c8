import { z } from 'zod';
import { CloudError, type CloudAccount, type CloudDriver, type OrganizationPolicy, type Page, type PolicyType } from '../../app/ports/cloud.js';
import { materialize } from './accounts.js';
import type { TwinCall } from './activity.js';
import { accountArn } from './ids.js';
import { first, seq, type TwinContext } from './organization.js';
import { afterSeq, toPage, type Cursor } from './paging.js';
import { PolicyRow, contentProblem, nameProblem, policyNotFound, toPolicy } from './policies.js';

/**
 * What the guardrail rollout needs of Organizations beyond create / attach / detach (policies.ts):
 * listing, updating and deleting policies, and listing the accounts under one parent, so an OU's
 * subtree is walked without describing every account of the organisation.
 */

const notChangeable = (): CloudError => new CloudError('PolicyChangesNotAllowedException', 'Changes to AWS managed policies are not allowed.');

const POLICIES: Cursor = { list: 'ListPolicies', invalidCode: 'InvalidInputException' };

export async function listPolicies(ctx: TwinContext, type: PolicyType, nextToken: string | undefined): Promise<Page<OrganizationPolicy>> {
  const after = afterSeq(POLICIES, nextToken);
  const rows = await ctx.db.query(
    `SELECT seq, id, name, description, type, aws_managed, content FROM twin_policies
      WHERE org_id = $1 AND type = $2 AND seq > $3 ORDER BY seq LIMIT $4`,
    [ctx.org.id, type, after, ctx.config.pageSize + 1],
  );
  return toPage(POLICIES, rows.map((r) => PolicyRow.parse(r)), ctx.config.pageSize, (r) => toPolicy(ctx, r));
}

export type PolicyChanges = { name?: string; description?: string; content?: string };

export async function updatePolicy(ctx: TwinContext, policyId: string, changes: PolicyChanges): Promise<OrganizationPolicy> {
  const problem = (changes.name === undefined ? undefined : nameProblem(changes.name)) ?? (changes.content === undefined ? undefined : contentProblem(changes.content));
  if (problem !== undefined) throw problem;
  const facts = z.object({ found: z.boolean(), managed: z.boolean(), taken: z.boolean() }).parse(
    first(
      await ctx.db.query(
        `SELECT EXISTS (SELECT 1 FROM twin_policies WHERE org_id = $1 AND id = $2) AS found,
                EXISTS (SELECT 1 FROM twin_policies WHERE org_id = $1 AND id = $2 AND aws_managed) AS managed,
                EXISTS (SELECT 1 FROM twin_policies p WHERE p.org_id = $1 AND p.id <> $2 AND p.name = $3
                          AND p.type = (SELECT type FROM twin_policies WHERE org_id = $1 AND id = $2)) AS taken`,
        [ctx.org.id, policyId, changes.name ?? null],
      ),
    ),
  );
  if (!facts.found) throw policyNotFound(policyId);
  if (facts.managed) throw notChangeable();
  if (facts.taken) throw new CloudError('DuplicatePolicyException', `A policy with the name ${changes.name ?? ''} already exists.`);
  const row = await ctx.db.query(
    `UPDATE twin_policies SET name = coalesce($3, name), description = coalesce($4, description), content = coalesce($5, content)
      WHERE org_id = $1 AND id = $2 AND NOT aws_managed
      RETURNING seq, id, name, description, type, aws_managed, content`,
    [ctx.org.id, policyId, changes.name ?? null, changes.description ?? null, changes.content ?? null],
  );
  return toPolicy(ctx, PolicyRow.parse(first(row)));
}

/** Refused while the policy is attached anywhere, as AWS refuses it. */
export async function deletePolicy(ctx: TwinContext, policyId: string): Promise<void> {
  const facts = z.object({ found: z.boolean(), managed: z.boolean(), attached: z.boolean(), deleted: z.boolean() }).parse(
    first(
      await ctx.db.query(
        `WITH policy AS (SELECT aws_managed FROM twin_policies WHERE org_id = $1 AND id = $2),
              attached AS (SELECT 1 FROM twin_policy_attachments WHERE org_id = $1 AND policy_id = $2 LIMIT 1),
              del AS (DELETE FROM twin_policies WHERE org_id = $1 AND id = $2 AND NOT aws_managed
                        AND NOT EXISTS (SELECT 1 FROM attached) RETURNING 1)
         SELECT EXISTS (SELECT 1 FROM policy) AS found, coalesce((SELECT aws_managed FROM policy), false) AS managed,
                EXISTS (SELECT 1 FROM attached) AS attached, EXISTS (SELECT 1 FROM del) AS deleted`,
        [ctx.org.id, policyId],
      ),
    ),
  );
  if (!facts.found) throw policyNotFound(policyId);
  if (facts.managed) throw notChangeable();
  if (facts.attached) throw new CloudError('PolicyInUseException', 'The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.');
  if (!facts.deleted) throw new CloudError('ConcurrentModificationException', 'The target of the operation is currently being modified by a different request. Try again later.');
}

const AccountRow = z.object({
  seq,
  found: z.boolean(),
  id: z.string().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  status: z.enum(['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE']).nullable(),
  joined_at: z.date().nullable(),
});

const ACCOUNTS: Cursor = { list: 'ListAccountsForParent', invalidCode: 'InvalidInputException' };

export async function listAccountsForParent(ctx: TwinContext, parentId: string, nextToken: string | undefined, now: Date): Promise<Page<CloudAccount>> {
  const after = afterSeq(ACCOUNTS, nextToken);
  await materialize(ctx, now);
  const rows = await ctx.db.query(
    `SELECT p.found, coalesce(a.seq, 0) AS seq, a.id, a.name, a.email, a.status, a.joined_at
       FROM (SELECT ($2 = $3 OR EXISTS (SELECT 1 FROM twin_ous WHERE org_id = $1 AND id = $2)) AS found) p
       LEFT JOIN LATERAL (SELECT seq, id, name, email, status, joined_at FROM twin_accounts
                           WHERE org_id = $1 AND parent_id = $2 AND seq > $4 ORDER BY seq LIMIT $5) a ON true`,
    [ctx.org.id, parentId, ctx.org.rootId, after, ctx.config.pageSize + 1],
  );
  const parsed = rows.map((r) => AccountRow.parse(r));
  if (parsed[0]?.found !== true) throw new CloudError('ParentNotFoundException', `We can't find a root or OU with the ParentId ${parentId}.`);
  const accounts = parsed.flatMap((r) =>
    r.id === null || r.name === null || r.email === null || r.status === null || r.joined_at === null
      ? []
      : [{ seq: r.seq, account: { id: r.id, arn: accountArn(ctx.org, r.id), name: r.name, email: r.email, status: r.status, joinedAt: r.joined_at } }],
  );
  return toPage(ACCOUNTS, accounts, ctx.config.pageSize, (r) => r.account);
}

export type OrgCall = TwinCall;

type PolicyAdminMethods = Pick<CloudDriver, 'listPolicies' | 'updatePolicy' | 'deletePolicy' | 'listAccountsForParent'>;

/** The methods on the twin, each logged as its Organizations call. */
export function policyAdminMethods(ctx: TwinContext, call: OrgCall): PolicyAdminMethods {
  const org = (name: string, params: Record<string, unknown>, readOnly: boolean) => ({ service: 'organizations' as const, name, params, readOnly });
  return {
    listPolicies: (type, nextToken) => call(org('ListPolicies', { filter: type, nextToken }, true), () => listPolicies(ctx, type, nextToken)),
    updatePolicy: (policyId, changes) =>
      call({ ...org('UpdatePolicy', { policyId, ...changes }, false), respond: (policy: OrganizationPolicy) => ({ policy }) }, () => updatePolicy(ctx, policyId, changes)),
    deletePolicy: (policyId) => call(org('DeletePolicy', { policyId }, false), () => deletePolicy(ctx, policyId)),
    listAccountsForParent: (parentId, nextToken) =>
      call(org('ListAccountsForParent', { parentId, nextToken }, true), (now) => listAccountsForParent(ctx, parentId, nextToken, now)),
  };
}
