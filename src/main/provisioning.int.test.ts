import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backends, type TestDatabase } from '../store/testing.js';
import { provisioningHarness, requestAccounts, waitForRuns } from './testing/harness.js';
import { allCloudAccounts, allEvents, cloudAccountsWithEmail } from './testing/cloud.js';
import type { Container } from './container.js';
import { groupNames } from '../workflows/provisioning/steps-setup.js';

for (const backend of backends()) {
  describe(`provisioning on ${backend.name}`, () => {
    let t: TestDatabase;
    let c: Container;
    before(async () => {
      t = await backend.open();
      c = await provisioningHarness(t.db);
    });
    after(async () => t.dispose());

    it('turns a request into a ready account: placed in its OU, both groups assigned through the two permission sets, support enrolled, requester notified', async () => {
      const submitted = await requestAccounts(c, 1, 'e2e');
      const request = submitted.requests[0];
      assert.ok(request);
      const runner = c.createRunner({ concurrency: 4 });
      await runner.start();
      const [run] = await waitForRuns(c, [request.id]);
      await runner.stop();
      assert.equal(run?.status, 'succeeded', JSON.stringify(run?.failure));

      const account = await c.registry.getAccount(request.accountId ?? '');
      const cloudAccountId = account?.account.providerAccountId ?? '';
      assert.equal(account?.account.status, 'ready');
      assert.equal(account?.account.ouPath, request.ouPath);
      const parent = await c.cloud.listParents(cloudAccountId);
      assert.equal(parent.type, 'ORGANIZATIONAL_UNIT');

      const sets = (await c.cloud.listPermissionSets()).items.map((p) => p.name).sort();
      assert.deepEqual(sets, ['Admin', 'NonAdmin']);
      for (const ps of (await c.cloud.listPermissionSets()).items) {
        const assigned = await c.cloud.listAccountAssignments(cloudAccountId, ps.arn);
        assert.equal(assigned.items.length, 1);
      }
      const tenant = await c.registry.getOrganisation(request.organisationId);
      const names = groupNames(tenant?.code ?? '');
      const groups = await c.cloud.listGroups({ displayName: names.admin });
      assert.equal(groups.items.length, 1);
      assert.equal(await c.cloud.getSupportPlan(cloudAccountId), 'BUSINESS');

      const steps = await c.requestDeps.requests.steps(request.id);
      assert.deepEqual(steps.map((s) => s.status), steps.map(() => 'succeeded'));
      assert.deepEqual(steps.map((s) => s.step), c.workflow.stepNames);
    });

    for (const step of ['validate', 'reserve-name-and-email', 'create-account', 'wait-for-creation', 'place-in-ou', 'ensure-identity', 'assign-access', 'enrol-support', 'record-ready', 'notify-requester']) {
      for (const at of ['before-step', 'after-step'] as const) {
        it(`a worker killed ${at === 'before-step' ? 'before' : 'in the middle of'} ${step} is resumed by another with no duplicate and no orphan account`, async () => {
          const submitted = await requestAccounts(c, 1, `k-${step.slice(0, 12)}-${at.slice(0, 1)}`);
          const request = submitted.requests[0];
          assert.ok(request);
          let crashed = false;
          const doomed = c.createRunner({
            owner: `doomed-${step}-${at}`,
            concurrency: 1,
            leaseMs: 150,
            onError: () => undefined,
            onBoundary: (event) => {
              if (!crashed && event.runId === request.id && event.step === step && event.at === at) {
                crashed = true;
                void doomed.kill();
                throw new Error('process died');
              }
            },
          });
          await doomed.start();
          const deadline = Date.now() + 10_000;
          while (!crashed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
          assert.ok(crashed, 'the worker reached the crash point');
          const rescuer = c.createRunner({ owner: `rescuer-${step}-${at}`, concurrency: 2, leaseMs: 150 });
          await rescuer.start();
          const [run] = await waitForRuns(c, [request.id]);
          await rescuer.stop();
          assert.equal(run?.status, 'succeeded', JSON.stringify(run?.failure));
          assert.equal((await cloudAccountsWithEmail(c.cloud, request.email)).length, 1, 'exactly one cloud account with the e-mail');
          const account = await c.registry.getAccount(request.accountId ?? '');
          assert.equal(account?.account.status, 'ready');
          const notes = await c.notifications.list({ recipient: 'tester@hatoba.example', limit: 1000 });
          assert.equal(notes.filter((n) => n.dedupeKey === `account-ready:${request.id}`).length, 1);
        });
      }
    }

    it('never creates more cloud accounts than requests were made, whatever crashed', async () => {
      const ready = await c.registry.listAccounts({ status: 'ready' }, { limit: 500 });
      const accepted = (await allEvents(c.cloud, { eventName: 'CreateAccount' })).filter((e) => e.errorCode === undefined);
      assert.equal(accepted.length, ready.items.length);
      // the management account plus one per ready account: no orphans
      assert.equal((await allCloudAccounts(c.cloud)).length, ready.items.length + 1);
    });
  });
}
