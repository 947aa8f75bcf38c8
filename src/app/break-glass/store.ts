import type { PageRequest } from '../ports/registry-store.js';
import type { Page } from '../paging.js';
import type { Grant, GrantStatus } from './model.js';

/** Break-glass storage (src/store/break-glass-store.ts; migration 011). Every change is one conditional statement. */

export type NewGrant = Pick<Grant, 'id' | 'accountId' | 'provider' | 'providerAccountId' | 'tenantId' | 'requestedBy' | 'reason' | 'durationMinutes' | 'requestedAt'>;

export type GrantFilter = { tenantId?: string; requestedBy?: string; accountId?: string; status?: GrantStatus };

/** A registered account as the activity scan sees it: who owns the provider's account. */
export type AccountOwner = { providerAccountId: string; accountId: string; accountName: string; tenantId: string; tenantCode: string };

export type PrincipalKind = 'identity_center' | 'organization_access_role' | 'root' | 'management_account';

export type Alert = {
  eventId: string;
  provider: string;
  providerAccountId: string;
  accountId: string;
  tenantId: string;
  principalArn: string;
  principalKind: PrincipalKind;
  personId: string | null;
  eventSource: string;
  eventName: string;
  eventTime: Date;
  raisedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
};

export type NewAlert = Omit<Alert, 'acknowledgedAt' | 'acknowledgedBy'>;

export interface BreakGlassStore {
  /** Conflict when the person already has a pending or active grant on the account. */
  insertGrant(grant: NewGrant): Promise<Grant>;
  getGrant(id: string): Promise<Grant | undefined>;
  /** Newest first, keyset-paged by id. */
  listGrants(filter: GrantFilter, page: PageRequest): Promise<Page<Grant>>;

  /**
   * requested -> approved (the window starts at `at`, access to assign); undefined when it is no longer
   * requested or its requester is no longer an active person (checked in the same statement as removal races it).
   */
  approve(id: string, by: string, at: Date, note: string | null): Promise<Grant | undefined>;
  /** requested -> denied; undefined when it is no longer requested. */
  deny(id: string, by: string, at: Date, note: string | null): Promise<Grant | undefined>;
  /** requested -> cancelled; undefined when it is no longer requested. */
  cancel(id: string, by: string, at: Date): Promise<Grant | undefined>;
  /** approved and not yet expired at `at` -> revoked (access to remove); undefined otherwise. */
  revoke(id: string, by: string, at: Date, note: string | null): Promise<Grant | undefined>;
  /** Every approved grant whose expiry is at or before `now` -> expired (ended at its expiry), each exactly once across processes. */
  expireDue(now: Date): Promise<Grant[]>;
  /**
   * Every open grant whose requester was removed, each exactly once across processes: requested ->
   * cancelled, approved (not yet expired at `now`) -> revoked with its access to remove; ended at the
   * removal (not when it was noticed), with `note`.
   */
  endForRemovedRequesters(now: Date, note: string): Promise<Grant[]>;

  /** Grants whose cloud access has work to do (assigning or removing), oldest first. */
  accessWork(limit: number): Promise<Grant[]>;
  /** Records the assignment request while the grant is still assigning; false when it moved on (ended). */
  recordAssignment(id: string, a: { userId: string; userName: string; permissionSetArn: string; requestId: string }): Promise<boolean>;
  /** assigning -> assigned, when the request recorded is still this one. */
  markAssigned(id: string, requestId: string, at: Date): Promise<boolean>;
  /** Forgets a failed assignment request (the next round asks again), with why it failed. */
  assignmentFailed(id: string, requestId: string, error: string): Promise<void>;
  /** Records the deletion request of a grant that is removing. */
  recordRemoval(id: string, requestId: string | null, at: Date): Promise<boolean>;
  /** removing -> removed, when the recorded deletion is still this one (null: there was nothing to delete). */
  markRemoved(id: string, requestId: string | null, at: Date): Promise<boolean>;
  /** Forgets a failed deletion request (the next round asks again), with why it failed. */
  removalFailed(id: string, requestId: string, error: string): Promise<void>;
  /** An assignment was made after the grant ended (a race with expiry): back to removing, so it is deleted again. */
  removeAgain(id: string): Promise<void>;

  /** The person's grants on the account whose cloud access is live or in motion (assigning, assigned, removing). */
  accessOf(accountId: string, personId: string): Promise<Grant[]>;
  /** Why the last attempt on the grant's cloud access failed (shown until an attempt succeeds). */
  noteAccessError(id: string, error: string): Promise<void>;

  /** Grants of these accounts whose window (approved, expired or revoked) overlaps [from, to]. */
  windowsOverlapping(provider: string, providerAccountIds: readonly string[], from: Date, to: Date): Promise<Grant[]>;
  /** The registered (not closed) accounts among these provider account ids, with their tenants. */
  owners(provider: string, providerAccountIds: readonly string[]): Promise<AccountOwner[]>;
  /** Central people (active or removed) by identity-store user name (lower case) -> person id. */
  centralPeopleByUserName(userNames: readonly string[]): Promise<Map<string, string>>;

  /** Inserts alerts whose event has none yet; returns those inserted. */
  insertAlerts(alerts: readonly NewAlert[]): Promise<Alert[]>;
  /** A tenant's alerts, newest first. */
  listAlerts(tenantId: string, filter: { unacknowledged?: boolean }, page: PageRequest): Promise<Page<Alert>>;
  /** Marks the tenant's alert acknowledged (once); undefined when the tenant has no such alert. */
  acknowledgeAlert(tenantId: string, eventId: string, by: string, at: Date): Promise<Alert | undefined>;

  getScanCursor(name: string): Promise<Date | undefined>;
  /** Moves the cursor forward to `position` (never back). */
  advanceScanCursor(name: string, position: Date, at: Date): Promise<void>;
}
