import { z } from 'zod';
import { Severity } from '../guardrails/catalog/schema.js';
import { PageQuery, pageOf } from './common.js';
import { Label, TenantRef } from './registry.js';

/**
 * The detective guardrails over HTTP: findings (list, suppress, unsuppress), posture scores per
 * account, per tenant and for the estate, and the full sweep. Times are ISO 8601 strings.
 */
const Timestamp = z.iso.datetime();

export const FINDING_STATUSES = ['active', 'resolved', 'suppressed'] as const;
export const FindingStatus = z.enum(FINDING_STATUSES);
export type FindingStatus = z.infer<typeof FindingStatus>;

export const FINDING_STATUS_LABELS: Record<FindingStatus, Label> = {
  active: { ja: '未対応', en: 'Active' },
  resolved: { ja: '解決済み', en: 'Resolved' },
  suppressed: { ja: '抑制中', en: 'Suppressed' },
};

/** Most severe first. */
export const SEVERITIES = Severity.options;

/** The catalog's labels: a finding's severity is its control's. */
export { SEVERITY_LABELS } from '../guardrails/catalog/vocabulary.js';

export const FindingView = z
  .object({
    /** Stable: the control id, a dot, and 96 bits of SHA-256 over account|region|type|identifier. */
    id: z.string(),
    controlId: z.string(),
    controlTitle: Label.nullable(),
    severity: Severity,
    severityLabel: Label,
    provider: z.string(),
    /** The provider's account id. */
    accountId: z.string(),
    tenantId: z.string().nullable(),
    region: z.string(),
    resourceType: z.string(),
    resourceId: z.string(),
    resourceArn: z.string().nullable(),
    status: FindingStatus,
    statusLabel: Label,
    message: z.string().nullable(),
    suppression: z.object({ reason: z.string(), by: z.string(), at: Timestamp, until: Timestamp }).nullable(),
    firstSeen: Timestamp,
    lastSeen: Timestamp,
    resolvedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Finding' });
export type FindingView = z.infer<typeof FindingView>;

export const FindingPage = pageOf(FindingView).meta({ id: 'FindingPage' });
export type FindingPage = z.infer<typeof FindingPage>;

export const FindingListQuery = PageQuery.extend({
  /** Tenant id or official code. */
  tenant: z.string().min(1).max(64).optional(),
  /** Registry account id (acc_…) or the provider's 12-digit account id. */
  account: z.string().min(1).max(64).optional(),
  control: z.string().min(1).max(40).optional(),
  severity: Severity.optional(),
  status: FindingStatus.optional(),
  resourceType: z.string().min(1).max(200).optional(),
});

export const FindingParam = z.object({ id: z.string().min(1).max(200).meta({ description: 'finding id, e.g. HTB-EC2-002.3f1c0a9b7d2e4c6f8a0b1c2d' }) });

/** A date alone (2026-03-31) means through the end of that day, Japan time. Closed: an unknown key is refused. */
export const SuppressBody = z
  .strictObject({
    reason: z.string().trim().min(1, 'リスクを受け入れる理由を書いてください / say why the risk is accepted').max(1_000),
    until: z.union([z.iso.datetime({ offset: true }), z.iso.date()]).meta({ description: 'expiry: an ISO 8601 time, or a date meaning the end of that day in Japan time' }),
  })
  .meta({ id: 'SuppressInput' });
export type SuppressBody = z.infer<typeof SuppressBody>;

/** The instant a suppression's `until` names. */
export function suppressionExpiry(until: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(until) ? new Date(new Date(`${until}T00:00:00+09:00`).getTime() + 86_400_000) : new Date(until);
}

const Tally = z.object({ passed: z.number().int(), failed: z.number().int(), suppressed: z.number().int(), errored: z.number().int() });

export const PostureScoreView = z
  .object({
    /** 0..1, severity-weighted share of passed checks; null when nothing weighted was checked. */
    score: z.number().nullable(),
    target: z.number(),
    meetsTarget: z.boolean().nullable(),
    weighted: z.object({ passed: z.number(), total: z.number() }),
    checks: Tally.extend({ total: z.number().int() }),
    bySeverity: z.object({ critical: Tally, high: Tally, medium: Tally, low: Tally, informational: Tally }),
  })
  .meta({ id: 'PostureScore' });
export type PostureScoreView = z.infer<typeof PostureScoreView>;

export const PostureAccountRef = z
  .object({ id: z.string(), name: z.string(), provider: z.string(), providerAccountId: z.string().nullable(), environment: z.string(), systemSlug: z.string() })
  .meta({ id: 'PostureAccountRef' });

export const AccountPostureView = z.object({ account: PostureAccountRef, tenant: TenantRef, score: PostureScoreView }).meta({ id: 'AccountPosture' });
export type AccountPostureView = z.infer<typeof AccountPostureView>;

export const TenantPostureView = z
  .object({ tenant: TenantRef, score: PostureScoreView, accounts: z.array(z.object({ account: PostureAccountRef, score: PostureScoreView })) })
  .meta({ id: 'TenantPosture' });
export type TenantPostureView = z.infer<typeof TenantPostureView>;

export const EstatePostureView = z
  .object({ score: PostureScoreView, tenants: z.array(z.object({ tenantId: z.string().nullable(), tenant: TenantRef.nullable(), score: PostureScoreView })) })
  .meta({ id: 'EstatePosture' });
export type EstatePostureView = z.infer<typeof EstatePostureView>;

export const PostureAccountParam = z.object({ account: z.string().min(1).max(64).meta({ description: 'registry account id (acc_…) or provider account id' }) });
export const PostureTenantParam = z.object({ tenant: z.string().min(1).max(64).meta({ description: 'tenant id (org_…) or official code' }) });

export const SweepResultView = z
  .object({
    accounts: z.number().int(),
    resources: z.number().int(),
    checks: z.number().int(),
    opened: z.number().int(),
    reopened: z.number().int(),
    resolved: z.number().int(),
    startedAt: Timestamp,
    finishedAt: Timestamp,
  })
  .meta({ id: 'SweepResult' });
export type SweepResultView = z.infer<typeof SweepResultView>;
