import { z } from 'zod';
import {
  CloudError,
  type CallerIdentity,
  type CloudDriver,
  type CloudResource,
  type Page,
  type ResourceChanges,
  type ResourceOperation,
  type ResourceRef,
} from '../../app/ports/cloud.js';
import type { SqlExecutor } from '../../store/database.js';
import { materialize } from './accounts.js';
import { identityOf, type CallSpec, type TwinCall } from './activity.js';
import type { Enforcement } from './enforcement.js';
import { json, seq, type TwinContext } from './organization.js';
import { afterSeq, toPage, type Cursor } from './paging.js';
import { writeActions } from './resource-actions.js';

/**
 * The twin's resource inventory in Cloud Control API's shape (type, identifier, properties in
 * CloudFormation's shape), and its change feed: one row per change with a monotonic seq, which the
 * detective guardrails follow to re-evaluate only what changed. Any type name of CloudFormation's
 * form is accepted (AWS::S3::Bucket, Hatoba::IAM::RootUser, …): the twin stores, it does not model.
 */

/** CloudFormation's type name: three `::`-separated parts. `Hatoba::Account` (two) is the evaluator's own, never stored. */
const TYPE_NAME = /^[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}$/;
const REGION = /^(?:[a-z]{2}(?:-[a-z]+)+-\d{1,2}|global)$/;
const MAX_IDENTIFIER = 1_024;
/** The global services' resources live in no region; AWS Config records them in 'global'. */
const GLOBAL_TYPE = /^(?:AWS|Hatoba)::IAM::/;

type Json = Record<string, unknown>;

/** A resource call: the driver's call spec, always served by Cloud Control. */
export type ResourceCallSpec<T> = CallSpec<T> & { service: 'cloudcontrolapi' };
export type ResourceCall = TwinCall;

export type ResolvedRef = { accountId: string; region: string; typeName: string; identifier: string };

/** Judges a write before it happens (throws AccessDeniedException); called once the reference is checked. */
export type WriteGuard = (ref: ResolvedRef) => Promise<void>;

const invalid = (message: string): CloudError => new CloudError('ValidationException', message);

const defaultRegion = (ctx: TwinContext, typeName: string | undefined): string =>
  typeName !== undefined && GLOBAL_TYPE.test(typeName) ? 'global' : ctx.config.homeRegion;

/** Every problem of a reference's parts at once; undefined parts are not checked. */
function problemsOf(ref: { accountId: string; typeName?: string | undefined; identifier?: string | undefined; region?: string | undefined }): string[] {
  const problems: string[] = [];
  if (!/^\d{12}$/.test(ref.accountId)) problems.push(`accountId "${ref.accountId}" is not a 12-digit account id`);
  if (ref.typeName !== undefined && !TYPE_NAME.test(ref.typeName)) problems.push(`TypeName "${ref.typeName}" is not of the form Provider::Service::Resource`);
  if (ref.identifier !== undefined && (ref.identifier.length === 0 || ref.identifier.length > MAX_IDENTIFIER)) problems.push(`Identifier must be 1 to ${MAX_IDENTIFIER} characters`);
  if (ref.region !== undefined && !REGION.test(ref.region)) problems.push(`region "${ref.region}" is not a region name`);
  return problems;
}

/** Checks a reference's parts and fills in its region. */
export function resolveRef(ctx: TwinContext, ref: ResourceRef): ResolvedRef {
  const region = ref.region ?? defaultRegion(ctx, ref.typeName);
  const problems = problemsOf({ ...ref, region });
  if (problems.length > 0) throw invalid(problems.join('; '));
  return { accountId: ref.accountId, region, typeName: ref.typeName, identifier: ref.identifier };
}

/** CloudTrail records calls to global services (IAM's own) in us-east-1. */
const trailRegion = (region: string): string => (region === 'global' ? 'us-east-1' : region);
/** Cloud Control is regional: a call about a global resource is made, and recorded, in the home region. */
const cloudControlRegion = (ctx: TwinContext, region: string): string => (region === 'global' ? ctx.config.homeRegion : region);

const ResourceRow = z.object({
  seq,
  account_id: z.string(),
  region: z.string(),
  type_name: z.string(),
  identifier: z.string(),
  arn: z.string().nullable(),
  properties: json,
  updated_at: z.date(),
});
type ResourceRow = z.infer<typeof ResourceRow>;

const toResource = (row: ResourceRow): CloudResource => ({
  accountId: row.account_id,
  region: row.region,
  typeName: row.type_name,
  identifier: row.identifier,
  ...(row.arn === null ? {} : { arn: row.arn }),
  properties: row.properties,
  updatedAt: row.updated_at,
});

const KEY = 'org_id = $1 AND account_id = $2 AND region = $3 AND type_name = $4 AND identifier = $5';
const keyParams = (ctx: TwinContext, ref: ResolvedRef): unknown[] => [ctx.org.id, ref.accountId, ref.region, ref.typeName, ref.identifier];

async function requireAccount(ctx: TwinContext, accountId: string, now: Date): Promise<void> {
  await materialize(ctx, now);
  const rows = await ctx.db.query('SELECT 1 FROM twin_accounts WHERE org_id = $1 AND id = $2', [ctx.org.id, accountId]);
  if (rows.length === 0) throw new CloudError('AccountNotFoundException', `You specified an account that doesn't exist: ${accountId}.`);
}

/** Serialises the twin's resource writers, so the feed's seq order is its commit order (see 005_resources_and_findings.sql). */
const lockFeed = (tx: SqlExecutor, ctx: TwinContext) => tx.query('SELECT pg_advisory_xact_lock(742001, hashtext($1))', [ctx.org.id]);

const recordChange = (tx: SqlExecutor, ctx: TwinContext, ref: ResolvedRef, operation: ResourceOperation, now: Date) =>
  tx.query(
    `INSERT INTO twin_resource_changes (org_id, account_id, region, type_name, identifier, operation, changed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz)`,
    [...keyParams(ctx, ref), operation, now.toISOString()],
  );

const ExistingRow = z.object({ deleted: z.boolean(), same: z.boolean() });

/** The properties of the live resource under this reference, if there is one (decides CreateResource or UpdateResource). */
export async function liveProperties(ctx: TwinContext, ref: ResourceRef): Promise<Json | undefined> {
  let resolved: ResolvedRef;
  try {
    resolved = resolveRef(ctx, ref);
  } catch {
    return undefined;
  }
  const row = (await ctx.db.query(`SELECT properties FROM twin_resources WHERE ${KEY} AND deleted_at IS NULL`, keyParams(ctx, resolved)))[0];
  return row === undefined ? undefined : json.parse(row.properties);
}

/**
 * Creates the resource, or replaces its properties. Putting the same properties again changes
 * nothing and adds no change to the feed; putting a deleted resource again creates it anew.
 */
export async function putResource(ctx: TwinContext, input: ResourceRef & { arn?: string; properties: Json }, now: Date, guard?: WriteGuard): Promise<CloudResource> {
  const ref = resolveRef(ctx, input);
  await requireAccount(ctx, ref.accountId, now);
  await guard?.(ref);
  const properties = JSON.stringify(input.properties);
  const row = await ctx.db.transaction(async (tx) => {
    await lockFeed(tx, ctx);
    const found = await tx.query(
      `SELECT deleted_at IS NOT NULL AS deleted, properties = $6::jsonb AND arn IS NOT DISTINCT FROM coalesce($7, arn) AS same
         FROM twin_resources WHERE ${KEY} FOR UPDATE`,
      [...keyParams(ctx, ref), properties, input.arn ?? null],
    );
    const existing = found[0] === undefined ? undefined : ExistingRow.parse(found[0]);
    const operation: ResourceOperation | undefined = existing === undefined || existing.deleted ? 'CREATE' : existing.same ? undefined : 'UPDATE';
    if (operation === undefined) return ResourceRow.parse((await tx.query(`SELECT * FROM twin_resources WHERE ${KEY}`, keyParams(ctx, ref)))[0]);
    const written = await tx.query(
      `INSERT INTO twin_resources (org_id, account_id, region, type_name, identifier, arn, properties, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::timestamptz, $8::timestamptz)
       ON CONFLICT (org_id, account_id, region, type_name, identifier) DO UPDATE
         SET arn = coalesce(EXCLUDED.arn, CASE WHEN twin_resources.deleted_at IS NULL THEN twin_resources.arn END),
             properties = EXCLUDED.properties, updated_at = EXCLUDED.updated_at,
             created_at = CASE WHEN twin_resources.deleted_at IS NULL THEN twin_resources.created_at ELSE EXCLUDED.created_at END,
             deleted_at = NULL
       RETURNING *`,
      [...keyParams(ctx, ref), input.arn ?? null, properties, now.toISOString()],
    );
    await recordChange(tx, ctx, ref, operation, now);
    return ResourceRow.parse(written[0]);
  });
  return toResource(row);
}

export async function deleteResource(ctx: TwinContext, input: ResourceRef, now: Date, guard?: WriteGuard): Promise<void> {
  const ref = resolveRef(ctx, input);
  // As on AWS, a caller without permission learns nothing of whether the resource exists.
  await guard?.(ref);
  await ctx.db.transaction(async (tx) => {
    await lockFeed(tx, ctx);
    const deleted = await tx.query(`UPDATE twin_resources SET deleted_at = $6::timestamptz WHERE ${KEY} AND deleted_at IS NULL RETURNING seq`, [
      ...keyParams(ctx, ref),
      now.toISOString(),
    ]);
    if (deleted.length === 0) throw notFound(ref);
    await recordChange(tx, ctx, ref, 'DELETE', now);
  });
}

const notFound = (ref: ResolvedRef): CloudError =>
  new CloudError('ResourceNotFoundException', `Resource of type '${ref.typeName}' with identifier '${ref.identifier}' was not found.`);

export async function getResource(ctx: TwinContext, input: ResourceRef): Promise<CloudResource> {
  const ref = resolveRef(ctx, input);
  const row = (await ctx.db.query(`SELECT * FROM twin_resources WHERE ${KEY} AND deleted_at IS NULL`, keyParams(ctx, ref)))[0];
  if (row === undefined) throw notFound(ref);
  return toResource(ResourceRow.parse(row));
}

const RESOURCES: Cursor = { list: 'ListResources', invalidCode: 'ValidationException' };

export async function listResources(ctx: TwinContext, accountId: string, filter: { typeName?: string; region?: string }, nextToken: string | undefined, now: Date): Promise<Page<CloudResource>> {
  const after = afterSeq(RESOURCES, nextToken);
  const problems = problemsOf({ accountId, ...filter });
  if (problems.length > 0) throw invalid(problems.join('; '));
  await requireAccount(ctx, accountId, now);
  const rows = await ctx.db.query(
    `SELECT * FROM twin_resources
      WHERE org_id = $1 AND account_id = $2 AND deleted_at IS NULL AND seq > $3
        AND ($4::text IS NULL OR type_name = $4) AND ($5::text IS NULL OR region = $5)
      ORDER BY seq LIMIT $6`,
    [ctx.org.id, accountId, after, filter.typeName ?? null, filter.region ?? null, ctx.config.pageSize + 1],
  );
  return toPage(RESOURCES, rows.map((r) => ResourceRow.parse(r)), ctx.config.pageSize, toResource);
}

const ChangeRow = z.object({
  seq,
  account_id: z.string(),
  region: z.string(),
  type_name: z.string(),
  identifier: z.string(),
  operation: z.enum(['CREATE', 'UPDATE', 'DELETE']),
  changed_at: z.date(),
});

/** The cursor is the seq of the last change read, in decimal. */
export async function readResourceChanges(ctx: TwinContext, cursor: string | undefined, limit: number): Promise<ResourceChanges> {
  if (cursor !== undefined && !/^\d{1,18}$/.test(cursor)) throw invalid(`"${cursor}" is not a change feed cursor`);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw invalid('limit must be 1 to 10,000');
  const after = Number(cursor ?? '0');
  const rows = (
    await ctx.db.query(
      `SELECT seq, account_id, region, type_name, identifier, operation, changed_at FROM twin_resource_changes
        WHERE org_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [ctx.org.id, after, limit],
    )
  ).map((r) => ChangeRow.parse(r));
  const last = rows[rows.length - 1];
  return {
    changes: rows.map((r) => ({ accountId: r.account_id, region: r.region, typeName: r.type_name, identifier: r.identifier, operation: r.operation, changedAt: r.changed_at })),
    cursor: String(last?.seq ?? after),
  };
}

type ResourceMethods = Pick<CloudDriver, 'putResource' | 'deleteResource' | 'getResource' | 'listResources' | 'readResourceChanges'>;

const CLOUD_CONTROL = 'cloudcontrolapi.amazonaws.com';

/**
 * A tenant's write is judged by the SCPs as the service calls Cloud Control makes for it on the
 * caller's behalf (resource-actions.ts), each logged in the service's own event (invokedBy Cloud
 * Control), in the resource's region. A type the twin does not know is judged as the Cloud Control
 * call itself, whose event the driver logs. The first denial stops the write.
 */
function writeGuard(
  ctx: TwinContext,
  enforcement: Pick<Enforcement, 'authorize'>,
  caller: CallerIdentity,
  operation: ResourceOperation,
  properties: Json | undefined,
  before: Json | undefined,
  now: Date,
): WriteGuard {
  return async (ref) => {
    const region = trailRegion(ref.region);
    const live = operation === 'DELETE' ? await liveProperties(ctx, ref) : before;
    const calls = writeActions({ ...ref, region, operation, properties: properties ?? live ?? {}, before: live });
    for (const write of calls) {
      const service = write.action.startsWith('cloudcontrolapi:');
      await enforcement.authorize(
        {
          accountId: ref.accountId,
          principal: caller,
          action: write.action,
          ...(write.resource === undefined ? {} : { resource: write.resource }),
          region: service ? cloudControlRegion(ctx, ref.region) : region,
          requestParameters: write.requestParameters,
          readOnly: false,
          eventTime: now,
        },
        service ? { log: false } : { invokedBy: CLOUD_CONTROL },
      );
    }
  };
}

/**
 * The port's resource methods on the twin. Each call runs in the member account (its trail records
 * it), through Cloud Control API. The change feed stands for Config's delivery of configuration
 * changes, not an API call: reading it is not logged.
 */
export function resourceMethods(ctx: TwinContext, call: ResourceCall, enforcement: Pick<Enforcement, 'authorize'>): ResourceMethods {
  const spec = <T>(name: string, ref: { accountId: string; region?: string | undefined; typeName?: string | undefined }, readOnly: boolean, params: Json, caller?: CallerIdentity): ResourceCallSpec<T> => {
    const region = ref.region ?? defaultRegion(ctx, ref.typeName);
    const identity = caller === undefined ? undefined : identityOf(ctx.config, caller, caller.arn.split(':')[4] || ref.accountId);
    return { service: 'cloudcontrolapi', name, readOnly, params, subject: ref.accountId, recipient: ref.accountId, region: cloudControlRegion(ctx, region), caller: identity };
  };
  return {
    async putResource(input, caller) {
      const before = await liveProperties(ctx, input);
      const operation = before === undefined ? 'CREATE' : 'UPDATE';
      const params = { typeName: input.typeName, identifier: input.identifier, desiredState: input.properties };
      const respond = (r: CloudResource) => ({ progressEvent: { typeName: r.typeName, identifier: r.identifier, operationStatus: 'SUCCESS' } });
      return call({ ...spec<CloudResource>(operation === 'CREATE' ? 'CreateResource' : 'UpdateResource', input, false, params, caller), respond }, (now) =>
        putResource(ctx, input, now, caller === undefined ? undefined : writeGuard(ctx, enforcement, caller, operation, input.properties, before, now)),
      );
    },
    deleteResource: (ref, caller) =>
      call(spec('DeleteResource', ref, false, { typeName: ref.typeName, identifier: ref.identifier }, caller), (now) =>
        deleteResource(ctx, ref, now, caller === undefined ? undefined : writeGuard(ctx, enforcement, caller, 'DELETE', undefined, undefined, now)),
      ),
    getResource: (ref) => call(spec('GetResource', ref, true, { typeName: ref.typeName, identifier: ref.identifier }), async () => getResource(ctx, ref)),
    listResources: (accountId, filter = {}, nextToken) =>
      call(spec('ListResources', { accountId, ...filter }, true, { ...filter, nextToken }), (now) => listResources(ctx, accountId, filter, nextToken, now)),
    readResourceChanges: (cursor, limit) => readResourceChanges(ctx, cursor, limit),
  };
}
