import { z } from 'zod';
import { Label } from './registry.js';

/**
 * Preventive guardrails over HTTP (issue 3 item 6): each OU's rollout of its preventive controls
 * (off -> audit -> enforce), the generated policies, and the impact reports that allow enforcing.
 * An OU is named in the URL by its provider id (`ou-…`) or by its path, URL-encoded (`%2FWorkloads%2FProd`).
 * Times are ISO 8601 strings.
 */

const Timestamp = z.iso.datetime();

export const GuardrailKind = z.enum(['SCP', 'RCP']).meta({ description: 'SCP (service control policy) or RCP (resource control policy)' });
export type GuardrailKind = z.infer<typeof GuardrailKind>;
export const GuardrailStage = z.enum(['off', 'audit', 'enforce']);
export type GuardrailStage = z.infer<typeof GuardrailStage>;

export const STAGE_LABELS: Record<GuardrailStage, Label> = {
  off: { ja: '無効', en: 'Off' },
  audit: { ja: '監査', en: 'Audit' },
  enforce: { ja: '適用', en: 'Enforce' },
};

export const OuParam = z.object({ ou: z.string().min(1).max(1_000).meta({ description: 'OU id (ou-…) or OU path (/Workloads/Prod), URL-encoded' }) });
export const KindQuery = z.object({ kind: GuardrailKind.default('SCP') });
export const ReportParam = OuParam.extend({ reportId: z.string().min(1).max(100) });

export const GuardrailTarget = z
  .object({
    provider: z.string(),
    ouId: z.string(),
    ouPath: z.string(),
    kind: GuardrailKind,
    /** False when the rollout names an OU the provider no longer has. */
    exists: z.boolean(),
    stage: GuardrailStage,
    stageLabel: Label,
    controls: z.array(z.string()),
    /** Enforcing one version while the selected controls (another version) are in audit. */
    pendingInAudit: z.boolean(),
    auditSince: Timestamp.nullable(),
    enforced: z.object({ controls: z.array(z.string()), policyHash: z.string(), since: Timestamp }).nullable(),
    version: z.number().int(),
    updatedAt: Timestamp.nullable(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'GuardrailTarget' });
export type GuardrailTarget = z.infer<typeof GuardrailTarget>;

export const GuardrailTargetList = z.object({ items: z.array(GuardrailTarget) }).meta({ id: 'GuardrailTargetList' });

export const RolloutChange = z.object({
  action: z.enum(['select', 'stage']),
  fromStage: GuardrailStage,
  toStage: GuardrailStage,
  controls: z.array(z.string()),
  policyHash: z.string().nullable(),
  reportId: z.string().nullable(),
  actor: z.string(),
  reason: z.string().nullable(),
  at: Timestamp,
});

const Count = z.object({ key: z.string(), count: z.number().int() });

export const ImpactReport = z
  .object({
    id: z.string(),
    provider: z.string(),
    ouId: z.string(),
    ouPath: z.string(),
    kind: GuardrailKind,
    /** The rollout's stage when computed; only a report computed in audit (`inAudit`) allows enforcing. */
    stage: GuardrailStage,
    inAudit: z.boolean(),
    /** sha256 of the generated documents the report measured. */
    policyHash: z.string(),
    controls: z.array(z.string()),
    since: Timestamp,
    until: Timestamp,
    computedAt: Timestamp,
    computedBy: z.string(),
    /** "This policy would have denied N calls by … since DATE", in both languages. */
    headline: Label,
    findings: z.object({
      events: z.number().int(),
      replayed: z.number().int(),
      wouldDeny: z.number().int(),
      principals: z.number().int(),
      accounts: z.number().int(),
      accountsInScope: z.number().int(),
      firstEvent: Timestamp.optional(),
      lastEvent: Timestamp.optional(),
      byPrincipal: z.array(Count),
      byAccount: z.array(Count),
      byAction: z.array(Count),
      byStatement: z.array(Count),
      samples: z.array(
        z.object({
          eventId: z.string().optional(),
          eventTime: Timestamp,
          principal: z.string(),
          accountId: z.string(),
          action: z.string(),
          region: z.string(),
          reason: z.object({ stage: z.string(), level: z.number().int().optional(), policy: z.string().optional(), sid: z.string().optional(), statement: z.number().int().optional(), message: z.string() }),
        }),
      ),
      skipped: z.object({ failed: z.number().int(), alreadyDenied: z.number().int(), outsideRollout: z.number().int(), unmapped: z.number().int(), before: z.number().int() }),
      unknownResource: z.number().int(),
      policies: z.array(z.object({ name: z.string(), size: z.number().int(), controlIds: z.array(z.string()) })),
    }),
  })
  .meta({ id: 'GuardrailImpactReport' });
export type ImpactReport = z.infer<typeof ImpactReport>;

export const GuardrailTargetDetail = z
  .object({ target: GuardrailTarget, history: z.array(RolloutChange), latestReport: ImpactReport.nullable() })
  .meta({ id: 'GuardrailTargetDetail' });

export const GeneratedPolicyView = z.object({
  name: z.string(),
  description: z.string(),
  size: z.number().int(),
  limit: z.number().int(),
  controlIds: z.array(z.string()),
  /** The minified document as uploaded. */
  content: z.string(),
  /** Warnings (errors refuse the generation). */
  lint: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), severity: z.enum(['error', 'warning']), code: z.string(), message: Label })),
});

export const PolicyPreview = z
  .object({
    kind: GuardrailKind,
    controls: z.array(z.string()),
    policyHash: z.string().nullable(),
    freeSlots: z.number().int(),
    policies: z.array(GeneratedPolicyView),
  })
  .meta({ id: 'GuardrailPolicyPreview' });
export type PolicyPreview = z.infer<typeof PolicyPreview>;

export const ControlsBody = z
  .object({
    controls: z.array(z.string().min(1).max(40)).max(200),
    kind: GuardrailKind.default('SCP'),
    reason: z.string().max(1_000).optional(),
  })
  .meta({ id: 'GuardrailControlsBody' });

export const SelectionResult = z.object({ target: GuardrailTarget, preview: PolicyPreview }).meta({ id: 'GuardrailSelectionResult' });

export const PreviewBody = z
  .object({
    /** A what-if selection; the target's selected controls when absent. */
    controls: z.array(z.string().min(1).max(40)).max(200).optional(),
    kind: GuardrailKind.default('SCP'),
  })
  .meta({ id: 'GuardrailPreviewBody' });

export const ImpactBody = z
  .object({
    /** Replay from this time (or date); by default since the proposal went into audit, else the last 30 days. */
    since: z.union([z.iso.datetime({ offset: true }), z.iso.date()]).optional(),
    kind: GuardrailKind.default('SCP'),
  })
  .meta({ id: 'GuardrailImpactBody' });

export const StageBody = z
  .object({
    stage: GuardrailStage,
    /** Required for enforce: the id of an impact report computed in audit for the content proposed now. */
    impactReportId: z.string().min(1).max(100).optional(),
    reason: z.string().trim().min(1, 'say why').max(1_000),
    kind: GuardrailKind.default('SCP'),
  })
  .meta({ id: 'GuardrailStageBody' });

export const StageResult = z
  .object({ target: GuardrailTarget, changed: z.boolean(), policyIds: z.array(z.string()) })
  .meta({ id: 'GuardrailStageResult' });
