import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backends, type TestDatabase } from '../../store/testing.js';
import { provisioningHarness } from '../../main/testing/harness.js';
import type { Container } from '../../main/container.js';
import { DomainError, type DomainErrorCode } from '../../domain/errors.js';
import type { Organisation } from '../../domain/registry/organisation.js';
import { addCentralPerson, addTenantPerson } from './add.js';
import { changePersonRole, removePerson } from './change.js';
import { getPerson, listCentralPeople, listTenantPeople } from './read.js';
import { auditor, operator, tenantCaller } from './fixtures.js';

const rejectsWith = (promise: Promise<unknown>, code: DomainErrorCode, check: (e: DomainError) => boolean = () => true) =>
  assert.rejects(promise, (e: unknown) => e instanceof DomainError && e.code === code && check(e));

for (const backend of backends()) {
  describe(`people use cases on ${backend.name}`, () => {
    let t: TestDatabase;
    let c: Container;
    let chiyoda: Organisation;
    let setagaya: Organisation;
    const runs = async () => Number((await t.db.query(`SELECT count(*)::int AS n FROM workflow_runs WHERE workflow LIKE '%person'`))[0]?.n);
    const admin = () => tenantCaller(chiyoda, 'tenant_admin');

    before(async () => {
      t = await backend.open();
      c = await provisioningHarness(t.db);
      const a = await c.registry.getOrganisationByCode('131016');
      const b = await c.registry.getOrganisationByCode('131121');
      assert.ok(a && b);
      chiyoda = a;
      setagaya = b;
    });
    after(async () => t.dispose());

    it('reports every problem of an added person at once, each at its field, in Japanese and English', async () => {
      await rejectsWith(addTenantPerson(c.peopleDeps, admin(), chiyoda.code, { email: 'not-an-address', name: ' ', role: 'owner' }, { dryRun: false }), 'validation_failed', (e) => {
        assert.deepEqual(e.issues.map((i) => i.path.join('.')).sort(), ['email', 'name', 'role']);
        assert.ok(e.issues.every((i) => i.message.includes(' / ')), JSON.stringify(e.issues));
        return true;
      });
      await rejectsWith(addCentralPerson(c.peopleDeps, operator(), { email: 'ok@hatoba.example', name: 'Ok', roles: ['operator', 'operator', 'king'] }, { dryRun: false }), 'validation_failed', (e) =>
        e.issues.some((i) => i.path.join('.') === 'roles.2'),
      );
    });

    it('answers a dry run in the shape of the real thing and changes nothing', async () => {
      const before = await runs();
      const result = await addTenantPerson(c.peopleDeps, admin(), chiyoda.code, { email: 'Dry.Run@Chiyoda.example.jp', name: '試行 太郎' }, { dryRun: true });
      assert.equal(result.dryRun, true);
      assert.equal(result.person.person.email, 'dry.run@chiyoda.example.jp');
      assert.equal(result.person.person.tenantRole, 'tenant_member');
      assert.equal(result.person.person.createdBy, admin().email);
      assert.equal(result.person.summary.status, 'no_accounts');
      assert.equal(await c.people.findActiveByEmail('dry.run@chiyoda.example.jp'), undefined);
      assert.equal(await runs(), before);
    });

    it('adds a person with the actor recorded and starts one provisioning run; a second person with the address is a conflict at email', async () => {
      const before = await runs();
      const { person } = await addTenantPerson(c.peopleDeps, admin(), chiyoda.id, { email: 'hanako@chiyoda.example.jp', name: '山田 花子', role: 'tenant_member' }, { dryRun: false });
      assert.equal(person.person.createdBy, admin().email);
      assert.equal(await runs(), before + 1);
      const run = await c.workflowStore.getRun(`provision-person:${person.person.id}:added`);
      assert.equal(run?.status, 'pending');
      for (const dryRun of [true, false]) {
        await rejectsWith(addTenantPerson(c.peopleDeps, admin(), chiyoda.code, { email: 'HANAKO@chiyoda.example.jp', name: 'Other' }, { dryRun }), 'conflict', (e) => e.issues[0]?.path[0] === 'email');
      }
      assert.equal(await runs(), before + 1);
    });

    it('answers a tenant admin acting on another tenant or its people as not found', async () => {
      const { person } = await addTenantPerson(c.peopleDeps, operator(), setagaya.code, { email: 'admin@setagaya.example.jp', name: 'Setagaya Admin', role: 'tenant_admin' }, { dryRun: false });
      const id = person.person.id;
      await rejectsWith(addTenantPerson(c.peopleDeps, admin(), setagaya.code, { email: 'x@setagaya.example.jp', name: 'X' }, { dryRun: false }), 'not_found');
      await rejectsWith(listTenantPeople(c.peopleDeps, admin(), setagaya.code, { limit: 10 }), 'not_found');
      await rejectsWith(getPerson(c.peopleDeps, admin(), id), 'not_found');
      await rejectsWith(changePersonRole(c.peopleDeps, admin(), id, { role: 'tenant_member' }, { dryRun: false }), 'not_found');
      await rejectsWith(removePerson(c.peopleDeps, admin(), id, { dryRun: false }), 'not_found');
      assert.equal((await c.people.get(id))?.status, 'active');
    });

    it('lets a central operator add only a tenant’s first admin', async () => {
      const hachioji = await c.registry.getOrganisationByCode('132012');
      assert.ok(hachioji);
      await rejectsWith(addTenantPerson(c.peopleDeps, operator(), hachioji.code, { email: 'm@hachioji.example.jp', name: 'M', role: 'tenant_member' }, { dryRun: false }), 'forbidden');
      await addTenantPerson(c.peopleDeps, operator(), hachioji.code, { email: 'a1@hachioji.example.jp', name: 'A1', role: 'tenant_admin' }, { dryRun: false });
      await rejectsWith(addTenantPerson(c.peopleDeps, operator(), hachioji.code, { email: 'a2@hachioji.example.jp', name: 'A2', role: 'tenant_admin' }, { dryRun: false }), 'forbidden');
      await rejectsWith(addTenantPerson(c.peopleDeps, auditor(), hachioji.code, { email: 'a3@hachioji.example.jp', name: 'A3', role: 'tenant_admin' }, { dryRun: false }), 'forbidden');
    });

    it('keeps a tenant’s people from every central role, even the first admin an operator added', async () => {
      const osaka = await c.registry.getOrganisationByCode('271004');
      assert.ok(osaka);
      const { person } = await addTenantPerson(c.peopleDeps, operator(), osaka.code, { email: 'admin@osaka.example.jp', name: 'Osaka Admin', role: 'tenant_admin' }, { dryRun: false });
      assert.equal(person.person.email, 'admin@osaka.example.jp', 'the operator is answered with the person they created');
      for (const caller of [operator(), auditor()]) {
        await rejectsWith(listTenantPeople(c.peopleDeps, caller, osaka.code, { limit: 10 }), 'forbidden');
        await rejectsWith(getPerson(c.peopleDeps, caller, person.person.id), 'forbidden');
      }
      await rejectsWith(removePerson(c.peopleDeps, operator(), person.person.id, { dryRun: false }), 'forbidden');
      const central = await addCentralPerson(c.peopleDeps, operator(), { email: 'ops2@hatoba.example', name: 'Ops 2', roles: ['operator'] }, { dryRun: false });
      assert.equal((await getPerson(c.peopleDeps, operator(), central.person.person.id)).person.email, 'ops2@hatoba.example');
    });

    it('refuses a tenant member adding, changing or removing people', async () => {
      const member = tenantCaller(chiyoda, 'tenant_member');
      await rejectsWith(addTenantPerson(c.peopleDeps, member, chiyoda.code, { email: 'y@chiyoda.example.jp', name: 'Y' }, { dryRun: false }), 'forbidden');
      const hanako = await c.people.findActiveByEmail('hanako@chiyoda.example.jp');
      assert.ok(hanako);
      await rejectsWith(changePersonRole(c.peopleDeps, member, hanako.id, { role: 'tenant_admin' }, { dryRun: false }), 'forbidden');
      await rejectsWith(removePerson(c.peopleDeps, member, hanako.id, { dryRun: false }), 'forbidden');
      assert.equal((await getPerson(c.peopleDeps, member, hanako.id)).person.email, 'hanako@chiyoda.example.jp', 'a member still sees their colleagues');
    });

    it('lists a tenant’s people with their access summary, and changes a role only when it differs', async () => {
      const page = await listTenantPeople(c.peopleDeps, admin(), chiyoda.code, { limit: 10 });
      assert.deepEqual(page.items.map((p) => p.person.email), ['hanako@chiyoda.example.jp']);
      assert.equal(page.items[0]?.summary.status, 'no_accounts');
      const id = page.items[0]?.person.id ?? '';
      const before = await runs();
      await changePersonRole(c.peopleDeps, admin(), id, { role: 'tenant_member' }, { dryRun: false });
      assert.equal(await runs(), before, 'the same role starts nothing');
      const dry = await changePersonRole(c.peopleDeps, admin(), id, { role: 'tenant_admin' }, { dryRun: true });
      assert.equal(dry.person.person.tenantRole, 'tenant_admin');
      assert.equal((await c.people.get(id))?.tenantRole, 'tenant_member');
      await rejectsWith(changePersonRole(c.peopleDeps, admin(), id, { role: 'boss' }, { dryRun: false }), 'validation_failed', (e) => e.issues[0]?.path[0] === 'role');
      const changed = await changePersonRole(c.peopleDeps, admin(), id, { role: 'tenant_admin' }, { dryRun: false });
      assert.equal(changed.person.person.tenantRole, 'tenant_admin');
      assert.equal(await runs(), before + 1);
    });

    it('refuses a tenant admin changing their own role (a tenant must not lose its last admin), at the person, in Japanese and English', async () => {
      const { person } = await addTenantPerson(c.peopleDeps, admin(), chiyoda.code, { email: 'self@chiyoda.example.jp', name: 'Self', role: 'tenant_admin' }, { dryRun: false });
      const self = tenantCaller(chiyoda, 'tenant_admin', person.person.id);
      const before = await runs();
      for (const dryRun of [true, false]) {
        await rejectsWith(changePersonRole(c.peopleDeps, self, person.person.id, { role: 'tenant_member' }, { dryRun }), 'invalid_state', (e) => {
          assert.deepEqual(e.issues.map((i) => i.path.join('.')), ['id']);
          assert.ok(e.message.includes(' / ') && e.issues.every((i) => i.message.includes(' / ')), e.message);
          return true;
        });
      }
      assert.equal((await c.people.get(person.person.id))?.tenantRole, 'tenant_admin');
      assert.equal(await runs(), before);
    });

    it('removes a person once, records who did, refuses removing oneself, and a dry run removes nothing', async () => {
      const { person } = await addTenantPerson(c.peopleDeps, admin(), chiyoda.code, { email: 'leaver@chiyoda.example.jp', name: 'Leaver' }, { dryRun: false });
      const id = person.person.id;
      const dry = await removePerson(c.peopleDeps, admin(), id, { dryRun: true });
      assert.equal(dry.person.person.status, 'removed');
      assert.equal((await c.people.get(id))?.status, 'active');
      const removed = await removePerson(c.peopleDeps, admin(), id, { dryRun: false });
      assert.equal(removed.person.person.removedBy, admin().email);
      assert.equal((await c.workflowStore.getRun(`deprovision-person:${id}:removed`))?.status, 'pending');
      await rejectsWith(removePerson(c.peopleDeps, admin(), id, { dryRun: false }), 'invalid_state');
      await rejectsWith(removePerson(c.peopleDeps, tenantCaller(chiyoda, 'tenant_admin', id), id, { dryRun: false }), 'invalid_state');
    });

    it('lets operators add central people, every central role list them, and no tenant person touch them', async () => {
      const { person } = await addCentralPerson(c.peopleDeps, operator(), { email: 'sec@hatoba.example', name: 'Security', roles: ['security_officer'] }, { dryRun: false });
      assert.deepEqual(person.person.centralRoles, ['security_officer']);
      await rejectsWith(addCentralPerson(c.peopleDeps, auditor(), { email: 'x@hatoba.example', name: 'X', roles: ['auditor'] }, { dryRun: false }), 'forbidden');
      await rejectsWith(addCentralPerson(c.peopleDeps, admin(), { email: 'y@hatoba.example', name: 'Y', roles: ['auditor'] }, { dryRun: false }), 'forbidden');
      assert.ok((await listCentralPeople(c.peopleDeps, auditor(), { limit: 10 })).items.some((p) => p.person.id === person.person.id));
      await rejectsWith(listCentralPeople(c.peopleDeps, admin(), { limit: 10 }), 'forbidden');
      await rejectsWith(getPerson(c.peopleDeps, admin(), person.person.id), 'not_found');
      await rejectsWith(removePerson(c.peopleDeps, admin(), person.person.id, { dryRun: false }), 'not_found');
    });
  });
}
