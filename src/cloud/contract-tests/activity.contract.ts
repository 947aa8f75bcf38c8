import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudError } from '../../app/ports/cloud.js';
import { ACCOUNT_ID, collect, createAccountNow, rejectsWith, unique, withHarness, type MakeHarness } from './harness.js';

/** Pagination on every list, and the CloudTrail-shaped activity log. */
export function describeActivityContract(make: MakeHarness): void {
  describe('pagination', () => {
    it(
      'pages through every list with nextToken without losing or repeating an item',
      withHarness(make, async (h) => {
        const root = await h.driver.describeOrganizationRoot();
        const parent = await h.driver.createOrganizationalUnit(root.id, unique('Paged'));
        const ouIds: string[] = [];
        const groupIds: string[] = [];
        const setArns: string[] = [];
        for (let i = 0; i < 7; i += 1) {
          ouIds.push((await h.driver.createOrganizationalUnit(parent.id, `OU ${i}`)).id);
          groupIds.push((await h.driver.createGroup({ displayName: unique(`paged-${i}`) })).groupId);
          setArns.push((await h.driver.createPermissionSet({ name: unique(`Paged${i}`) })).arn);
        }
        await createAccountNow(h, 'paged');

        const ous = await collect((t) => h.driver.listOrganizationalUnitsForParent(parent.id, t));
        assert.deepEqual(new Set(ous.items.map((o) => o.id)), new Set(ouIds));
        assert.equal(ous.items.length, ouIds.length);
        const lists = [
          (await collect((t) => h.driver.listGroups({}, t))).items.map((g) => g.groupId),
          (await collect((t) => h.driver.listPermissionSets(t))).items.map((p) => p.arn),
          (await collect((t) => h.driver.listAccounts(t))).items.map((a) => a.id),
          (await collect((t) => h.driver.listCreateAccountStatus([], t))).items.map((s) => s.id),
          (await collect((t) => h.driver.lookupEvents({}, t))).items.map((e) => e.eventId),
        ];
        for (const ids of lists) assert.equal(new Set(ids).size, ids.length, 'no item appears twice');
        for (const id of groupIds) assert.ok(lists[0]?.includes(id));
        for (const arn of setArns) assert.ok(lists[1]?.includes(arn));
      }),
    );

    it(
      'refuses a nextToken it did not issue',
      withHarness(make, async (h) => {
        const error = await h.driver.listAccounts('not-a-token').then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(error instanceof CloudError);
        assert.ok(['InvalidInputException', 'ValidationException'].includes(error.code), error.code);
      }),
    );
  });

  describe('activity log', () => {
    it(
      "records every call, successful or failed, in CloudTrail's event shape",
      withHarness(make, async (h) => {
        const root = await h.driver.describeOrganizationRoot();
        const name = unique('Logged');
        await h.driver.createOrganizationalUnit(root.id, name);
        await rejectsWith(h.driver.createOrganizationalUnit(root.id, name), 'DuplicateOrganizationalUnitException');

        const { items } = await h.driver.lookupEvents({ eventName: 'CreateOrganizationalUnit' });
        const mine = items.filter((e) => e.requestParameters?.name === name);
        assert.equal(mine.length, 2);
        const failed = mine.find((e) => e.errorCode !== undefined);
        const succeeded = mine.find((e) => e.errorCode === undefined);
        assert.equal(failed?.errorCode, 'DuplicateOrganizationalUnitException');
        assert.ok((failed?.errorMessage ?? '').length > 0);
        assert.ok(succeeded !== undefined);
        assert.equal(succeeded.eventSource, 'organizations.amazonaws.com');
        assert.equal(succeeded.awsRegion, 'us-east-1');
        assert.ok(succeeded.eventTime instanceof Date);
        assert.ok(succeeded.eventId.length > 0);
        assert.match(succeeded.userIdentity.arn, /^arn:aws:/);
        assert.match(succeeded.userIdentity.accountId, ACCOUNT_ID);
        assert.match(succeeded.recipientAccountId, ACCOUNT_ID);
        assert.equal(succeeded.requestParameters?.parentId, root.id);
        assert.ok(succeeded.responseElements !== null);
      }),
    );

    it(
      'finds the calls about one account, by event name and since a time',
      withHarness(make, async (h) => {
        const root = await h.driver.describeOrganizationRoot();
        const ou = await h.driver.createOrganizationalUnit(root.id, unique('Target'));
        const { accountId } = await createAccountNow(h, 'trail');
        await h.driver.moveAccount({ accountId, sourceParentId: root.id, destinationParentId: ou.id });
        await h.driver.enrolSupportPlan(accountId, 'BUSINESS');

        const aboutAccount = await collect((t) => h.driver.lookupEvents({ accountId }, t));
        const names = aboutAccount.items.map((e) => e.eventName);
        assert.ok(names.includes('MoveAccount'), names.join());
        const creations = await collect((t) => h.driver.lookupEvents({ eventName: 'CreateAccount' }, t));
        assert.ok(creations.items.length >= 1);
        assert.ok(creations.items.every((e) => e.eventName === 'CreateAccount'));
        const future = await h.driver.lookupEvents({ since: new Date(Date.UTC(2999, 0, 1)) });
        assert.deepEqual(future.items, []);
      }),
    );
  });
}
