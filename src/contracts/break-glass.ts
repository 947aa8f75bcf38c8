import { z } from 'zod';
import { PageQuery, pageOf } from './common.js';
import { Label } from './registry.js';

/**
 * Break-glass over HTTP (ADR 0013): a central operator requests access to one tenant account, the
 * tenant admin approves, denies or revokes it, the tenant reads what was done under it, and the tenant
 * lists the alerts raised for central-side activity no grant covered. Times are ISO 8601 strings.
 */
const Timestamp = z.iso.datetime();

export const GRANT_STATUSES = ['requested', 'approved', 'denied', 'expired', 'revoked', 'cancelled'] as const;
export const GrantStatus = z.enum(GRANT_STATUSES);
export type GrantStatus = z.infer<typeof GrantStatus>;

export const GRANT_STATUS_LABELS: Record<GrantStatus, Label> = {
  requested: { ja: '承認待ち', en: 'Awaiting decision' },
  approved: { ja: '有効', en: 'Active' },
  denied: { ja: '却下', en: 'Denied' },
  expired: { ja: '期限切れ', en: 'Expired' },
  revoked: { ja: '取消済み', en: 'Revoked' },
  cancelled: { ja: '取下げ', en: 'Cancelled' },
};

export const ACCESS_STATES = ['none', 'assigning', 'assigned', 'removing', 'removed'] as const;
export const AccessState = z.enum(ACCESS_STATES);
export type AccessState = z.infer<typeof AccessState>;

export const ACCESS_STATE_LABELS: Record<AccessState, Label> = {
  none: { ja: '権限なし', en: 'No access' },
  assigning: { ja: '権限を付与中', en: 'Granting access' },
  assigned: { ja: '権限付与済み', en: 'Access granted' },
  removing: { ja: '権限を削除中', en: 'Removing access' },
  removed: { ja: '権限削除済み', en: 'Access removed' },
};

export const PRINCIPAL_KINDS = ['identity_center', 'organization_access_role', 'root', 'management_account'] as const;
export const PrincipalKind = z.enum(PRINCIPAL_KINDS);
export type PrincipalKind = z.infer<typeof PrincipalKind>;

export const PRINCIPAL_KIND_LABELS: Record<PrincipalKind, Label> = {
  identity_center: { ja: '中央の担当者のサインイン (IAM Identity Center)', en: 'A central person’s sign-in (IAM Identity Center)' },
  organization_access_role: { ja: '管理アカウントからのロール (OrganizationAccountAccessRole)', en: 'The management account’s role (OrganizationAccountAccessRole)' },
  root: { ja: 'ルートユーザー', en: 'Root user' },
  management_account: { ja: '管理アカウントのプリンシパル', en: 'A principal of the management account' },
};

export const MIN_GRANT_MINUTES = 15;
export const MAX_GRANT_MINUTES = 1440;

/** Closed: an unknown key is refused. */
export const BreakGlassRequestBody = z
  .strictObject({
    accountId: z.string().min(1).max(64).meta({ description: 'the registry account (acc_…)' }),
    reason: z.string().trim().min(1, '理由を書いてください / say why access is needed').max(2_000),
    durationMinutes: z.number().int().min(MIN_GRANT_MINUTES).max(MAX_GRANT_MINUTES).meta({ description: '15 minutes to 24 hours, from approval' }),
  })
  .meta({ id: 'BreakGlassRequestInput' });
export type BreakGlassRequestBody = z.infer<typeof BreakGlassRequestBody>;

/** A note with an approval (optional) or with a denial or revocation (required: say why). */
export const GrantDecisionBody = z.strictObject({ note: z.string().max(2_000).optional() }).meta({ id: 'BreakGlassDecisionInput' });
export type GrantDecisionBody = z.infer<typeof GrantDecisionBody>;

export const GrantParam = z.object({ id: z.string().min(1).max(64).meta({ description: 'grant id (grt_…)' }) });

export const GrantListQuery = PageQuery.extend({
  status: GrantStatus.optional(),
  account: z.string().min(1).max(64).optional().meta({ description: 'registry account id (acc_…)' }),
  tenant: z.string().min(1).max(64).optional().meta({ description: 'tenant id or official code' }),
});

export const GrantView = z
  .object({
    id: z.string(),
    account: z.object({ id: z.string(), provider: z.string(), providerAccountId: z.string() }),
    tenantId: z.string(),
    requester: z.object({ personId: z.string(), email: z.string(), name: z.string() }),
    reason: z.string(),
    durationMinutes: z.number().int(),
    status: GrantStatus,
    statusLabel: Label,
    requestedAt: Timestamp,
    decision: z.object({ by: z.string(), at: Timestamp, note: z.string().nullable() }).nullable(),
    startsAt: Timestamp.nullable(),
    expiresAt: Timestamp.nullable(),
    ended: z.object({ at: Timestamp, by: z.string().nullable(), note: z.string().nullable() }).nullable(),
    access: z.object({ state: AccessState, stateLabel: Label, assignedAt: Timestamp.nullable(), removedAt: Timestamp.nullable(), error: z.string().nullable() }),
  })
  .meta({ id: 'BreakGlassGrant' });
export type GrantView = z.infer<typeof GrantView>;

export const GrantPage = pageOf(GrantView).meta({ id: 'BreakGlassGrantPage' });
export type GrantPage = z.infer<typeof GrantPage>;

export const ActivityEventView = z
  .object({
    eventId: z.string(),
    eventTime: Timestamp,
    eventSource: z.string(),
    eventName: z.string(),
    awsRegion: z.string(),
    principal: z.string(),
    readOnly: z.boolean().nullable(),
    errorCode: z.string().nullable(),
    resources: z.array(z.string()),
  })
  .meta({ id: 'ActivityEvent' });
export type ActivityEventView = z.infer<typeof ActivityEventView>;

export const GrantActivityView = z
  .object({
    grant: GrantView,
    window: z.object({ from: Timestamp, to: Timestamp }).nullable(),
    /** Newest first. */
    events: z.array(ActivityEventView),
    truncated: z.boolean(),
  })
  .meta({ id: 'BreakGlassGrantActivity' });
export type GrantActivityView = z.infer<typeof GrantActivityView>;

export const AlertView = z
  .object({
    /** The activity-log event's id: one alert per event. */
    id: z.string(),
    account: z.object({ id: z.string(), provider: z.string(), providerAccountId: z.string() }),
    principal: z.string(),
    principalKind: PrincipalKind,
    principalKindLabel: Label,
    personId: z.string().nullable(),
    eventSource: z.string(),
    eventName: z.string(),
    eventTime: Timestamp,
    raisedAt: Timestamp,
    acknowledged: z.object({ at: Timestamp, by: z.string() }).nullable(),
  })
  .meta({ id: 'BreakGlassAlert' });
export type AlertView = z.infer<typeof AlertView>;

export const AlertPage = pageOf(AlertView).meta({ id: 'BreakGlassAlertPage' });
export type AlertPage = z.infer<typeof AlertPage>;

export const AlertListQuery = PageQuery.extend({
  unacknowledged: z.enum(['true', 'false']).optional().meta({ description: 'true: only the alerts nobody acknowledged yet' }),
});

export const TenantAlertsParam = z.object({ tenant: z.string().min(1).max(64).meta({ description: 'tenant id or official code' }) });
export const AlertParam = TenantAlertsParam.extend({ alert: z.string().min(1).max(200).meta({ description: 'the alert id (its event id)' }) });
