import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ACCOUNT_ID,
  CREATE_REQUEST_ID,
  OU_ID,
  ROOT_ID,
  collect,
  createAccountNow,
  rejectsWith,
  unique,
  uniqueEmail,
  waitForCreation,
  withHarness,
  type MakeHarness,
} from './harness.js';

/** Organizations: asynchronous account creation, e-mail uniqueness, OUs, moves, policies. */
export function describeOrganizationsContract(make: MakeHarness): void {
  describe('accounts', () => {
    it(
      'creates an account asynchronously: IN_PROGRESS with a car- request id first, then SUCCEEDED with a 12-digit account under the root',
      withHarness(make, async (h) => {
        const email = uniqueEmail('async');
        const accountName = unique('async');
        const started = await h.driver.createAccount({ email, accountName });
        assert.equal(started.state, 'IN_PROGRESS');
        assert.match(started.id, CREATE_REQUEST_ID);
        assert.equal(started.accountName, accountName);
        assert.equal(started.accountId, undefined);

        const done = await waitForCreation(h, started.id);
        assert.equal(done.state, 'SUCCEEDED');
        assert.match(done.accountId ?? '', ACCOUNT_ID);
        assert.ok(done.completedAt instanceof Date);

        const account = await h.driver.describeAccount(done.accountId ?? '');
        assert.equal(account.email, email);
        assert.equal(account.name, accountName);
        assert.equal(account.status, 'ACTIVE');
        assert.match(account.arn, /^arn:aws:organizations::\d{12}:account\/o-[a-z0-9]{10,32}\/\d{12}$/);
        const root = await h.driver.describeOrganizationRoot();
        assert.deepEqual(await h.driver.listParents(account.id), { id: root.id, type: 'ROOT' });
        const all = await collect((t) => h.driver.listAccounts(t));
        assert.ok(all.items.some((a) => a.id === account.id));
      }),
    );

    it(
      'keeps the tags given at creation on the account, and refuses tags of an account that does not exist',
      withHarness(make, async (h) => {
        const started = await h.driver.createAccount({ email: uniqueEmail('tags'), accountName: unique('tags'), tags: { 'hatoba:request': 'req_1' } });
        const done = await waitForCreation(h, started.id);
        assert.deepEqual(await h.driver.listTagsForResource(done.accountId ?? ''), { 'hatoba:request': 'req_1' });
        await rejectsWith(h.driver.listTagsForResource('999999999999'), 'TargetNotFoundException');
      }),
    );

    it(
      'ends a creation whose e-mail is already in use as FAILED with EMAIL_ALREADY_EXISTS and creates no second account',
      withHarness(make, async (h) => {
        const { email } = await createAccountNow(h, 'dup');
        const again = await h.driver.createAccount({ email: email.toUpperCase(), accountName: unique('dup') });
        assert.equal(again.state, 'IN_PROGRESS', 'the real service reports the duplicate asynchronously');
        const done = await waitForCreation(h, again.id);
        assert.equal(done.state, 'FAILED');
        assert.equal(done.failureReason, 'EMAIL_ALREADY_EXISTS');
        assert.equal(done.accountId, undefined);
        const all = await collect((t) => h.driver.listAccounts(t));
        assert.equal(all.items.filter((a) => a.email.toLowerCase() === email.toLowerCase()).length, 1);
      }),
    );

    it(
      'lists creation requests filtered by state',
      withHarness(make, async (h) => {
        const started = await h.driver.createAccount({ email: uniqueEmail('states'), accountName: unique('states') });
        const inProgress = await collect((t) => h.driver.listCreateAccountStatus(['IN_PROGRESS'], t));
        assert.ok(inProgress.items.some((s) => s.id === started.id));
        await waitForCreation(h, started.id);
        const succeeded = await collect((t) => h.driver.listCreateAccountStatus(['SUCCEEDED'], t));
        assert.ok(succeeded.items.some((s) => s.id === started.id && s.state === 'SUCCEEDED'));
        const stillRunning = await collect((t) => h.driver.listCreateAccountStatus(['IN_PROGRESS'], t));
        assert.ok(!stillRunning.items.some((s) => s.id === started.id));
      }),
    );

    it(
      'reports unknown creation requests and accounts with their own exceptions',
      withHarness(make, async (h) => {
        await rejectsWith(h.driver.describeCreateAccountStatus('car-00000000000000000000000000000000'), 'CreateAccountStatusNotFoundException');
        await rejectsWith(h.driver.describeAccount('000000000000'), 'AccountNotFoundException');
      }),
    );
  });

  describe('organizational units', () => {
    it(
      'creates nested OUs with AWS ids and ARNs, lists them per parent and refuses a duplicate name under one parent',
      withHarness(make, async (h) => {
        const root = await h.driver.describeOrganizationRoot();
        assert.match(root.id, ROOT_ID);
        assert.match(root.arn, /^arn:aws:organizations::\d{12}:root\/o-[a-z0-9]{10,32}\/r-[0-9a-z]{4,32}$/);
        const name = unique('Ministries');
        const ou = await h.driver.createOrganizationalUnit(root.id, name);
        assert.match(ou.id, OU_ID);
        assert.match(ou.arn, /^arn:aws:organizations::\d{12}:ou\/o-[a-z0-9]{10,32}\/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/);
        assert.equal(ou.parentId, root.id);
        assert.equal(ou.name, name);
        const child = await h.driver.createOrganizationalUnit(ou.id, 'Prod');

        const underRoot = await collect((t) => h.driver.listOrganizationalUnitsForParent(root.id, t));
        assert.ok(underRoot.items.some((o) => o.id === ou.id && o.name === name));
        assert.ok(!underRoot.items.some((o) => o.id === child.id), 'children are listed under their own parent only');
        const underOu = await collect((t) => h.driver.listOrganizationalUnitsForParent(ou.id, t));
        assert.deepEqual(underOu.items.map((o) => o.id), [child.id]);

        await rejectsWith(h.driver.createOrganizationalUnit(root.id, name), 'DuplicateOrganizationalUnitException');
        await h.driver.createOrganizationalUnit(child.id, name); // the same name under another parent is fine
        await rejectsWith(h.driver.createOrganizationalUnit('ou-zzzz-zzzzzzzz', 'X'), 'ParentNotFoundException');
        await rejectsWith(h.driver.listOrganizationalUnitsForParent('ou-zzzz-zzzzzzzz'), 'ParentNotFoundException');
      }),
    );

    it(
      'moves an account between parents and reports a wrong source, a missing destination or account, and a no-op move',
      withHarness(make, async (h) => {
        const root = await h.driver.describeOrganizationRoot();
        const a = await h.driver.createOrganizationalUnit(root.id, unique('A'));
        const b = await h.driver.createOrganizationalUnit(root.id, unique('B'));
        const { accountId } = await createAccountNow(h, 'move');

        await h.driver.moveAccount({ accountId, sourceParentId: root.id, destinationParentId: a.id });
        assert.deepEqual(await h.driver.listParents(accountId), { id: a.id, type: 'ORGANIZATIONAL_UNIT' });

        await rejectsWith(h.driver.moveAccount({ accountId, sourceParentId: root.id, destinationParentId: b.id }), 'SourceParentNotFoundException');
        await rejectsWith(
          h.driver.moveAccount({ accountId, sourceParentId: 'ou-zzzz-zzzzzzzz', destinationParentId: b.id }),
          'SourceParentNotFoundException',
        );
        await rejectsWith(
          h.driver.moveAccount({ accountId, sourceParentId: a.id, destinationParentId: 'ou-zzzz-zzzzzzzz' }),
          'DestinationParentNotFoundException',
        );
        await rejectsWith(
          h.driver.moveAccount({ accountId: '000000000000', sourceParentId: a.id, destinationParentId: b.id }),
          'AccountNotFoundException',
        );
        await rejectsWith(h.driver.moveAccount({ accountId, sourceParentId: a.id, destinationParentId: a.id }), 'DuplicateAccountException');

        await h.driver.moveAccount({ accountId, sourceParentId: a.id, destinationParentId: b.id });
        assert.deepEqual(await h.driver.listParents(accountId), { id: b.id, type: 'ORGANIZATIONAL_UNIT' });
        await rejectsWith(h.driver.listParents('000000000000'), 'ChildNotFoundException');
      }),
    );
  });

  describe('service control policies', () => {
    it(
      'stores a policy, attaches it to an OU and an account, lists it per target and detaches it',
      withHarness(make, async (h) => {
        const root = await h.driver.describeOrganizationRoot();
        const ou = await h.driver.createOrganizationalUnit(root.id, unique('Guarded'));
        const { accountId } = await createAccountNow(h, 'scp');
        const content = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'ec2:*', Resource: '*' }] });
        const policy = await h.driver.createPolicy({ name: unique('DenyEc2'), description: 'no EC2', content });
        assert.match(policy.id, /^p-[0-9a-zA-Z_]{8,128}$/);
        assert.equal(policy.type, 'SERVICE_CONTROL_POLICY');
        assert.equal(policy.awsManaged, false);
        assert.equal(policy.content, content);

        for (const target of [ou.id, accountId]) {
          await h.driver.attachPolicy(policy.id, target);
          const attached = await collect((t) => h.driver.listPoliciesForTarget(target, 'SERVICE_CONTROL_POLICY', t));
          assert.ok(attached.items.some((p) => p.id === policy.id && p.arn === policy.arn));
          await rejectsWith(h.driver.attachPolicy(policy.id, target), 'DuplicatePolicyAttachmentException');
          await h.driver.detachPolicy(policy.id, target);
          const after = await collect((t) => h.driver.listPoliciesForTarget(target, 'SERVICE_CONTROL_POLICY', t));
          assert.ok(!after.items.some((p) => p.id === policy.id));
          await rejectsWith(h.driver.detachPolicy(policy.id, target), 'PolicyNotAttachedException');
        }

        await rejectsWith(h.driver.createPolicy({ name: policy.name, content }), 'DuplicatePolicyException');
        await rejectsWith(h.driver.createPolicy({ name: unique('Bad'), content: 'not json' }), 'MalformedPolicyDocumentException');
        await rejectsWith(h.driver.attachPolicy(policy.id, 'ou-zzzz-zzzzzzzz'), 'TargetNotFoundException');
        await rejectsWith(h.driver.attachPolicy('p-zzzzzzzz', ou.id), 'PolicyNotFoundException');
      }),
    );
  });
}
