import { z } from 'zod';
import { OrganizationPolicyKind } from '../guardrails/iam/policy-schema.js';
import { ImpactFindings } from '../guardrails/rollout/report.js';
import { RolloutStage } from '../guardrails/rollout/stage.js';
import { Label } from './registry.js';

/**
 * Preventive guardrails over HTTP (issue 3 item 6): each OU's rollout of its preventive controls
 * (off -> audit -> enforce), the generated policies, and the impact reports that allow enforcing.
 * An OU is named in the URL by its provider id (`ou-…`) or by its path, URL-encoded (`%2FWorkloads%2FProd`).
 * Times are ISO 8601 strings.
 */

const Timestamp = z.iso.datetime();

export const GuardrailKind = OrganizationPolicyKind.meta({ description: 'SCP (service control policy) or RCP (resource control policy)' });
export type GuardrailKind = z.infer<typeof GuardrailKind>;
export const GuardrailStage = RolloutStage;
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
    /** False while a stage change has not reached the provider: asking for the same stage again finishes it. */
    converged: z.boolean(),
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
  /** Enforced on a report that replayed no calls, which the actor accepted (the reason says why). */
  acceptedEmptyReport: z.boolean(),
  actor: z.string(),
  reason: z.string().nullable(),
  at: Timestamp,
});

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
    /** As stored (guardrails/rollout/report.ts), its times checked as ISO 8601. */
    findings: ImpactFindings.extend({
      firstEvent: Timestamp.optional(),
      lastEvent: Timestamp.optional(),
      samples: z.array(ImpactFindings.shape.samples.element.extend({ eventTime: Timestamp })),
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

/** Request bodies are closed: a misspelt key is refused where it is, not dropped and the request done without it. */
export const ControlsBody = z
  .strictObject({
    controls: z.array(z.string().min(1).max(40)).max(200),
    kind: GuardrailKind.default('SCP'),
    reason: z.string().max(1_000).optional(),
  })
  .meta({ id: 'GuardrailControlsBody' });

export const SelectionResult = z.object({ target: GuardrailTarget, preview: PolicyPreview }).meta({ id: 'GuardrailSelectionResult' });

export const PreviewBody = z
  .strictObject({
    /** A what-if selection; the target's selected controls when absent. */
    controls: z.array(z.string().min(1).max(40)).max(200).optional(),
    kind: GuardrailKind.default('SCP'),
  })
  .meta({ id: 'GuardrailPreviewBody' });

export const ImpactBody = z
  .strictObject({
    /** Replay from this time (or date); by default the last 30 days (HATOBA_IMPACT_LOOKBACK_DAYS). */
    since: z.union([z.iso.datetime({ offset: true }), z.iso.date()]).optional(),
    kind: GuardrailKind.default('SCP'),
  })
  .meta({ id: 'GuardrailImpactBody' });

export const StageBody = z
  .strictObject({
    stage: GuardrailStage,
    /** Required for enforce: the id of an impact report computed in audit for the content proposed now. */
    impactReportId: z.string().min(1).max(100).optional(),
    /** Enforce even though the report replayed no calls (it measured nothing); recorded with the reason. */
    acceptEmptyReport: z.boolean().optional(),
    reason: z.string().trim().min(1, '理由を書いてください / say why').max(1_000),
    kind: GuardrailKind.default('SCP'),
  })
  .meta({ id: 'GuardrailStageBody' });

export const StageResult = z
  .object({ target: GuardrailTarget, changed: z.boolean(), policyIds: z.array(z.string()) })
  .meta({ id: 'GuardrailStageResult' });
