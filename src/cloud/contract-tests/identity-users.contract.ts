import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AccountAssignment, AssignmentStatus } from '../../app/ports/cloud.js';
import { collect, createAccountNow, rejectsWith, unique, waitForAssignment, withHarness, type CloudDriverHarness, type MakeHarness } from './harness.js';

const POLL_STEP_MS = 10_000;

async function waitForDeletion(h: CloudDriverHarness, requestId: string): Promise<AssignmentStatus> {
  for (let poll = 0; poll < 500; poll += 1) {
    const status = await h.driver.describeAccountAssignmentDeletionStatus(requestId);
    if (status.status !== 'IN_PROGRESS') return status;
    await h.advance(POLL_STEP_MS);
  }
  assert.fail(`deletion ${requestId} still IN_PROGRESS after 500 polls`);
}

const assignmentsOf = async (h: CloudDriverHarness, accountId: string, permissionSetArn: string): Promise<AccountAssignment[]> =>
  (await collect((t) => h.driver.listAccountAssignments(accountId, permissionSetArn, t))).items;

/** IAM Identity Center users (IdentityStore) and the deletion of account assignments (SSO admin). */
export function describeIdentityUsersContract(make: MakeHarness): void {
  describe('identity store users and assignment deletion', () => {
    it(
      'creates a user, finds it by its user name in any case, and refuses a second user with that name',
      withHarness(make, async (h) => {
        const userName = `${unique('hanako')}@example.jp`;
        const user = await h.driver.createUser({ userName, displayName: '山田 花子', email: userName });
        assert.equal(user.userName, userName);
        assert.equal(user.displayName, '山田 花子');
        assert.match(user.userId, /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/);
        await h.driver.createUser({ userName: `${unique('taro')}@example.jp`, displayName: 'Taro', email: 'taro@example.jp' });

        assert.deepEqual((await h.driver.listUsers({ userName })).items, [user]);
        assert.deepEqual((await h.driver.listUsers({ userName: userName.toUpperCase() })).items, [user]);
        assert.deepEqual((await h.driver.listUsers({ userName: unique('nobody') })).items, []);
        const conflict = await rejectsWith(h.driver.createUser({ userName: userName.toUpperCase(), displayName: 'Other', email: 'other@example.jp' }), 'ConflictException');
        assert.equal(conflict.retryable, false);
      }),
    );

    it(
      'refuses user names with spaces, too long or reserved, and an empty display name, all as ValidationException',
      withHarness(make, async (h) => {
        for (const userName of ['has space', 'x'.repeat(129), '', 'Administrator', 'awsadministrators']) {
          await rejectsWith(h.driver.createUser({ userName, displayName: 'Someone', email: 'someone@example.jp' }), 'ValidationException');
        }
        await rejectsWith(h.driver.createUser({ userName: unique('nodisplay'), displayName: '', email: 'someone@example.jp' }), 'ValidationException');
      }),
    );

    it(
      'deletes a user with every assignment made to it, and a second delete is ResourceNotFoundException',
      withHarness(make, async (h) => {
        const { accountId } = await createAccountNow(h, 'users');
        const set = await h.driver.createPermissionSet({ name: unique('Admin') });
        const user = await h.driver.createUser({ userName: unique('leaver'), displayName: 'Leaver', email: 'leaver@example.jp' });
        const assignment: AccountAssignment = { accountId, permissionSetArn: set.arn, principalType: 'USER', principalId: user.userId };
        assert.equal((await waitForAssignment(h, (await h.driver.createAccountAssignment(assignment)).requestId)).status, 'SUCCEEDED');
        assert.deepEqual(await assignmentsOf(h, accountId, set.arn), [assignment]);

        await h.driver.deleteUser(user.userId);
        assert.deepEqual((await h.driver.listUsers({ userName: user.userName })).items, []);
        assert.deepEqual(await assignmentsOf(h, accountId, set.arn), []);
        await rejectsWith(h.driver.deleteUser(user.userId), 'ResourceNotFoundException');
      }),
    );

    it(
      'fails an assignment to a user that does not exist through its request status',
      withHarness(make, async (h) => {
        const { accountId } = await createAccountNow(h, 'nouser');
        const set = await h.driver.createPermissionSet({ name: unique('Member') });
        const started = await h.driver.createAccountAssignment({ accountId, permissionSetArn: set.arn, principalType: 'USER', principalId: '0123456789-00000000-0000-0000-0000-000000000000' });
        const done = await waitForAssignment(h, started.requestId);
        assert.equal(done.status, 'FAILED');
        assert.deepEqual(await assignmentsOf(h, accountId, set.arn), []);
      }),
    );

    it(
      'deletes an assignment asynchronously: visible while IN_PROGRESS, gone once SUCCEEDED, and can be made again',
      withHarness(make, async (h) => {
        const { accountId } = await createAccountNow(h, 'unassign');
        const set = await h.driver.createPermissionSet({ name: unique('NonAdmin') });
        const user = await h.driver.createUser({ userName: unique('mover'), displayName: 'Mover', email: 'mover@example.jp' });
        const assignment: AccountAssignment = { accountId, permissionSetArn: set.arn, principalType: 'USER', principalId: user.userId };
        await waitForAssignment(h, (await h.driver.createAccountAssignment(assignment)).requestId);

        const deletion = await h.driver.deleteAccountAssignment(assignment);
        assert.equal(deletion.status, 'IN_PROGRESS');
        assert.notEqual(deletion.requestId, '');
        assert.equal((await waitForDeletion(h, deletion.requestId)).status, 'SUCCEEDED');
        assert.deepEqual(await assignmentsOf(h, accountId, set.arn), []);

        assert.equal((await waitForAssignment(h, (await h.driver.createAccountAssignment(assignment)).requestId)).status, 'SUCCEEDED');
        assert.deepEqual(await assignmentsOf(h, accountId, set.arn), [assignment]);
      }),
    );

    it(
      'succeeds in deleting an assignment that does not exist, fails one in an account outside the organisation, and refuses an unknown request id',
      withHarness(make, async (h) => {
        const { accountId } = await createAccountNow(h, 'noassign');
        const set = await h.driver.createPermissionSet({ name: unique('Other') });
        const user = await h.driver.createUser({ userName: unique('never'), displayName: 'Never', email: 'never@example.jp' });
        const none = await h.driver.deleteAccountAssignment({ accountId, permissionSetArn: set.arn, principalType: 'USER', principalId: user.userId });
        assert.equal((await waitForDeletion(h, none.requestId)).status, 'SUCCEEDED');
        const outside = await h.driver.deleteAccountAssignment({ accountId: '000000000000', permissionSetArn: set.arn, principalType: 'USER', principalId: user.userId });
        const failed = await waitForDeletion(h, outside.requestId);
        assert.equal(failed.status, 'FAILED');
        assert.ok((failed.failureReason ?? '').length > 0);
        await rejectsWith(h.driver.describeAccountAssignmentDeletionStatus('00000000-0000-0000-0000-000000000000'), 'ResourceNotFoundException');
      }),
    );
  });
}
