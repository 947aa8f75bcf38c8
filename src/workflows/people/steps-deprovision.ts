import { CloudError } from '../../app/ports/cloud.js';
import type { PersonAccessView } from '../../app/ports/person-access.js';
import { findPermissionSets, type PermissionSetArns } from '../../app/people/permission-sets.js';
import type { StepDefinition } from '../engine/definition.js';
import type { PeopleWorkflowDeps, PersonRunInput, PersonRunState } from './deps.js';

/**
 * deprovision-person: every assignment of a removed person is deleted and waited for (asynchronous,
 * like creation), then their identity store users are deleted, which also takes any assignment a
 * concurrent provisioning run made meanwhile. Safe to repeat: deleting what is gone succeeds.
 */
type Step = StepDefinition<PersonRunInput, PersonRunState>;

export const removeAssignmentsStep = (deps: PeopleWorkflowDeps): Step => ({
  name: 'remove-assignments',
  run: async ({ input, now }) => {
    const users = new Map((await deps.access.cloudUsers(input.personId)).filter((u) => u.deletedAt === null).map((u) => [u.provider, u.userId]));
    const sets = new Map<string, Partial<PermissionSetArns>>();
    let pending = false;
    for (const row of await deps.access.listAccess([input.personId])) {
      if (row.status === 'removed') continue;
      const removed = { ...row, status: 'removed' as const, removedAt: now, requestId: null, replacing: null, updatedAt: now };
      const { provider, providerAccountId } = row.account;
      const userId = users.get(provider);
      if (userId === undefined || providerAccountId === null) {
        // No user was ever made in this provider: nothing can be assigned.
        await deps.access.saveAccess(strip(removed), strip(row));
        continue;
      }
      const cloud = deps.cloudFor(provider);
      if (row.status === 'removing' && row.requestId !== null) {
        const status = await cloud.describeAccountAssignmentDeletionStatus(row.requestId);
        if (status.status === 'IN_PROGRESS') pending = true;
        // A deletion that failed (the account left the organisation) leaves nothing assigned either.
        else await deps.access.saveAccess(strip({ ...removed, failure: status.status === 'FAILED' ? (status.failureReason ?? 'failed') : row.failure }), strip(row));
        continue;
      }
      const arns = sets.get(provider) ?? (await findPermissionSets(cloud, deps.settings.permissionSets));
      sets.set(provider, arns);
      const current = arns[row.permissionSet];
      if (current === undefined) {
        await deps.access.saveAccess(strip(removed), strip(row));
        continue;
      }
      // The set a role change was swapping out goes too; the user's deletion would take it anyway.
      const old = row.replacing === null ? undefined : arns[row.replacing];
      if (old !== undefined) await cloud.deleteAccountAssignment({ accountId: providerAccountId, permissionSetArn: old, principalType: 'USER', principalId: userId });
      const deletion = await cloud.deleteAccountAssignment({ accountId: providerAccountId, permissionSetArn: current, principalType: 'USER', principalId: userId });
      // Not written: a provisioning run changed the row meanwhile; the next look deletes again.
      await deps.access.saveAccess(strip({ ...row, status: 'removing', requestId: deletion.requestId, updatedAt: now }), strip(row));
      pending = true;
    }
    if (pending) return { type: 'wait', afterMs: deps.settings.pollIntervalMs };
    return { type: 'done' };
  },
});

export const deleteUserStep = (deps: PeopleWorkflowDeps): Step => ({
  name: 'delete-user',
  run: async ({ input, now }) => {
    for (const user of await deps.access.cloudUsers(input.personId)) {
      if (user.deletedAt !== null) continue;
      try {
        await deps.cloudFor(user.provider).deleteUser(user.userId);
      } catch (error) {
        // Deleted by an earlier execution that died before recording it.
        if (!(error instanceof CloudError && error.code === 'ResourceNotFoundException')) throw error;
      }
      await deps.access.markCloudUserDeleted(input.personId, user.provider, now);
    }
    return { type: 'done' };
  },
});

const strip = ({ account: _account, ...row }: PersonAccessView) => row;
