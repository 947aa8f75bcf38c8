/**
 * Break-glass grants (ADR 0013): the only way a central person reaches into a tenant account. A grant
 * is requested for one account with a reason and a duration, decided by the tenant's admin, and, once
 * approved, gives the requester's identity-store user the tenant admin permission set on that account
 * from approval until it expires (or the tenant revokes it).
 */

export type GrantStatus = 'requested' | 'approved' | 'denied' | 'expired' | 'revoked' | 'cancelled';

/** Where the cloud side of a grant is: none until approval, then assigning -> assigned -> removing -> removed. */
export type AccessState = 'none' | 'assigning' | 'assigned' | 'removing' | 'removed';

export type Grant = {
  id: string;
  /** The registry's account (acc_…), its provider and the provider's account id. */
  accountId: string;
  provider: string;
  providerAccountId: string;
  tenantId: string;
  requestedBy: { personId: string; email: string; name: string };
  reason: string;
  durationMinutes: number;
  status: GrantStatus;
  requestedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  startsAt: Date | null;
  expiresAt: Date | null;
  endedAt: Date | null;
  endedBy: string | null;
  endNote: string | null;
  access: {
    state: AccessState;
    userId: string | null;
    userName: string | null;
    permissionSetArn: string | null;
    assignmentRequestId: string | null;
    assignedAt: Date | null;
    removalRequestId: string | null;
    removedAt: Date | null;
    error: string | null;
  };
};

/** Bounds of a grant's duration: long enough to fix something, never longer than a day. */
export const MIN_DURATION_MINUTES = 15;
export const MAX_DURATION_MINUTES = 24 * 60;
export const MAX_TEXT = 2000;

/**
 * The end note of a grant the worker ended because its requester was removed: a pending request is
 * cancelled and an active grant revoked (its assignment deleted), at the removal.
 */
export const REQUESTER_REMOVED_NOTE = '申請者が削除されました / requester removed';

/**
 * The identity-store user name of a person: their e-mail address (lower case). Identity Center names a
 * session after the user name, so the activity log shows it as the session name of the
 * `AWSReservedSSO_…` role, which is how activity is attributed to a person.
 */
export const identityUserNameOf = (email: string): string => email.toLowerCase();

/** When the grant's access ended or will end: its end (expiry, revocation) or the planned expiry. */
export const windowEnd = (g: Grant): Date | null => g.endedAt ?? g.expiresAt;

/** Whether the grant allowed access at `at`: approved at or before it and not yet ended. */
export function coversTime(g: Grant, at: Date): boolean {
  const end = windowEnd(g);
  return g.startsAt !== null && end !== null && g.startsAt <= at && at < end;
}
