import type { AccountAssignment, PermissionSet } from '../ports/cloud.js';
import { ensurePermissionSet, ensurePersonUser, findPermissionSet, findUser } from '../people/permission-sets.js';
import type { BreakGlassDeps } from './deps.js';
import type { Grant } from './model.js';

/**
 * Brings the cloud to what a grant says: an approved grant's requester is assigned the admin permission set on the
 * account; an ended grant's assignment is deleted. The record moves first (approve, revoke, expire are
 * conditional UPDATEs), then this follows it, safe to repeat from any process: creating an assignment
 * that exists and deleting one that does not both succeed. When an assignment is made after the grant
 * ended (a race with expiry), the grant goes back to removing and it is deleted again. The user and the
 * permission set are people provisioning's own (src/app/people/permission-sets.ts): one user per person,
 * recorded so that removing the person deletes it, and one Admin set.
 */

type Deps = Pick<BreakGlassDeps, 'store' | 'cloud' | 'clock' | 'adminPermissionSet' | 'access'>;

/** The tenant admin permission set (`Admin`), which provisioning normally creates; created the same way if break-glass comes first. */
export const ensureAdminPermissionSet = (deps: Pick<Deps, 'cloud' | 'adminPermissionSet'>): Promise<PermissionSet> => ensurePermissionSet(deps.cloud, 'admin', deps.adminPermissionSet);

/** Shown to the tenant on the grant when the provider gives no reason. */
const ASSIGNMENT_FAILED = '割り当てに失敗しました / the assignment failed';
const DELETION_FAILED = '割り当ての削除に失敗しました / the deletion failed';

const assignmentOf = (g: Grant, principalId: string, permissionSetArn: string): AccountAssignment => ({
  accountId: g.providerAccountId,
  permissionSetArn,
  principalType: 'USER',
  principalId,
});

async function assign(deps: Deps, g: Grant): Promise<void> {
  if (g.expiresAt !== null && deps.clock.now() >= g.expiresAt) return; // expiry will end it; never assign late
  const requestId = g.access.assignmentRequestId;
  if (requestId === null) {
    const { personId: id, email, name } = g.requestedBy;
    const user = await ensurePersonUser(deps.cloud, deps.access, { id, email, name }, deps.clock.now());
    const permissionSet = await ensureAdminPermissionSet(deps);
    const status = await deps.cloud.createAccountAssignment(assignmentOf(g, user.userId, permissionSet.arn));
    const recorded = await deps.store.recordAssignment(g.id, { userId: user.userId, userName: user.userName, permissionSetArn: permissionSet.arn, requestId: status.requestId });
    if (!recorded) {
      // The grant ended while we assigned: whatever removal ran may have come before our assignment.
      await deps.store.removeAgain(g.id);
      const ended = await deps.store.getGrant(g.id);
      if (ended !== undefined) await remove(deps, ended);
      return;
    }
    if (status.status === 'SUCCEEDED') await deps.store.markAssigned(g.id, status.requestId, deps.clock.now());
    if (status.status === 'FAILED') await deps.store.assignmentFailed(g.id, status.requestId, status.failureReason ?? ASSIGNMENT_FAILED);
    return;
  }
  const status = await deps.cloud.describeAccountAssignmentCreationStatus(requestId);
  if (status.status === 'SUCCEEDED') await deps.store.markAssigned(g.id, requestId, deps.clock.now());
  if (status.status === 'FAILED') await deps.store.assignmentFailed(g.id, requestId, status.failureReason ?? ASSIGNMENT_FAILED);
}

async function remove(deps: Deps, g: Grant): Promise<void> {
  const requestId = g.access.removalRequestId;
  if (requestId !== null) {
    const status = await deps.cloud.describeAccountAssignmentDeletionStatus(requestId);
    if (status.status === 'SUCCEEDED') await deps.store.markRemoved(g.id, requestId, deps.clock.now());
    if (status.status === 'FAILED') await deps.store.removalFailed(g.id, requestId, status.failureReason ?? DELETION_FAILED);
    return;
  }
  // A later grant of the same person on the same account owns the same assignment now: leave it to that one.
  const others = (await deps.store.accessOf(g.accountId, g.requestedBy.personId)).filter((o) => o.id !== g.id && (o.access.state === 'assigning' || o.access.state === 'assigned'));
  const principalId = g.access.userId ?? (await findUser(deps.cloud, g.access.userName ?? g.requestedBy.email))?.userId;
  const permissionSetArn = g.access.permissionSetArn ?? (await findPermissionSet(deps.cloud, deps.adminPermissionSet))?.arn;
  if (others.length > 0 || principalId === undefined || permissionSetArn === undefined) {
    await deps.store.recordRemoval(g.id, null, deps.clock.now()); // nothing of this grant's to delete
    return;
  }
  const status = await deps.cloud.deleteAccountAssignment(assignmentOf(g, principalId, permissionSetArn));
  if (!(await deps.store.recordRemoval(g.id, status.requestId, deps.clock.now()))) return;
  if (status.status === 'SUCCEEDED') await deps.store.markRemoved(g.id, status.requestId, deps.clock.now());
  if (status.status === 'FAILED') await deps.store.removalFailed(g.id, status.requestId, status.failureReason ?? DELETION_FAILED);
}

/** One step of bringing the grant's cloud access to its state; returns the grant as it is now. */
export async function convergeAccess(deps: Deps, grant: Grant): Promise<Grant> {
  try {
    if (grant.access.state === 'assigning') await assign(deps, grant);
    else if (grant.access.state === 'removing') await remove(deps, grant);
  } catch (error) {
    await deps.store.noteAccessError(grant.id, error instanceof Error ? error.message : String(error));
    throw error;
  }
  return (await deps.store.getGrant(grant.id)) ?? grant;
}
