import type { Control } from '../../guardrails/catalog/schema.js';
import type { IamVocabulary } from '../../guardrails/iam/vocabulary.js';
import type { Clock } from '../ports/clock.js';
import type { CloudDriver } from '../ports/cloud.js';
import type { RolloutStore } from '../ports/rollout-store.js';

/** What the rollout asks of a provider: walk the organisation, manage and attach policies, read the activity log. */
export type RolloutCloud = Pick<
  CloudDriver,
  | 'provider'
  | 'describeOrganizationRoot'
  | 'listOrganizationalUnitsForParent'
  | 'listAccountsForParent'
  | 'listPoliciesForTarget'
  | 'listPolicies'
  | 'createPolicy'
  | 'updatePolicy'
  | 'deletePolicy'
  | 'attachPolicy'
  | 'detachPolicy'
  | 'lookupEvents'
>;

export type GuardrailDeps = {
  store: RolloutStore;
  cloud: RolloutCloud;
  clock: Clock;
  /** The controls catalog (loaded once by the composition root). */
  catalog: () => Promise<readonly Control[]>;
  /** The IAM vocabulary for lint (loaded once, on first use). */
  vocabulary: () => Promise<IamVocabulary>;
  /** SCPs do not restrict the management account; its calls are left out of impact reports. */
  managementAccountId?: string | undefined;
  /** Ids of impact reports (`rpt_…`, time-ordered): the composition root gives the generator, the app makes none. */
  newReportId: () => string;
  /** How far back an impact report replays the log when the request names no date (days; 30 by default). */
  impactLookbackDays?: number | undefined;
  /** Up to this many accounts in scope, the log is read account by account; above, whole (25 by default). */
  impactPerAccountReads?: number | undefined;
};

/** Who acted when the request names nobody (until sign-in, issue 4). */
export const DEFAULT_ACTOR = 'operator@hatoba.local';
