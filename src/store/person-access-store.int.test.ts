import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../domain/errors.js';
import type { NewPerson } from '../app/ports/people-store.js';
import type { PersonAccess } from '../app/ports/person-access.js';
import type { NewRun } from '../app/ports/workflow-store.js';
import { backends, type TestDatabase } from './testing.js';
import { createPersonAccessStore } from './person-access-store.js';

const t0 = new Date('2031-02-01T00:00:00.000Z');
const t1 = new Date('2031-02-01T00:00:05.000Z');
const member = (id: string, email: string, tenantId = 'org_pa'): NewPerson => ({ id, email, name: id, createdAt: t0, createdBy: 'admin@example.jp', kind: 'tenant', tenantId, tenantRole: 'tenant_member' });
const run = (personId: string, reason: string): NewRun => ({ id: `provision-person:${personId}:${reason}`, workflow: 'provision-person', subject: `${personId}:${reason}`, input: { personId, reason }, firstStep: 'ensure-user', needsSlot: null });
const access = (personId: string, accountId: string, patch: Partial<PersonAccess> = {}): PersonAccess => ({
  personId, accountId, permissionSet: 'non_admin', replacing: null, status: 'pending', requestedAt: t0, readyAt: null, removedAt: null, requestId: null, failure: null, updatedAt: t0, ...patch,
});

async function seed(handle: TestDatabase): Promise<void> {
  const db = handle.db;
  await db.query(`INSERT INTO organisations (id, kind, code, name_ja, name_en, contacts, billing_email, created_at, updated_at) VALUES ('org_pa', 'municipality', '132012', '市', 'City', '[]', 'b@example.jp', now(), now())`);
  await db.query(`INSERT INTO systems (id, organisation_id, slug, name_ja, name_en, provider, created_at, updated_at) VALUES ('sys_pa', 'org_pa', 'juki', '住基', 'Juki', 'simulated', now(), now())`);
  for (const [id, status, providerId] of [['acc_ready', 'ready', '111122223333'], ['acc_other', 'ready', '222233334444'], ['acc_busy', 'provisioning', null]] as const) {
    await db.query(
      `INSERT INTO accounts (id, system_id, organisation_id, provider, environment, name, email, status, provider_account_id, created_at, updated_at, ready_at)
       VALUES ($1, 'sys_pa', 'org_pa', 'simulated', 'dev', $1, $2, $3, $4, now(), now(), now())`,
      [id, `${id}@example.jp`, status, providerId],
    );
  }
}

const runCount = async (handle: TestDatabase): Promise<number> => Number((await handle.db.query(`SELECT count(*)::int AS n FROM workflow_runs WHERE workflow = 'provision-person'`))[0]?.n);

for (const backend of backends()) {
  describe(`person access store on ${backend.name}`, () => {
    let handle: TestDatabase;
    before(async () => {
      handle = await backend.open();
      await seed(handle);
    });
    after(async () => handle.dispose());

    it('adds a person and their run in one transaction: a taken address adds neither', async () => {
      const store = createPersonAccessStore(handle.db);
      const created = await store.addPerson(member('per_pa1', 'one@example.jp'), [run('per_pa1', 'added')], t0);
      assert.equal(created.tenant?.code, '132012');
      assert.equal(await runCount(handle), 1);
      await assert.rejects(store.addPerson(member('per_pa2', 'ONE@example.jp'), [run('per_pa2', 'added')], t0), (e: unknown) => e instanceof DomainError && e.code === 'conflict' && e.issues[0]?.path[0] === 'email');
      assert.equal(await runCount(handle), 1);
      assert.equal(await store.startRuns([run('per_pa1', 'added'), run('per_pa1', 'account:acc_ready')], t0), 1, 'a run with the same subject is not started twice');
    });

    it('writes an access row only if it is still as the writer read it', async () => {
      const store = createPersonAccessStore(handle.db);
      const first = access('per_pa1', 'acc_ready');
      assert.equal(await store.saveAccess(first, null), true);
      assert.equal(await store.saveAccess(access('per_pa1', 'acc_ready', { permissionSet: 'admin' }), null), false, 'someone inserted it first');
      const asked = { ...first, requestId: 'req-1', updatedAt: t1 };
      assert.equal(await store.saveAccess(asked, first), true);
      assert.equal(await store.saveAccess({ ...first, status: 'ready', readyAt: t1 }, first), false, 'a stale reader changes nothing');
      assert.equal(await store.saveAccess({ ...asked, status: 'ready', readyAt: t1, requestId: null }, asked), true);
      assert.deepEqual(await store.getAccess('per_pa1', 'acc_ready'), { ...asked, status: 'ready', readyAt: t1, requestId: null });
      const [view] = await store.listAccess(['per_pa1']);
      assert.deepEqual(view?.account, { name: 'acc_ready', environment: 'dev', provider: 'simulated', providerAccountId: '111122223333' });
    });

    it('finds active tenant people missing a ready account, but not those whose run is in flight', async () => {
      const store = createPersonAccessStore(handle.db);
      await store.addPerson(member('per_pa3', 'three@example.jp'), [], t0);
      const missing = await store.missingAccess(100, 'provision-person');
      assert.deepEqual(missing, [{ personId: 'per_pa3', accountId: 'acc_other' }, { personId: 'per_pa3', accountId: 'acc_ready' }], 'per_pa1 has runs pending; acc_busy is not ready');
      await handle.db.query(`UPDATE workflow_runs SET status = 'succeeded' WHERE subject LIKE 'per_pa1:%'`);
      assert.deepEqual((await store.missingAccess(100, 'provision-person')).filter((m) => m.personId === 'per_pa1'), [{ personId: 'per_pa1', accountId: 'acc_other' }]);
      assert.equal((await store.missingAccess(1, 'provision-person')).length, 1);
    });

    it('records a person’s identity store user once per provider, refusing one another living person holds', async () => {
      const store = createPersonAccessStore(handle.db);
      assert.equal(await store.recordCloudUser({ personId: 'per_pa1', provider: 'simulated', userId: 'u-1', userName: 'one@example.jp', createdAt: t0 }), true);
      assert.equal(await store.recordCloudUser({ personId: 'per_pa3', provider: 'simulated', userId: 'u-1', userName: 'one@example.jp', createdAt: t0 }), false);
      assert.equal(await store.holderOfCloudUser('simulated', 'u-1'), 'per_pa1');
      await store.markCloudUserDeleted('per_pa1', 'simulated', t1);
      assert.equal(await store.holderOfCloudUser('simulated', 'u-1'), undefined);
      assert.equal(await store.recordCloudUser({ personId: 'per_pa3', provider: 'simulated', userId: 'u-1', userName: 'one@example.jp', createdAt: t1 }), true);
      assert.deepEqual((await store.cloudUsers('per_pa1')).map((u) => u.deletedAt), [t1]);
    });

    it('counts active tenant admins and changes a role with its run, and removes a person with theirs', async () => {
      const store = createPersonAccessStore(handle.db);
      assert.equal(await store.activeAdminCount('org_pa'), 0);
      const changed = await store.changeTenantRole('per_pa3', 'tenant_admin', [run('per_pa3', 'role:1')], t1);
      assert.equal(changed?.tenantRole, 'tenant_admin');
      assert.equal(await store.activeAdminCount('org_pa'), 1);
      const removed = await store.removePerson('per_pa3', 'admin@example.jp', t1, [run('per_pa3', 'removed')]);
      assert.equal(removed?.status, 'removed');
      assert.equal(await store.activeAdminCount('org_pa'), 0);
      assert.equal(await store.removePerson('per_pa3', 'admin@example.jp', t1, [run('per_pa3', 'removed-again')]), undefined);
      const subjects = (await handle.db.query(`SELECT subject FROM workflow_runs WHERE subject LIKE 'per_pa3:%' ORDER BY subject`)).map((r) => r.subject);
      assert.deepEqual(subjects, ['per_pa3:removed', 'per_pa3:role:1'], 'a refused removal starts no run');
    });

    it('finds removed people left with a living user or access row once none of their runs is in flight or failed', async () => {
      const store = createPersonAccessStore(handle.db);
      const workflows = { provision: 'provision-person', deprovision: 'deprovision-person' };
      const deprovision = (personId: string, reason: string): NewRun => ({ ...run(personId, reason), id: `deprovision-person:${personId}:${reason}`, workflow: 'deprovision-person', firstStep: 'remove-assignments' });
      await store.addPerson(member('per_pa5', 'five@example.jp'), [], t0);
      await store.addPerson(member('per_pa6', 'six@example.jp'), [], t0);
      await store.saveAccess(access('per_pa5', 'acc_ready', { status: 'ready', readyAt: t1 }), null);
      await store.recordCloudUser({ personId: 'per_pa6', provider: 'simulated', userId: 'u-6', userName: 'six@example.jp', createdAt: t0 });
      assert.deepEqual(await store.strandedRemovals(100, workflows), [], 'active people are not swept');
      await store.removePerson('per_pa5', 'admin@example.jp', t1, [deprovision('per_pa5', 'removed')]);
      await store.removePerson('per_pa6', 'admin@example.jp', t1, [deprovision('per_pa6', 'removed')]);
      const stranded = async () => (await store.strandedRemovals(100, workflows)).filter((s) => s.personId === 'per_pa5' || s.personId === 'per_pa6');
      assert.deepEqual(await stranded(), [], 'their removal runs are pending');
      await handle.db.query(`UPDATE workflow_runs SET status = 'succeeded' WHERE subject IN ('per_pa5:removed', 'per_pa6:removed')`);
      await store.startRuns([run('per_pa6', 'account:acc_ready')], t1);
      assert.deepEqual(await stranded(), [{ personId: 'per_pa5', deprovisionRuns: 1 }], 'per_pa6 has a provisioning run in flight');
      await handle.db.query(`UPDATE workflow_runs SET status = 'succeeded' WHERE subject = 'per_pa6:account:acc_ready'`);
      assert.deepEqual(await stranded(), [{ personId: 'per_pa5', deprovisionRuns: 1 }, { personId: 'per_pa6', deprovisionRuns: 1 }]);
      await store.startRuns([deprovision('per_pa5', 'removed:2')], t1);
      await handle.db.query(`UPDATE workflow_runs SET status = 'failed' WHERE subject = 'per_pa5:removed:2'`);
      await store.markCloudUserDeleted('per_pa6', 'simulated', t1);
      assert.deepEqual(await stranded(), [], 'a failed run waits for an operator; nothing is left of per_pa6');
    });
  });
}
