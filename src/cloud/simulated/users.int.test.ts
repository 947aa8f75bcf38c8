import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../contract-tests/index.js';
import { collect, createAccountNow, waitForAssignment } from '../contract-tests/harness.js';
import { backends, type TestDatabase } from '../../store/testing.js';
import { createSimulatedCloud } from './driver.js';

for (const backend of backends()) {
  describe(`twin identity store users on ${backend.name}`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await backend.open();
    });
    after(async () => database.dispose());

    const open = async () => {
      const clock = new ManualClock();
      const driver = await createSimulatedCloud({ db: database.db, clock, config: { twin: randomUUID(), pageSize: 2, accountCreationDurationMs: 1_000, assignmentDurationMs: 1_000 } });
      return { clock, driver, harness: { driver, advance: async (ms: number) => clock.advance(ms), dispose: async () => undefined } };
    };

    it('logs user and assignment-deletion calls in the activity log, without the user’s personal attributes', async () => {
      const { driver, harness } = await open();
      const { accountId } = await createAccountNow(harness, 'log');
      const set = await driver.createPermissionSet({ name: 'NonAdmin' });
      const user = await driver.createUser({ userName: 'hanako@example.jp', displayName: '山田 花子', email: 'hanako@example.jp' });
      const assignment = { accountId, permissionSetArn: set.arn, principalType: 'USER' as const, principalId: user.userId };
      await waitForAssignment(harness, (await driver.createAccountAssignment(assignment)).requestId);
      const deletion = await driver.deleteAccountAssignment(assignment);
      await driver.describeAccountAssignmentDeletionStatus(deletion.requestId);
      await driver.deleteUser(user.userId);
      await driver.deleteUser(user.userId).catch(() => undefined);

      const events = (await collect((t) => driver.lookupEvents({}, t))).items;
      const names = events.map((e) => e.eventName);
      for (const name of ['CreateUser', 'DeleteAccountAssignment', 'DescribeAccountAssignmentDeletionStatus', 'DeleteUser']) assert.ok(names.includes(name), `${name} is logged`);
      const created = events.find((e) => e.eventName === 'CreateUser');
      assert.equal(created?.eventSource, 'identitystore.amazonaws.com');
      assert.equal(created?.responseElements?.userId, user.userId);
      assert.ok(!JSON.stringify(created?.requestParameters).includes('山田'), 'the display name is not logged');
      const deleted = events.find((e) => e.eventName === 'DeleteAccountAssignment');
      assert.equal(deleted?.readOnly, false);
      assert.equal(deleted?.resources === undefined || Array.isArray(deleted.resources), true);
      assert.equal(events.filter((e) => e.eventName === 'DeleteUser' && e.errorCode === 'ResourceNotFoundException').length, 1, 'the refused second delete is logged too');
    });

    it('pages ListUsers and refuses another list’s token', async () => {
      const { driver } = await open();
      for (const name of ['a', 'b', 'c', 'd', 'e']) await driver.createUser({ userName: `${name}@example.jp`, displayName: name, email: `${name}@example.jp` });
      const all = await collect((t) => driver.listUsers({}, t));
      assert.equal(all.items.length, 5);
      assert.equal(all.pages, 3);
      const groups = await driver.listGroups({});
      await driver.createGroup({ displayName: 'g1' });
      await driver.createGroup({ displayName: 'g2' });
      await driver.createGroup({ displayName: 'g3' });
      const token = (await driver.listGroups({})).nextToken;
      assert.ok(token !== undefined && groups.items.length === 0);
      await assert.rejects(driver.listUsers({}, token), (e: unknown) => e instanceof Error && 'code' in e && e.code === 'ValidationException');
    });
  });
}
