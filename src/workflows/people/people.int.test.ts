import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backends, type TestDatabase } from '../../store/testing.js';
import { provisioningHarness, waitForRuns } from '../../main/testing/harness.js';
import type { Container } from '../../main/container.js';
import { ALL_TENANTS } from '../../app/scope.js';
import { submitAccountRequests } from '../../app/requests/use-cases.js';
import { addTenantPerson } from '../../app/people/add.js';
import { changePersonRole, removePerson } from '../../app/people/change.js';
import { getPerson } from '../../app/people/read.js';
import { reconcilePeople } from '../../app/people/reconciler.js';
import { operator, tenantCaller } from '../../app/people/fixtures.js';
import type { Organisation } from '../../domain/registry/organisation.js';
import type { WorkflowRunner } from '../engine/runner.js';
import type { AccountAssignment } from '../../app/ports/cloud.js';

const TENANT = '131016';
const SYSTEMS = ['juki', 'kojin-juminzei', 'kaigo-hoken'];

for (const backend of backends()) {
  describe(`people provisioning on ${backend.name}`, () => {
    let t: TestDatabase;
    let c: Container;
    let runner: WorkflowRunner;
    let tenant: Organisation;
    let n = 0;

    const requestAccount = async (system: string): Promise<string> => {
      n += 1;
      const submitted = await submitAccountRequests(c.requestDeps, {
        items: [{ tenantCode: TENANT, systemName: system, environment: 'dev', accountName: `people-${backend.name}-${n}` }],
        requestedBy: 'tester@hatoba.example',
        scope: ALL_TENANTS,
        dryRun: false,
        batch: false,
        locate: (i) => ['test', i],
      });
      const request = submitted.requests[0];
      assert.ok(request);
      const [run] = await waitForRuns(c, [request.id]);
      assert.equal(run?.status, 'succeeded', JSON.stringify(run?.failure));
      return request.accountId ?? '';
    };
    const providerAccount = async (accountId: string): Promise<string> => (await c.registry.getAccount(accountId))?.account.providerAccountId ?? '';
    const sets = async () => (await c.cloud.listPermissionSets()).items;
    const assignmentsIn = async (accountId: string): Promise<(AccountAssignment & { set: string })[]> => {
      const out = [];
      for (const set of await sets()) out.push(...(await c.cloud.listAccountAssignments(await providerAccount(accountId), set.arn)).items.map((a) => ({ ...a, set: set.name })));
      return out.filter((a) => a.principalType === 'USER');
    };
    const userOf = async (personId: string): Promise<string> => {
      const users = await c.peopleDeps.access.cloudUsers(personId);
      assert.equal(users.length, 1);
      return users[0]?.userId ?? '';
    };
    const waitFor = (ids: string[]) => waitForRuns(c, ids).then((runs) => {
      for (const run of runs) assert.equal(run.status, 'succeeded', JSON.stringify(run.failure));
    });
    const added = (personId: string) => `provision-person:${personId}:added`;

    let accounts: string[] = [];
    let adminId = '';

    before(async () => {
      t = await backend.open();
      c = await provisioningHarness(t.db);
      runner = c.createRunner({ concurrency: 4 });
      await runner.start();
      const found = await c.registry.getOrganisationByCode(TENANT);
      assert.ok(found);
      tenant = found;
      for (const system of SYSTEMS) accounts.push(await requestAccount(system));
    });
    after(async () => {
      await runner.stop();
      await t.dispose();
    });

    it('gives a person added to a tenant with 3 ready accounts exactly 3 assignments through the permission set of their role', async () => {
      const { person } = await addTenantPerson(c.peopleDeps, operator(), TENANT, { email: 'first.admin@chiyoda.example.jp', name: '千代田 一郎', role: 'tenant_admin' }, { dryRun: false });
      adminId = person.person.id;
      await waitFor([added(adminId)]);
      const userId = await userOf(adminId);
      const assigned = (await Promise.all(accounts.map(assignmentsIn))).flat().filter((a) => a.principalId === userId);
      assert.equal(assigned.length, 3);
      assert.deepEqual(new Set(assigned.map((a) => a.set)), new Set(['Admin']));
      const detail = await getPerson(c.peopleDeps, tenantCaller(tenant, 'tenant_admin', adminId), adminId);
      assert.deepEqual(detail.access.map((r) => [r.status, r.permissionSet]), [['ready', 'admin'], ['ready', 'admin'], ['ready', 'admin']]);
    });

    it('keeps exactly two permission sets in the instance after adding 10 people, each with a NonAdmin assignment per account', async () => {
      const admin = tenantCaller(tenant, 'tenant_admin', adminId);
      const ids: string[] = [];
      for (let i = 0; i < 10; i += 1) {
        const { person } = await addTenantPerson(c.peopleDeps, admin, TENANT, { email: `member${i}@chiyoda.example.jp`, name: `Member ${i}` }, { dryRun: false });
        ids.push(person.person.id);
      }
      await waitFor(ids.map(added));
      assert.deepEqual((await sets()).map((s) => s.name).sort(), ['Admin', 'NonAdmin']);
      const all = (await Promise.all(accounts.map(assignmentsIn))).flat();
      for (const id of ids) {
        const userId = await userOf(id);
        const mine = all.filter((a) => a.principalId === userId);
        assert.equal(mine.length, 3);
        assert.ok(mine.every((a) => a.set === 'NonAdmin'));
      }
    });

    it('computes the time from added to can sign in, per account and per person', async () => {
      const detail = await getPerson(c.peopleDeps, tenantCaller(tenant, 'tenant_admin', adminId), adminId);
      assert.equal(detail.summary.status, 'ready');
      assert.equal(detail.summary.ready, 3);
      assert.ok(detail.summary.firstReadyAt !== null);
      assert.equal(detail.summary.timeToAccessMs, detail.summary.firstReadyAt.getTime() - detail.person.createdAt.getTime());
      for (const row of detail.access) {
        assert.ok(row.readyAt !== null && row.timeToAccessMs !== null);
        assert.equal(row.timeToAccessMs, row.readyAt.getTime() - row.requestedAt.getTime());
        assert.ok(row.timeToAccessMs >= 0);
      }
    });

    it('assigns the tenant’s people to an account that becomes ready after they were added, through one reconciliation pass', async () => {
      const later = await requestAccount('juki');
      const people = (await c.people.list({ tenantId: tenant.id }, { limit: 100 })).items;
      assert.equal(await reconcilePeople({ access: c.peopleDeps.access, provisioning: c.peopleDeps.provisioning, clock: c.clock }, 500), people.length);
      assert.equal(await reconcilePeople({ access: c.peopleDeps.access, provisioning: c.peopleDeps.provisioning, clock: c.clock }, 500), 0, 'a second pass starts nothing new');
      await waitFor(people.map((p) => `provision-person:${p.id}:account:${later}`));
      const assigned = await assignmentsIn(later);
      assert.equal(assigned.length, people.length);
      const adminUser = await userOf(adminId);
      assert.equal(assigned.find((a) => a.principalId === adminUser)?.set, 'Admin');
      accounts = [...accounts, later];
      const row = (await getPerson(c.peopleDeps, tenantCaller(tenant, 'tenant_admin', adminId), adminId)).access.find((r) => r.accountId === later);
      const readyAt = (await c.registry.getAccount(later))?.account.readyAt;
      assert.deepEqual(row?.requestedAt, readyAt, 'the wait counts from the account becoming ready');
    });

    it('runs the reconciliation pass by itself where the workers run', async () => {
      const reconciler = c.createPeopleReconciler({ intervalMs: 20 });
      reconciler.start();
      try {
        const later = await requestAccount('kaigo-hoken');
        const people = (await c.people.list({ tenantId: tenant.id }, { limit: 100 })).items;
        const ids = people.map((p) => `provision-person:${p.id}:account:${later}`);
        const deadline = Date.now() + 10_000;
        while ((await Promise.all(ids.map((id) => c.workflowStore.getRun(id)))).some((r) => r === undefined) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        await waitFor(ids);
        assert.equal((await assignmentsIn(later)).length, people.length);
        accounts = [...accounts, later];
      } finally {
        await reconciler.stop();
      }
    });

    it('swaps the permission set on every account when a member becomes an admin', async () => {
      const admin = tenantCaller(tenant, 'tenant_admin', adminId);
      const member = (await c.people.findActiveByEmail('member0@chiyoda.example.jp'))?.id ?? '';
      const { person } = await changePersonRole(c.peopleDeps, admin, member, { role: 'tenant_admin' }, { dryRun: false });
      assert.equal(person.person.tenantRole, 'tenant_admin');
      const runs = await t.db.query(`SELECT id FROM workflow_runs WHERE workflow = 'provision-person' AND subject LIKE $1`, [`${member}:role:%`]);
      assert.equal(runs.length, 1, 'one run carries out the role change');
      await waitFor(runs.map((r) => String(r.id)));
      const userId = await userOf(member);
      const mine = (await Promise.all(accounts.map(assignmentsIn))).flat().filter((a) => a.principalId === userId);
      assert.equal(mine.length, accounts.length);
      assert.ok(mine.every((a) => a.set === 'Admin'), JSON.stringify(mine));
      const detail = await getPerson(c.peopleDeps, admin, member);
      assert.ok(detail.access.every((r) => r.permissionSet === 'admin' && r.replacing === null && r.status === 'ready'));
    });

    it('removes every assignment and the identity store user of a removed person', async () => {
      const admin = tenantCaller(tenant, 'tenant_admin', adminId);
      const leaver = (await c.people.findActiveByEmail('member1@chiyoda.example.jp'))?.id ?? '';
      const userId = await userOf(leaver);
      await removePerson(c.peopleDeps, admin, leaver, { dryRun: false });
      await waitFor([`deprovision-person:${leaver}:removed`]);
      const left = (await Promise.all(accounts.map(assignmentsIn))).flat().filter((a) => a.principalId === userId);
      assert.deepEqual(left, []);
      assert.deepEqual((await c.cloud.listUsers({ userName: 'member1@chiyoda.example.jp' })).items, []);
      const detail = await getPerson(c.peopleDeps, admin, leaver);
      assert.equal(detail.summary.status, 'removed');
      assert.ok(detail.access.every((r) => r.status === 'removed' && r.removedAt !== null));
      assert.ok((await c.peopleDeps.access.cloudUsers(leaver)).every((u) => u.deletedAt !== null));
    });

    it('gives a person re-added with a removed person’s address a new user of the same name', async () => {
      const admin = tenantCaller(tenant, 'tenant_admin', adminId);
      const { person } = await addTenantPerson(c.peopleDeps, admin, TENANT, { email: 'member1@chiyoda.example.jp', name: 'Member 1 again' }, { dryRun: false });
      await waitFor([added(person.person.id)]);
      const users = (await c.cloud.listUsers({ userName: 'member1@chiyoda.example.jp' })).items;
      assert.equal(users.length, 1);
      assert.equal(users[0]?.userId, await userOf(person.person.id));
      assert.equal((await getPerson(c.peopleDeps, admin, person.person.id)).summary.ready, accounts.length);
    });

    it('sweeps a removed person whose provisioning raced the removal: one more deprovisioning run deletes what it left', async () => {
      const admin = tenantCaller(tenant, 'tenant_admin', adminId);
      const email = 'member2@chiyoda.example.jp';
      const leaver = (await c.people.findActiveByEmail(email))?.id ?? '';
      await removePerson(c.peopleDeps, admin, leaver, { dryRun: false });
      await waitFor([`deprovision-person:${leaver}:removed`]);
      // What a provisioning run that read the person just before the removal does after it: a user and an assignment come back.
      const [row] = await c.peopleDeps.access.listAccess([leaver]);
      assert.ok(row !== undefined && row.status === 'removed');
      const user = await c.cloud.createUser({ userName: email, displayName: 'Member 2', email });
      assert.equal(await c.peopleDeps.access.recordCloudUser({ personId: leaver, provider: row.account.provider, userId: user.userId, userName: email, createdAt: c.clock.now() }), true);
      const nonAdmin = (await sets()).find((s) => s.name === 'NonAdmin');
      assert.ok(nonAdmin);
      await c.cloud.createAccountAssignment({ accountId: await providerAccount(row.accountId), permissionSetArn: nonAdmin.arn, principalType: 'USER', principalId: user.userId });
      const stored = await c.peopleDeps.access.getAccess(leaver, row.accountId);
      assert.ok(stored);
      assert.ok(await c.peopleDeps.access.saveAccess({ ...stored, status: 'ready', readyAt: c.clock.now(), removedAt: null, updatedAt: c.clock.now() }, stored));

      const deps = { access: c.peopleDeps.access, provisioning: c.peopleDeps.provisioning, clock: c.clock };
      assert.equal(await reconcilePeople(deps, 500), 1);
      assert.equal(await reconcilePeople(deps, 500), 0, 'a second pass starts nothing while the run is in flight');
      await waitFor([`deprovision-person:${leaver}:removed:2`]);
      assert.deepEqual((await c.cloud.listUsers({ userName: email })).items, []);
      assert.deepEqual((await assignmentsIn(row.accountId)).filter((a) => a.principalId === user.userId), []);
      assert.ok((await c.peopleDeps.access.listAccess([leaver])).every((r) => r.status === 'removed'));
      assert.ok((await c.peopleDeps.access.cloudUsers(leaver)).every((u) => u.deletedAt !== null));
      assert.equal(await reconcilePeople(deps, 500), 0, 'nothing is left to sweep');
    });
  });
}

for (const backend of backends()) {
  describe(`people provisioning after a crash on ${backend.name}`, () => {
    let t: TestDatabase;
    let c: Container;
    let tenant: Organisation;
    let accountIds: string[] = [];

    before(async () => {
      t = await backend.open();
      c = await provisioningHarness(t.db);
      const found = await c.registry.getOrganisationByCode('131121');
      assert.ok(found);
      tenant = found;
      const submitted = await submitAccountRequests(c.requestDeps, {
        items: ['juki', 'kokuho'].map((systemName) => ({ tenantCode: tenant.code, systemName, environment: 'dev', accountName: `crash-${backend.name}-${systemName}` })),
        requestedBy: 'tester@hatoba.example',
        scope: ALL_TENANTS,
        dryRun: false,
        batch: true,
        locate: (i) => ['test', i],
      });
      const runner = c.createRunner({ concurrency: 4 });
      await runner.start();
      await waitForRuns(c, submitted.requests.map((r) => r.id));
      await runner.stop();
      accountIds = submitted.requests.map((r) => r.accountId ?? '');
    });
    after(async () => t.dispose());

    for (const step of ['ensure-user', 'ensure-permission-sets', 'assign-accounts', 'wait-for-assignments']) {
      it(`a worker killed in the middle of ${step} is resumed by another with one user and one assignment per account`, async () => {
        const email = `crash-${step}@suginami.example.jp`;
        const { person } = await addTenantPerson(c.peopleDeps, tenantCaller(tenant, 'tenant_admin'), tenant.code, { email, name: 'Crash' }, { dryRun: false });
        const runId = `provision-person:${person.person.id}:added`;
        let crashed = false;
        const doomed = c.createRunner({
          owner: `doomed-${step}`,
          concurrency: 1,
          leaseMs: 150,
          onError: () => undefined,
          onBoundary: (event) => {
            if (!crashed && event.runId === runId && event.step === step && event.at === 'after-step') {
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
        const rescuer = c.createRunner({ owner: `rescuer-${step}`, concurrency: 2, leaseMs: 150 });
        await rescuer.start();
        const [run] = await waitForRuns(c, [runId]);
        await rescuer.stop();
        assert.equal(run?.status, 'succeeded', JSON.stringify(run?.failure));
        const users = (await c.cloud.listUsers({ userName: email })).items;
        assert.equal(users.length, 1, 'exactly one identity store user');
        const nonAdmin = (await c.cloud.listPermissionSets()).items.find((s) => s.name === 'NonAdmin');
        assert.ok(nonAdmin);
        for (const accountId of accountIds) {
          const providerAccountId = (await c.registry.getAccount(accountId))?.account.providerAccountId ?? '';
          const assigned: AccountAssignment[] = (await c.cloud.listAccountAssignments(providerAccountId, nonAdmin.arn)).items.filter((a) => a.principalId === users[0]?.userId);
          assert.equal(assigned.length, 1);
        }
        assert.deepEqual((await getPerson(c.peopleDeps, tenantCaller(tenant, 'tenant_admin'), person.person.id)).access.map((r) => r.status), ['ready', 'ready']);
      });
    }
  });
}
