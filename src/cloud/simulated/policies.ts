import { z } from 'zod';
import { CloudError, type OrganizationPolicy, type Page, type PolicyType } from '../../app/ports/cloud.js';
import { newPolicyId, policyArn } from './ids.js';
import { first, seq, type TwinContext } from './organization.js';
import { afterSeq, toPage, type Cursor } from './paging.js';

/**
 * Organizations policies and their attachments to the root, OUs and accounts. Only stored for now;
 * evaluating them on every simulated call is the guardrails' job.
 */

// Organizations' documented limits for service control policies.
const MAX_CONTENT_CHARS = 5_120;
const MAX_ATTACHED_PER_TARGET = 5;

export const PolicyRow = z.object({
  seq,
  id: z.string(),
  name: z.string(),
  description: z.string(),
  type: z.literal('SERVICE_CONTROL_POLICY'),
  aws_managed: z.boolean(),
  content: z.string(),
});

export function toPolicy(ctx: TwinContext, row: z.infer<typeof PolicyRow>): OrganizationPolicy {
  return {
    id: row.id,
    arn: policyArn(ctx.org, row.id),
    name: row.name,
    description: row.description,
    type: row.type,
    awsManaged: row.aws_managed,
    content: row.content,
  };
}

/** SQL for "this id is the root, an OU or an account of the organisation"; $1 org, $2 root, $3 target. */
const TARGET_EXISTS = `($3 = $2 OR EXISTS (SELECT 1 FROM twin_ous WHERE org_id = $1 AND id = $3)
                           OR EXISTS (SELECT 1 FROM twin_accounts WHERE org_id = $1 AND id = $3))`;

const targetNotFound = (targetId: string): CloudError =>
  new CloudError('TargetNotFoundException', `We can't find a root, OU, or account with the TargetId ${targetId}.`);
export const policyNotFound = (policyId: string): CloudError =>
  new CloudError('PolicyNotFoundException', `We can't find a policy with the PolicyId ${policyId}.`);

export type CreatePolicyInput = { name: string; description?: string; content: string; type?: PolicyType };

/** What Organizations refuses in a policy name, as it refuses it; undefined for a good one. */
export function nameProblem(name: string): CloudError | undefined {
  return name.length < 1 || name.length > 128 ? new CloudError('InvalidInputException', 'The policy name must be 1 to 128 characters.', { reason: 'INVALID_INPUT' }) : undefined;
}

/** What Organizations refuses in a policy document (too long, not a JSON object), as it refuses it; undefined for a good one. */
export function contentProblem(content: string): CloudError | undefined {
  if (content.length > MAX_CONTENT_CHARS) {
    return new CloudError('ConstraintViolationException', `The policy content exceeds ${MAX_CONTENT_CHARS} characters.`, { reason: 'POLICY_CONTENT_LIMIT_EXCEEDED' });
  }
  if (!isJsonObject(content)) {
    return new CloudError('MalformedPolicyDocumentException', 'The provided policy document does not meet the requirements of the specified policy type.');
  }
  return undefined;
}

export async function createPolicy(ctx: TwinContext, input: CreatePolicyInput, now: Date): Promise<OrganizationPolicy> {
  const problem = nameProblem(input.name) ?? contentProblem(input.content);
  if (problem !== undefined) throw problem;
  const rows = await ctx.db.query(
    `INSERT INTO twin_policies (org_id, id, name, description, type, content, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz)
     ON CONFLICT (org_id, type, name) DO NOTHING RETURNING *`,
    [ctx.org.id, newPolicyId(), input.name, input.description ?? '', input.type ?? 'SERVICE_CONTROL_POLICY', input.content, now.toISOString()],
  );
  const row = rows[0];
  if (row === undefined) throw new CloudError('DuplicatePolicyException', `A policy with the name ${input.name} already exists.`);
  return toPolicy(ctx, PolicyRow.parse(row));
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** One statement checks the policy, the target, the duplicate and the per-target limit, then inserts. */
export async function attachPolicy(ctx: TwinContext, policyId: string, targetId: string): Promise<void> {
  const facts = z
    .object({ policy_found: z.boolean(), target_found: z.boolean(), already: z.boolean(), attached: seq, inserted: z.boolean() })
    .parse(
      first(
        await ctx.db.query(
          `WITH policy AS (SELECT type FROM twin_policies WHERE org_id = $1 AND id = $4),
                target AS (SELECT 1 WHERE ${TARGET_EXISTS}),
                already AS (SELECT 1 FROM twin_policy_attachments WHERE org_id = $1 AND target_id = $3 AND policy_id = $4),
                attached AS (
                  SELECT count(*) AS n FROM twin_policy_attachments a
                    JOIN twin_policies p ON p.org_id = a.org_id AND p.id = a.policy_id
                   WHERE a.org_id = $1 AND a.target_id = $3 AND p.type = (SELECT type FROM policy)),
                ins AS (
                  INSERT INTO twin_policy_attachments (org_id, policy_id, target_id)
                  SELECT $1, $4, $3 WHERE EXISTS (SELECT 1 FROM policy) AND EXISTS (SELECT 1 FROM target)
                    AND (SELECT n FROM attached) < $5
                  ON CONFLICT DO NOTHING RETURNING 1)
           SELECT EXISTS (SELECT 1 FROM policy) AS policy_found, EXISTS (SELECT 1 FROM target) AS target_found,
                  EXISTS (SELECT 1 FROM already) AS already, (SELECT n FROM attached) AS attached,
                  EXISTS (SELECT 1 FROM ins) AS inserted`,
          [ctx.org.id, ctx.org.rootId, targetId, policyId, MAX_ATTACHED_PER_TARGET],
        ),
      ),
    );
  if (!facts.policy_found) throw policyNotFound(policyId);
  if (!facts.target_found) throw targetNotFound(targetId);
  if (facts.already) throw new CloudError('DuplicatePolicyAttachmentException', 'The selected policy is already attached to the specified target.');
  if (!facts.inserted) {
    throw new CloudError('ConstraintViolationException', `A target can have at most ${MAX_ATTACHED_PER_TARGET} policies of a type attached.`, {
      reason: 'MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED',
    });
  }
}

/** AWS refuses to detach a target's last SCP (it would deny everything); so does the twin. */
export async function detachPolicy(ctx: TwinContext, policyId: string, targetId: string): Promise<void> {
  const facts = z
    .object({ policy_found: z.boolean(), target_found: z.boolean(), attached: z.boolean(), deleted: z.boolean() })
    .parse(
      first(
        await ctx.db.query(
          `WITH policy AS (SELECT type FROM twin_policies WHERE org_id = $1 AND id = $4),
                target AS (SELECT 1 WHERE ${TARGET_EXISTS}),
                same_type AS (
                  SELECT count(*) AS n FROM twin_policy_attachments a
                    JOIN twin_policies p ON p.org_id = a.org_id AND p.id = a.policy_id
                   WHERE a.org_id = $1 AND a.target_id = $3 AND p.type = (SELECT type FROM policy)),
                del AS (
                  DELETE FROM twin_policy_attachments
                   WHERE org_id = $1 AND target_id = $3 AND policy_id = $4 AND (SELECT n FROM same_type) > 1
                  RETURNING 1)
           SELECT EXISTS (SELECT 1 FROM policy) AS policy_found, EXISTS (SELECT 1 FROM target) AS target_found,
                  EXISTS (SELECT 1 FROM twin_policy_attachments WHERE org_id = $1 AND target_id = $3 AND policy_id = $4) AS attached,
                  EXISTS (SELECT 1 FROM del) AS deleted`,
          [ctx.org.id, ctx.org.rootId, targetId, policyId],
        ),
      ),
    );
  if (!facts.policy_found) throw policyNotFound(policyId);
  if (!facts.target_found) throw targetNotFound(targetId);
  if (!facts.attached) throw new CloudError('PolicyNotAttachedException', 'The policy is not attached to the specified target.');
  if (!facts.deleted) {
    throw new CloudError('ConstraintViolationException', 'You cannot remove the last service control policy from a root, OU or account.', {
      reason: 'MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED',
    });
  }
}

const POLICIES: Cursor = { list: 'ListPoliciesForTarget', invalidCode: 'InvalidInputException' };

export async function listPoliciesForTarget(
  ctx: TwinContext,
  targetId: string,
  type: PolicyType,
  nextToken: string | undefined,
): Promise<Page<OrganizationPolicy>> {
  const after = afterSeq(POLICIES, nextToken);
  const rows = await ctx.db.query(
    `SELECT t.found, x.* FROM (SELECT ${TARGET_EXISTS} AS found) t
       LEFT JOIN LATERAL (
         SELECT a.seq, p.id, p.name, p.description, p.type, p.aws_managed, p.content
           FROM twin_policy_attachments a JOIN twin_policies p ON p.org_id = a.org_id AND p.id = a.policy_id
          WHERE a.org_id = $1 AND a.target_id = $3 AND a.seq > $4 AND p.type = $5
          ORDER BY a.seq LIMIT $6) x ON true`,
    [ctx.org.id, ctx.org.rootId, targetId, after, type, ctx.config.pageSize + 1],
  );
  if (rows[0]?.found !== true) throw targetNotFound(targetId);
  const attached = rows.filter((r) => r.seq !== null).map((r) => PolicyRow.parse(r));
  return toPage(POLICIES, attached, ctx.config.pageSize, (r) => toPolicy(ctx, r));
}
