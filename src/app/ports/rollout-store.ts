/**
 * The store of preventive guardrail rollouts (issue 3 item 6): each target's stage and selection, the
 * history of every change (who, when, why), and the impact reports that allow enforcing. One SQL
 * implementation (src/store/rollout-store.ts) serves PGlite and PostgreSQL.
 */
import type { OrganizationPolicyKind } from '../../guardrails/iam/policy-schema.js';
import type { ImpactFindings } from '../../guardrails/rollout/report.js';
import type { RolloutStage, RolloutState } from '../../guardrails/rollout/stage.js';

/** A target is an OU of one provider's organisation, for one kind of policy. */
export type RolloutKey = { provider: string; ouId: string; kind: OrganizationPolicyKind };

export type StoredRollout = RolloutKey & {
  ouPath: string;
  state: RolloutState;
  /** 0 for a target never written; every save bumps it. */
  version: number;
  /**
   * Whether the provider was last seen matching the record. A stage change writes the record first
   * (unconverged), converges the provider, then marks it; false means the change is unfinished there
   * (repeating the stage request finishes it).
   */
  converged: boolean;
  updatedAt: Date;
  updatedBy: string;
};

export type RolloutChange = {
  action: 'select' | 'stage';
  fromStage: RolloutStage;
  toStage: RolloutStage;
  controls: string[];
  policyHash: string | null;
  reportId: string | null;
  /** Enforced on a report that replayed no calls, which the operator accepted (the reason says why). */
  acceptedEmptyReport: boolean;
  actor: string;
  reason: string | null;
  at: Date;
};

export type StoredReport = RolloutKey & {
  id: string;
  ouPath: string;
  /** The rollout's stage when it was computed, and whether its proposal was in audit then. */
  stage: RolloutStage;
  inAudit: boolean;
  policyHash: string;
  controls: string[];
  since: Date;
  until: Date;
  computedAt: Date;
  computedBy: string;
  findings: ImpactFindings;
};

export interface RolloutStore {
  get(key: RolloutKey): Promise<StoredRollout | undefined>;
  /** Every rollout of a provider (targets are OUs: a few hundred at most). */
  list(provider: string): Promise<StoredRollout[]>;
  /**
   * Writes the rollout and its history entry in one transaction, if its version is still
   * `expectedVersion` (0: not stored yet); otherwise a DomainError `conflict`, and nothing is written.
   */
  save(
    rollout: RolloutKey & { ouPath: string; state: RolloutState; updatedAt: Date; updatedBy: string; /** Unchanged when absent (a new rollout: true). */ converged?: boolean },
    expectedVersion: number,
    change: RolloutChange,
  ): Promise<StoredRollout>;
  /**
   * Marks the rollout converged if its version is still `version` (nothing else changes, the version
   * included); undefined when it was changed meanwhile, and then nothing is written.
   */
  markConverged(key: RolloutKey, version: number): Promise<StoredRollout | undefined>;
  /** Newest first. */
  history(key: RolloutKey, limit: number): Promise<RolloutChange[]>;
  insertReport(report: StoredReport): Promise<void>;
  getReport(id: string): Promise<StoredReport | undefined>;
  /** The newest report of a target, if any. */
  latestReport(key: RolloutKey): Promise<StoredReport | undefined>;
}
