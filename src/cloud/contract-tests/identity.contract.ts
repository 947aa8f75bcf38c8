import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collect, createAccountNow, rejectsWith, unique, waitForAssignment, withHarness, type MakeHarness } from './harness.js';

/** IAM Identity Center (groups, permission sets, assignments) and support plans. */
export function describeIdentityContract(make: MakeHarness): void {
  describe('identity store and permission sets', () => {
    it(
      'creates groups with unique display names and finds one by its display name',
      withHarness(make, async (h) => {
        const displayName = unique('tenant-Admin');
        const group = await h.driver.createGroup({ displayName, description: 'administrators' });
        assert.equal(group.displayName, displayName);
        assert.ok(group.groupId.length > 0);
        await h.driver.createGroup({ displayName: unique('tenant-NonAdmin') });

        const found = await h.driver.listGroups({ displayName });
        assert.deepEqual(found.items, [{ groupId: group.groupId, displayName, description: 'administrators' }]);
        assert.deepEqual((await h.driver.listGroups({ displayName: unique('nobody') })).items, []);
        await rejectsWith(h.driver.createGroup({ displayName }), 'ConflictException');
      }),
    );

    it(
      'creates permission sets with a one-hour default session and refuses a duplicate name',
      withHarness(make, async (h) => {
        const name = unique('Admin');
        const set = await h.driver.createPermissionSet({ name, description: 'tenant administrators' });
        assert.match(set.arn, /^arn:aws:sso:::permissionSet\/ssoins-[a-zA-Z0-9-.]{16}\/ps-[a-zA-Z0-9-./]{16}$/);
        assert.equal(set.sessionDuration, 'PT1H');
        const longer = await h.driver.createPermissionSet({ name: unique('ReadOnly'), sessionDuration: 'PT8H' });
        assert.equal(longer.sessionDuration, 'PT8H');

        const listed = await collect((t) => h.driver.listPermissionSets(t));
        assert.ok(listed.items.some((p) => p.arn === set.arn && p.name === name));
        await rejectsWith(h.driver.createPermissionSet({ name }), 'ConflictException');
        await rejectsWith(h.driver.createPermissionSet({ name: unique('Bad'), sessionDuration: 'PT13H' }), 'ValidationException');
      }),
    );

    it(
      'assigns a permission set to a group asynchronously, and assigning it again succeeds without a duplicate',
      withHarness(make, async (h) => {
        const { accountId } = await createAccountNow(h, 'assign');
        const group = await h.driver.createGroup({ displayName: unique('assign-Admin') });
        const set = await h.driver.createPermissionSet({ name: unique('Admin') });
        const assignment = { accountId, permissionSetArn: set.arn, principalType: 'GROUP' as const, principalId: group.groupId };

        const first = await h.driver.createAccountAssignment(assignment);
        assert.equal(first.status, 'IN_PROGRESS');
        assert.equal((await waitForAssignment(h, first.requestId)).status, 'SUCCEEDED');

        const second = await h.driver.createAccountAssignment(assignment);
        assert.notEqual(second.requestId, first.requestId);
        assert.equal((await waitForAssignment(h, second.requestId)).status, 'SUCCEEDED');

        const listed = await collect((t) => h.driver.listAccountAssignments(accountId, set.arn, t));
        assert.deepEqual(listed.items, [assignment]);
      }),
    );

    it(
      'fails an assignment to an account outside the organisation through its request status',
      withHarness(make, async (h) => {
        const group = await h.driver.createGroup({ displayName: unique('orphan') });
        const set = await h.driver.createPermissionSet({ name: unique('Orphan') });
        const started = await h.driver.createAccountAssignment({
          accountId: '000000000000',
          permissionSetArn: set.arn,
          principalType: 'GROUP',
          principalId: group.groupId,
        });
        const done = await waitForAssignment(h, started.requestId);
        assert.equal(done.status, 'FAILED');
        assert.ok((done.failureReason ?? '').length > 0);
      }),
    );
  });

  describe('support plans', () => {
    it(
      'starts a new account on the BASIC plan and enrols it in another plan idempotently',
      withHarness(make, async (h) => {
        const { accountId } = await createAccountNow(h, 'support');
        assert.equal(await h.driver.getSupportPlan(accountId), 'BASIC');
        await h.driver.enrolSupportPlan(accountId, 'BUSINESS');
        await h.driver.enrolSupportPlan(accountId, 'BUSINESS');
        assert.equal(await h.driver.getSupportPlan(accountId), 'BUSINESS');
        await rejectsWith(h.driver.enrolSupportPlan('000000000000', 'BUSINESS'), 'AccountNotFoundException');
      }),
    );
  });
}
