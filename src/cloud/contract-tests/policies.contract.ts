import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collect, createAccountNow, rejectsWith, unique, withHarness, type MakeHarness } from './harness.js';

/** Organizations calls the guardrail rollout needs: list, update and delete policies; list an OU's accounts. */

const deny = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: action, Resource: '*' }] });

export function describePoliciesContract(make: MakeHarness): void {
  describe('policy administration', () => {
    it(
      'lists, updates and deletes a policy; refuses deleting one still attached and changing FullAWSAccess',
      withHarness(make, async (h) => {
        const root = await h.driver.describeOrganizationRoot();
        const ou = await h.driver.createOrganizationalUnit(root.id, unique('Admin'));
        const name = unique('hatoba-test');
        const policy = await h.driver.createPolicy({ name, content: deny('ec2:RunInstances') });
        const listed = (await collect((t) => h.driver.listPolicies('SERVICE_CONTROL_POLICY', t))).items;
        assert.ok(listed.some((p) => p.id === policy.id && p.name === name));
        const full = listed.find((p) => p.name === 'FullAWSAccess');
        assert.ok(full?.awsManaged === true);

        const updated = await h.driver.updatePolicy(policy.id, { content: deny('ec2:TerminateInstances'), description: 'terminations' });
        assert.deepEqual([updated.id, updated.name, updated.description, updated.content], [policy.id, name, 'terminations', deny('ec2:TerminateInstances')]);
        await rejectsWith(h.driver.updatePolicy(full.id, { content: deny('*') }), 'PolicyChangesNotAllowedException');
        await rejectsWith(h.driver.updatePolicy(policy.id, { content: '[]' }), 'MalformedPolicyDocumentException');

        await h.driver.attachPolicy(policy.id, ou.id);
        await rejectsWith(h.driver.deletePolicy(policy.id), 'PolicyInUseException');
        await h.driver.detachPolicy(policy.id, ou.id);
        await h.driver.deletePolicy(policy.id);
        await rejectsWith(h.driver.deletePolicy(policy.id), 'PolicyNotFoundException');
        assert.ok(!(await collect((t) => h.driver.listPolicies('SERVICE_CONTROL_POLICY', t))).items.some((p) => p.id === policy.id));
      }),
    );

    it(
      'lists the accounts directly under a parent, and refuses a parent that does not exist',
      withHarness(make, async (h) => {
        const root = await h.driver.describeOrganizationRoot();
        const ou = await h.driver.createOrganizationalUnit(root.id, unique('Parent'));
        const child = await h.driver.createOrganizationalUnit(ou.id, 'Child');
        const moved: string[] = [];
        for (const destination of [ou.id, ou.id, child.id]) {
          const { accountId } = await createAccountNow(h, 'under');
          await h.driver.moveAccount({ accountId, sourceParentId: root.id, destinationParentId: destination });
          moved.push(accountId);
        }
        const direct = (await collect((t) => h.driver.listAccountsForParent(ou.id, t))).items.map((a) => a.id);
        assert.deepEqual(new Set(direct), new Set(moved.slice(0, 2)));
        assert.deepEqual((await collect((t) => h.driver.listAccountsForParent(child.id, t))).items.map((a) => a.id), [moved[2]]);
        await rejectsWith(h.driver.listAccountsForParent('ou-zzzz-zzzzzzzz'), 'ParentNotFoundException');
      }),
    );
  });
}
