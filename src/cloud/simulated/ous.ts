import { z } from 'zod';
import { CloudError, type OrganizationalUnit, type Page } from '../../app/ports/cloud.js';
import { FULL_AWS_ACCESS_ID, newOuId, ouArn } from './ids.js';
import { first, seq, type TwinContext } from './organization.js';
import { afterSeq, toPage, type Cursor } from './paging.js';

/** Organizational units under the organisation root. */

const OuRow = z.object({ seq, id: z.string(), name: z.string(), parent_id: z.string() });

const OUS: Cursor = { list: 'ListOrganizationalUnitsForParent', invalidCode: 'InvalidInputException' };

const parentNotFound = (parentId: string): CloudError =>
  new CloudError('ParentNotFoundException', `We can't find a root or OU with the ParentId ${parentId}.`);

function toOu(ctx: TwinContext, row: z.infer<typeof OuRow>): OrganizationalUnit {
  return { id: row.id, arn: ouArn(ctx.org, row.id), name: row.name, parentId: row.parent_id };
}

export async function listOrganizationalUnitsForParent(ctx: TwinContext, parentId: string, nextToken: string | undefined): Promise<Page<OrganizationalUnit>> {
  const after = afterSeq(OUS, nextToken);
  // One round trip: the parent check rides along with the page.
  const rows = await ctx.db.query(
    `SELECT ou.*, p.found FROM (SELECT ($2 = $3 OR EXISTS (SELECT 1 FROM twin_ous WHERE org_id = $1 AND id = $2)) AS found) p
       LEFT JOIN LATERAL (SELECT seq, id, name, parent_id FROM twin_ous
                           WHERE org_id = $1 AND parent_id = $2 AND seq > $4 ORDER BY seq LIMIT $5) ou ON true`,
    [ctx.org.id, parentId, ctx.org.rootId, after, ctx.config.pageSize + 1],
  );
  if (rows[0]?.found !== true) throw parentNotFound(parentId);
  const ous = rows.filter((r) => r.id !== null).map((r) => OuRow.parse(r));
  return toPage(OUS, ous, ctx.config.pageSize, (r) => toOu(ctx, r));
}

/** New OUs get FullAWSAccess attached, as AWS attaches it to every new OU when SCPs are enabled. */
export async function createOrganizationalUnit(ctx: TwinContext, parentId: string, name: string, now: Date): Promise<OrganizationalUnit> {
  if (name.length < 1 || name.length > 128) {
    throw new CloudError('InvalidInputException', 'The OU name must be 1 to 128 characters.', { reason: 'INVALID_INPUT' });
  }
  const id = newOuId(ctx.org.rootId);
  const result = z.object({ parent_found: z.boolean(), inserted: z.boolean() }).parse(
    first(
      await ctx.db.query(
        `WITH parent AS (
           SELECT 1 WHERE $3 = $6 OR EXISTS (SELECT 1 FROM twin_ous WHERE org_id = $1 AND id = $3)
         ), ins AS (
           INSERT INTO twin_ous (id, org_id, parent_id, name, created_at)
           SELECT $2, $1, $3, $4, $5::timestamptz FROM parent
           ON CONFLICT (org_id, parent_id, name) DO NOTHING RETURNING id
         ), att AS (
           INSERT INTO twin_policy_attachments (org_id, policy_id, target_id) SELECT $1, $7, id FROM ins
         )
         SELECT EXISTS (SELECT 1 FROM parent) AS parent_found, EXISTS (SELECT 1 FROM ins) AS inserted`,
        [ctx.org.id, id, parentId, name, now.toISOString(), ctx.org.rootId, FULL_AWS_ACCESS_ID],
      ),
    ),
  );
  if (!result.parent_found) throw parentNotFound(parentId);
  if (!result.inserted) {
    throw new CloudError('DuplicateOrganizationalUnitException', `An OU with the name ${name} already exists under ${parentId}.`);
  }
  return { id, arn: ouArn(ctx.org, id), name, parentId };
}
