import type { Clock } from '../ports/clock.js';
import type { CloudDriver } from '../ports/cloud.js';
import type { NotificationStore } from '../ports/notifications.js';
import type { PersonAccessStore } from '../ports/person-access.js';
import type { RegistryStore } from '../ports/registry-store.js';
import type { BreakGlassStore } from './store.js';

/** What break-glass asks of the provider: Identity Center users, permission sets and assignments, and the activity log. */
export type BreakGlassCloud = Pick<
  CloudDriver,
  | 'provider'
  | 'listUsers'
  | 'createUser'
  | 'listPermissionSets'
  | 'createPermissionSet'
  | 'createAccountAssignment'
  | 'describeAccountAssignmentCreationStatus'
  | 'deleteAccountAssignment'
  | 'describeAccountAssignmentDeletionStatus'
  | 'lookupEvents'
>;

/**
 * Hatoba's own identity in the provider, whose calls are platform automation and never raise an alert:
 * the management account, and the exact ARN the driver calls as (on the twin, `resolveCaller` of
 * src/cloud/simulated/activity.ts: `arn:aws:sts::<management>:assumed-role/HatobaControlPlane/hatoba`
 * unless configured).
 */
export type PlatformIdentity = { managementAccountId: string; callerArn: string };

export type ScanSettings = {
  /** How far back each scan re-reads before its cursor, for events delivered late (CloudTrail: up to ~15 minutes). */
  overlapMs: number;
  /** Where the first scan starts, before now. */
  initialLookbackMs: number;
};

export const DEFAULT_SCAN_SETTINGS: ScanSettings = { overlapMs: 15 * 60_000, initialLookbackMs: 24 * 60 * 60_000 };

export type BreakGlassDeps = {
  store: BreakGlassStore;
  registry: RegistryStore;
  cloud: BreakGlassCloud;
  /**
   * People's identity-store users (person_cloud_users): a requester's user is recorded there, so the
   * deprovisioning that follows their removal deletes it like any person's (ADR 0012).
   */
  access: Pick<PersonAccessStore, 'cloudUsers' | 'recordCloudUser'>;
  notifications: NotificationStore;
  clock: Clock;
  /** A new grant id (`grt_…`). */
  newGrantId: () => string;
  platform: PlatformIdentity;
  scan: ScanSettings;
  /**
   * The permission set a grant assigns: the tenant admins' own (provisioning's `Admin`), so the
   * instance keeps exactly two sets and the guardrails' exemptions for admins apply to break-glass too.
   */
  adminPermissionSet: string;
};
