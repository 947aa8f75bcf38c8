import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends, type TestDatabase } from './testing.js';
import { createRegistryStore } from './registry-store.js';
import { DomainError } from '../domain/errors.js';
import { withLocalGovernmentCheckDigit } from '../domain/registry/codes.js';
import { basicRules, organisation, system } from '../app/registry/fixtures/registry-data.js';
import type { RegistryStore } from '../app/ports/registry-store.js';

const tokyo = organisation({ id: 'org_tokyo', code: '130001', kind: 'prefecture' });
const chiyoda = organisation({ id: 'org_chiyoda', code: '131016', kind: 'special_ward', parentCode: '130001' });
const juki = system({ id: 'sys_juki', organisationId: 'org_chiyoda', slug: 'juki' });

const rejects = async (promise: Promise<unknown>, code: string, paths: string[]) => {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof DomainError);
    assert.equal(error.code, code);
    assert.deepEqual(error.issues.map((i) => i.path.join('.')), paths);
    return true;
  });
};

for (const backend of backends()) {
  describe(`registry store on ${backend.name}`, () => {
    let handle: TestDatabase;
    let store: RegistryStore;
    before(async () => {
      handle = await backend.open();
      store = createRegistryStore(handle.db);
      await store.saveOrganisations({ insert: [tokyo, chiyoda], update: [] });
      await store.insertSystem(juki);
    });
    after(async () => handle.dispose());

    it('reads an organisation back exactly as it was written', async () => {
      assert.deepEqual(await store.getOrganisation('org_chiyoda'), chiyoda);
      assert.deepEqual(await store.getOrganisationByCode('130001'), tokyo);
    });

    it('inserts a thousand organisations in batches, parents first, in one transaction', async () => {
      const osaka = organisation({ id: 'org_osaka', code: '270008', kind: 'prefecture' });
      const many = Array.from({ length: 999 }, (_, i) => {
        const code = withLocalGovernmentCheckDigit(`27${String(1 + i).padStart(3, '0')}`);
        return organisation({ id: `org_m${i}`, code, parentCode: '270008' });
      });
      const result = await store.saveOrganisations({ insert: [osaka, ...many], update: [] });
      assert.equal(result.inserted, 1000);
      const page = await store.listOrganisations({ parentCode: '270008' }, { limit: 500 });
      assert.equal(page.items.length, 500);
      const next = await store.listOrganisations({ parentCode: '270008' }, { limit: 500, cursor: page.nextCursor });
      assert.equal(next.items.length, 499);
      assert.equal(next.nextCursor, undefined);
      assert.ok((page.items.at(-1)?.code ?? '') < (next.items[0]?.code ?? ''));
    });

    it('rolls back every row of a batch when one code was registered meanwhile', async () => {
      const fresh = organisation({ id: 'org_fresh', code: withLocalGovernmentCheckDigit('13102'), parentCode: '130001' });
      const clash = organisation({ id: 'org_clash', code: '131016' });
      await rejects(store.saveOrganisations({ insert: [fresh, clash], update: [] }), 'conflict', ['code.131016']);
      assert.equal(await store.getOrganisation('org_fresh'), undefined);
    });

    it('updates organisations by code and keeps their id', async () => {
      const renamed = { ...chiyoda, id: 'ignored', nameEn: 'Chiyoda City', updatedAt: new Date('2026-05-01T00:00:00Z') };
      assert.deepEqual(await store.saveOrganisations({ insert: [], update: [renamed] }), { inserted: 0, updated: 1 });
      const stored = await store.getOrganisationByCode('131016');
      assert.equal(stored?.id, 'org_chiyoda');
      assert.equal(stored?.nameEn, 'Chiyoda City');
    });

    it('filters organisations by kind and by a name fragment', async () => {
      assert.deepEqual((await store.listOrganisations({ kind: 'prefecture' }, { limit: 10 })).items.map((o) => o.code), ['130001', '270008']);
      assert.deepEqual((await store.listOrganisations({ q: 'chiyoda' }, { limit: 10 })).items.map((o) => o.code), ['131016']);
      assert.deepEqual((await store.listOrganisations({ q: '100%' }, { limit: 10 })).items, []);
    });

    it('refuses a second system with the same slug in one tenant', async () => {
      await rejects(store.insertSystem({ ...juki, id: 'sys_other' }), 'conflict', ['slug']);
    });

    it('returns a system with its organisation', async () => {
      const found = await store.getSystem('sys_juki');
      assert.equal(found?.organisation.code, '131016');
      assert.deepEqual(found?.system, juki);
    });

    it('reserves an account and names the field that is taken on a second reservation', async () => {
      const account = await store.reserveAccount({ id: 'acc_1', systemId: 'sys_juki', environment: 'prod', name: 'chiyoda-juki-prod', email: 'juki-prod@chiyoda.example.jp', status: 'provisioning' });
      assert.equal(account.organisationId, 'org_chiyoda');
      assert.equal(account.provider, 'simulated');
      assert.equal(account.status, 'provisioning');
      await rejects(
        store.reserveAccount({ id: 'acc_2', systemId: 'sys_juki', environment: 'dev', name: 'chiyoda-juki-prod', email: 'other@chiyoda.example.jp', status: 'provisioning' }),
        'conflict',
        ['name'],
      );
      await rejects(
        store.reserveAccount({ id: 'acc_2', systemId: 'sys_juki', environment: 'dev', name: 'chiyoda-juki-dev', email: 'Juki-Prod@Chiyoda.example.jp', status: 'provisioning' }),
        'conflict',
        ['email'],
      );
    });

    it('gives a retried reservation its own account back', async () => {
      const input = { id: 'acc_retry', systemId: 'sys_juki', environment: 'dev' as const, name: 'chiyoda-juki-retry', email: 'retry@chiyoda.example.jp', status: 'provisioning' as const };
      const first = await store.reserveAccount(input);
      assert.deepEqual(await store.reserveAccount(input), first);
    });

    it('answers not found when reserving for a system that does not exist', async () => {
      await rejects(store.reserveAccount({ id: 'acc_x', systemId: 'sys_none', environment: 'dev', name: 'x', email: 'x@example.jp', status: 'provisioning' }), 'not_found', []);
    });

    it('updates an account and finds it by e-mail in any case', async () => {
      const readyAt = new Date('2026-04-02T03:04:05.000Z');
      const updated = await store.updateAccount('acc_1', { providerAccountId: '123456789012', ouPath: '/Workloads/Prod', status: 'ready', readyAt, requestId: 'car-1' });
      assert.equal(updated.status, 'ready');
      assert.deepEqual(updated.readyAt, readyAt);
      const found = await store.getAccountByEmail('JUKI-PROD@chiyoda.example.jp');
      assert.equal(found?.providerAccountId, '123456789012');
      await rejects(store.updateAccount('acc_none', { status: 'ready' }), 'not_found', []);
    });

    it('releases a reservation only while no provider account exists', async () => {
      assert.equal(await store.releaseAccount('acc_1'), false);
      assert.equal(await store.releaseAccount('acc_retry'), true);
      assert.equal(await store.getAccountByEmail('retry@chiyoda.example.jp'), undefined);
    });

    it('lists accounts newest first with filters and keyset pages', async () => {
      for (let i = 0; i < 5; i += 1) {
        await store.reserveAccount({ id: `acc_9${i}`, systemId: 'sys_juki', environment: 'dev', name: `page-${i}`, email: `page-${i}@example.jp`, status: 'provisioning' });
      }
      const first = await store.listAccounts({ organisationId: 'org_chiyoda', status: 'provisioning' }, { limit: 3 });
      assert.deepEqual(first.items.map((r) => r.account.id), ['acc_94', 'acc_93', 'acc_92']);
      assert.equal(first.items[0]?.tenant.code, '131016');
      assert.equal(first.items[0]?.system.slug, 'juki');
      const second = await store.listAccounts({ organisationId: 'org_chiyoda', status: 'provisioning' }, { limit: 3, cursor: first.nextCursor });
      assert.deepEqual(second.items.map((r) => r.account.id), ['acc_91', 'acc_90']);
      assert.deepEqual((await store.listAccounts({ environment: 'prod' }, { limit: 10 })).items.map((r) => r.account.id), ['acc_1']);
    });

    it('replaces placement rules atomically and reads them in priority order', async () => {
      await store.replacePlacementRules([...basicRules].reverse());
      assert.deepEqual(await store.listPlacementRules(), basicRules);
      await store.replacePlacementRules(basicRules.slice(3));
      assert.deepEqual((await store.listPlacementRules()).map((r) => r.id), ['plr_default']);
    });

    it('lists placement subjects: the ready and suspended accounts', async () => {
      const subjects = await store.listPlacementSubjects();
      assert.deepEqual(subjects.map((s) => [s.account.id, s.tenant.kind, s.system.provider]), [['acc_1', 'special_ward', 'simulated']]);
    });
  });
}
