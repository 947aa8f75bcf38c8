import { z } from 'zod';
import { CloudError, type ActivityEvent, type CallerIdentity, type Page } from '../../app/ports/cloud.js';
import { newEventId } from './ids.js';
import type { TwinContext, TwinOrganization } from './organization.js';
import type { ResolvedTwinConfig } from './config.js';
import { json, seq } from './organization.js';
import { afterSeq, toPage, type Cursor } from './paging.js';

/** The activity log: one CloudTrail-shaped event per call, successful, failed or refused. */

export type Service = 'organizations' | 'sso' | 'identitystore' | 'supportplans' | 'cloudtrail' | 'cloudcontrolapi';

const EVENT_SOURCE: Record<Service, string> = {
  organizations: 'organizations.amazonaws.com',
  sso: 'sso.amazonaws.com',
  identitystore: 'identitystore.amazonaws.com',
  supportplans: 'supportplans.amazonaws.com',
  cloudtrail: 'cloudtrail.amazonaws.com',
  cloudcontrolapi: 'cloudcontrolapi.amazonaws.com',
};

/**
 * The port speaks one error vocabulary (Organizations' names) so retry policy is written once, but
 * CloudTrail records each service's own exception name; the log shows what AWS would have written.
 */
const SERVICE_ERROR_NAMES: Partial<Record<Service, Partial<Record<string, string>>>> = {
  sso: { TooManyRequestsException: 'ThrottlingException', ServiceException: 'InternalServerException' },
  identitystore: { TooManyRequestsException: 'ThrottlingException', ServiceException: 'InternalServerException' },
};

export type UserIdentity = ActivityEvent['userIdentity'];

export type CallRecord = {
  service: Service;
  eventName: string;
  readOnly: boolean;
  eventTime: Date;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  /** The account the call is about, when it is about one. */
  subjectAccountId?: string | undefined;
  /** The account whose trail records the call; the management account unless the call runs in a member. */
  recipientAccountId?: string | undefined;
  /** The region the call was served in, when it is not the service's own (a resource's region). */
  awsRegion?: string | undefined;
  error?: CloudError | undefined;
};

type Json = Record<string, unknown>;

/**
 * What the driver's `call` needs to log and guard one call. Modules that add methods to the driver
 * (resources, policy administration) receive that `call` as a `TwinCall`.
 */
export type CallSpec<T> = {
  service: Service;
  name: string;
  readOnly: boolean;
  params: Json | null;
  subject?: string | undefined;
  recipient?: string | undefined;
  region?: string | undefined;
  /** Who makes the call when it is not the driver's own caller (a tenant principal writing a resource). */
  caller?: UserIdentity | undefined;
  respond?: (result: T) => Json | null;
};
export type TwinCall = <T>(spec: CallSpec<T>, run: (now: Date) => Promise<T>) => Promise<T>;

export function resolveCaller(config: ResolvedTwinConfig, org: TwinOrganization): UserIdentity {
  const caller = config.caller ?? {
    type: 'AssumedRole',
    principalId: 'AROAHATOBATWINCONTROL:hatoba',
    arn: `arn:aws:sts::${org.managementAccountId}:assumed-role/HatobaControlPlane/hatoba`,
  };
  // arn:partition:service:region:account:resource — the account is the fifth field when present.
  return identityOf(config, caller, caller.arn.split(':')[4] || org.managementAccountId);
}

const SESSION = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/;

/**
 * The role behind a session, with its path: IAM Identity Center's roles live under
 * /aws-reserved/sso.amazonaws.com/<its region>/ (no region segment when it is us-east-1), the path the
 * catalog's exemptions name through aws:PrincipalArn; a session ARN never shows it.
 */
export function roleOfSession(sessionArn: string, identityCenterRegion: string): string | undefined {
  const match = SESSION.exec(sessionArn);
  if (match === null) return undefined;
  const [, partition, account, role] = match;
  const path = role?.startsWith('AWSReservedSSO_') === true ? `aws-reserved/sso.amazonaws.com/${identityCenterRegion === 'us-east-1' ? '' : `${identityCenterRegion}/`}` : '';
  return `arn:${partition}:iam::${account}:role/${path}${role}`;
}

/** CloudTrail's userIdentity of a caller; a role session names its role (with its path) as the session issuer. */
export function identityOf(config: ResolvedTwinConfig, caller: CallerIdentity, accountId: string, invokedBy?: string): UserIdentity {
  const principalId = caller.principalId ?? caller.arn;
  const roleArn = caller.type === 'AssumedRole' ? roleOfSession(caller.arn, config.homeRegion) : undefined;
  const issuer =
    roleArn === undefined
      ? {}
      : {
          sessionContext: {
            sessionIssuer: { type: 'Role' as const, principalId: /^AROA\w*:/.test(principalId) ? principalId.slice(0, principalId.indexOf(':')) : roleArn, arn: roleArn, accountId, userName: roleArn.slice(roleArn.lastIndexOf('/') + 1) },
          },
        };
  return { type: caller.type, principalId, arn: caller.arn, accountId, ...issuer, ...(invokedBy === undefined ? {} : { invokedBy }) };
}

/** Region each service reports: Organizations and Support Plans are global services served from us-east-1. */
function regionOf(service: Service, config: ResolvedTwinConfig): string {
  return service === 'organizations' || service === 'supportplans' ? 'us-east-1' : config.homeRegion;
}

export async function appendEvent(ctx: TwinContext, caller: UserIdentity, record: CallRecord): Promise<void> {
  const errorCode = record.error === undefined ? null : (SERVICE_ERROR_NAMES[record.service]?.[record.error.code] ?? record.error.code);
  await ctx.db.query(
    `INSERT INTO twin_events (event_id, org_id, event_time, event_source, event_name, aws_region, read_only, user_identity,
       recipient_account_id, subject_account_id, request_parameters, response_elements, error_code, error_message)
     VALUES ($1, $2, $3::timestamptz, $4, $5, $6, $7, $8::jsonb, $9, $10, $11::jsonb, $12::jsonb, $13, $14)`,
    [
      newEventId(),
      ctx.org.id,
      record.eventTime.toISOString(),
      EVENT_SOURCE[record.service],
      record.eventName,
      record.awsRegion ?? regionOf(record.service, ctx.config),
      record.readOnly,
      JSON.stringify(caller),
      record.recipientAccountId ?? ctx.org.managementAccountId,
      record.subjectAccountId ?? null,
      record.requestParameters === null ? null : JSON.stringify(record.requestParameters),
      record.responseElements === null ? null : JSON.stringify(record.responseElements),
      errorCode,
      record.error?.message ?? null,
    ],
  );
}

const EventRow = z.object({
  seq,
  event_id: z.string(),
  event_time: z.date(),
  event_source: z.string(),
  event_name: z.string(),
  aws_region: z.string(),
  read_only: z.boolean(),
  user_identity: z.object({
    type: z.string(),
    principalId: z.string(),
    arn: z.string(),
    accountId: z.string(),
    sessionContext: z
      .object({ sessionIssuer: z.object({ type: z.literal('Role'), principalId: z.string(), arn: z.string(), accountId: z.string(), userName: z.string() }) })
      .optional(),
    invokedBy: z.string().optional(),
  }),
  recipient_account_id: z.string(),
  request_parameters: json.nullable(),
  response_elements: json.nullable(),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  resources: z.array(z.object({ ARN: z.string(), accountId: z.string().optional(), type: z.string().optional() })).nullable(),
});

const EVENTS: Cursor = { list: 'LookupEvents', invalidCode: 'InvalidInputException' };

export type EventFilter = { accountId?: string; eventName?: string; since?: Date; maxResults?: number };

/** LookupEvents' MaxResults: 1 to 50, 50 by default (not the twin's page size: AWS fixes this one). */
export const MAX_EVENTS_PER_PAGE = 50;

function eventsPerPage(maxResults: number | undefined): number {
  if (maxResults === undefined) return MAX_EVENTS_PER_PAGE;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_EVENTS_PER_PAGE) {
    throw new CloudError('InvalidInputException', `MaxResults must be 1 to ${MAX_EVENTS_PER_PAGE}, not ${maxResults}.`, { reason: 'INVALID_MAX_RESULTS' });
  }
  return maxResults;
}

/**
 * Newest first, like CloudTrail. `accountId` matches the trail's account (recipientAccountId) or the
 * account a call was about (for a tenant's call, the account owning its resource), so "what happened to
 * account X" includes calls made from the management account and calls on X's resources from elsewhere.
 */
export async function lookupEvents(ctx: TwinContext, filter: EventFilter, nextToken: string | undefined): Promise<Page<ActivityEvent>> {
  const before = afterSeq(EVENTS, nextToken);
  const pageSize = eventsPerPage(filter.maxResults);
  const rows = await ctx.db.query(
    `SELECT * FROM twin_events
      WHERE org_id = $1 AND ($2::bigint = 0 OR seq < $2::bigint)
        AND ($3::text IS NULL OR recipient_account_id = $3 OR subject_account_id = $3)
        AND ($4::text IS NULL OR event_name = $4)
        AND ($5::timestamptz IS NULL OR event_time >= $5::timestamptz)
      ORDER BY seq DESC LIMIT $6`,
    [ctx.org.id, before, filter.accountId ?? null, filter.eventName ?? null, filter.since?.toISOString() ?? null, pageSize + 1],
  );
  return toPage(EVENTS, rows.map((r) => EventRow.parse(r)), pageSize, (row): ActivityEvent => ({
    eventId: row.event_id,
    eventTime: row.event_time,
    eventSource: row.event_source,
    eventName: row.event_name,
    awsRegion: row.aws_region,
    userIdentity: row.user_identity,
    recipientAccountId: row.recipient_account_id,
    requestParameters: row.request_parameters,
    responseElements: row.response_elements,
    readOnly: row.read_only,
    ...(row.resources === null ? {} : { resources: row.resources }),
    ...(row.error_code === null ? {} : { errorCode: row.error_code }),
    ...(row.error_message === null ? {} : { errorMessage: row.error_message }),
  }));
}
