import { z } from 'zod';
import type { ActivityEvent, CloudError, Page } from '../../app/ports/cloud.js';
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

export function resolveCaller(config: ResolvedTwinConfig, org: TwinOrganization): UserIdentity {
  const caller = config.caller;
  if (caller === undefined) {
    return {
      type: 'AssumedRole',
      principalId: 'AROAHATOBATWINCONTROL:hatoba',
      arn: `arn:aws:sts::${org.managementAccountId}:assumed-role/HatobaControlPlane/hatoba`,
      accountId: org.managementAccountId,
    };
  }
  // arn:partition:service:region:account:resource — the account is the fifth field when present.
  const accountId = caller.arn.split(':')[4] || org.managementAccountId;
  return { type: caller.type, principalId: caller.principalId ?? caller.arn, arn: caller.arn, accountId };
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
  user_identity: z.object({ type: z.string(), principalId: z.string(), arn: z.string(), accountId: z.string() }),
  recipient_account_id: z.string(),
  request_parameters: json.nullable(),
  response_elements: json.nullable(),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
});

const EVENTS: Cursor = { list: 'LookupEvents', invalidCode: 'InvalidInputException' };

export type EventFilter = { accountId?: string; eventName?: string; since?: Date };

/**
 * Newest first, like CloudTrail. `accountId` matches the trail's account (recipientAccountId) or the
 * account a call was about, so "what happened to account X" includes calls made from the management account.
 */
export async function lookupEvents(ctx: TwinContext, filter: EventFilter, nextToken: string | undefined): Promise<Page<ActivityEvent>> {
  const before = afterSeq(EVENTS, nextToken);
  const rows = await ctx.db.query(
    `SELECT * FROM twin_events
      WHERE org_id = $1 AND ($2::bigint = 0 OR seq < $2::bigint)
        AND ($3::text IS NULL OR recipient_account_id = $3 OR subject_account_id = $3)
        AND ($4::text IS NULL OR event_name = $4)
        AND ($5::timestamptz IS NULL OR event_time >= $5::timestamptz)
      ORDER BY seq DESC LIMIT $6`,
    [ctx.org.id, before, filter.accountId ?? null, filter.eventName ?? null, filter.since?.toISOString() ?? null, ctx.config.pageSize + 1],
  );
  return toPage(EVENTS, rows.map((r) => EventRow.parse(r)), ctx.config.pageSize, (row): ActivityEvent => ({
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
    ...(row.error_code === null ? {} : { errorCode: row.error_code }),
    ...(row.error_message === null ? {} : { errorMessage: row.error_message }),
  }));
}
