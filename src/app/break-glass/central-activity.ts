import type { ActivityEvent } from '../ports/cloud.js';
import type { PlatformIdentity } from './deps.js';
import type { PrincipalKind } from './store.js';

/**
 * What counts as central-side activity in a tenant account (ADR 0013). An event counts when it ran in
 * a member account (its trail, `recipientAccountId`, is not the management account) and its caller is:
 *
 * - `identity_center`: a session of an IAM Identity Center role (`assumed-role/AWSReservedSSO_…/<user>`)
 *   whose session name is the identity-store user name of a central person (their e-mail address);
 *   the only kind a grant can cover, and only the grant of that person on that account, in its window;
 * - `organization_access_role`: any session of `OrganizationAccountAccessRole`, the role Organizations
 *   creates in every member for the management account to administer it;
 * - `root`: the member account's root user (its credentials are held centrally in a Hatoba
 *   organisation; with centralised root access only the management account opens root sessions);
 * - `management_account`: any other principal of the management account acting in the member.
 *
 * Hatoba's own automation is not central-side activity: a call whose caller ARN is exactly the
 * platform's (`PlatformIdentity.callerArn`, what the driver calls as) is left out, nothing broader.
 * Calls made in the management account about a member (Organizations' MoveAccount, …) govern the
 * organisation and do not touch what is in the account; they are not counted.
 */

export type CentralSide = { kind: PrincipalKind; arn: string; userName: string | null };

const SESSION = /^arn:[^:]+:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;

/** The role and session name of a role session's ARN. */
export function sessionOf(arn: string): { accountId: string; role: string; session: string } | undefined {
  const match = SESSION.exec(arn);
  if (match === null) return undefined;
  const [, accountId, role, session] = match;
  return accountId === undefined || role === undefined || session === undefined ? undefined : { accountId, role, session };
}

/**
 * Whether the event could be central-side activity in a member account: an Identity Center session is
 * returned with its user name, to be kept only when that name is a central person's.
 */
export function centralSideOf(event: ActivityEvent, platform: PlatformIdentity): CentralSide | undefined {
  const identity = event.userIdentity;
  if (event.recipientAccountId === platform.managementAccountId) return undefined;
  if (identity.arn === platform.callerArn) return undefined;
  if (identity.type === 'Root') return { kind: 'root', arn: identity.arn, userName: null };
  const session = identity.type === 'AssumedRole' ? sessionOf(identity.arn) : undefined;
  if (session?.role === 'OrganizationAccountAccessRole') return { kind: 'organization_access_role', arn: identity.arn, userName: null };
  if (session?.role.startsWith('AWSReservedSSO_') === true && session.accountId === event.recipientAccountId) {
    return { kind: 'identity_center', arn: identity.arn, userName: session.session.toLowerCase() };
  }
  if (identity.accountId === platform.managementAccountId) return { kind: 'management_account', arn: identity.arn, userName: null };
  return undefined;
}

/** Whether the event is a call by `userName`'s Identity Center session in `accountId` (what a grant of theirs covers). */
export function isSessionOf(event: ActivityEvent, userName: string, accountId: string): boolean {
  if (event.userIdentity.type !== 'AssumedRole' || event.recipientAccountId !== accountId) return false;
  const session = sessionOf(event.userIdentity.arn);
  return session !== undefined && session.accountId === accountId && session.role.startsWith('AWSReservedSSO_') && session.session.toLowerCase() === userName;
}
